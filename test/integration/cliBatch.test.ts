// Batches as a dataset user runs them: one engine for all inputs, resumable (up-to-date documents skipped,
// a killed batch picks up where it was and leaves no partial or temporary file), --force, and --shard K/N.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, promises as fs, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readAnnotationDocument, serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeStillImages, noFfmpegReason, runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { makeTempDir, modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const canRun = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'analyze', ...args, '--models', modelsDir!, '--no-speech'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close', not 'exit': the output may still be on its way when the process has exited.
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

const documents = (dir: string) => filesUnder(dir, (n) => n.endsWith('.emotion.json'));

/** A small dataset: stills at several times (one in a sub-folder with a space) and two short clips. */
async function makeDataset(dir: string): Promise<string[]> {
  mkdirSync(path.join(dir, 'actor 02'), { recursive: true });
  const inputs: string[] = [];
  for (const [i, at] of [2, 5, 10, 15].entries()) {
    const { jpg } = await makeStillImages(dir, at);
    const target = path.join(dir, i === 3 ? 'actor 02' : '', `face-${at}s.jpg`);
    await fs.rename(jpg, target);
    inputs.push(target);
  }
  for (const [name, source] of [['obama.mp4', sharedVideos.obama()], ['actor 02/reagan.mp4', sharedVideos.reagan()]] as const) {
    const target = path.join(dir, name);
    await runFfmpeg(['-i', source, '-t', '3', '-c', 'copy', target]);
    inputs.push(target);
  }
  await fs.rm(path.join(dir, 'still.png'), { force: true });
  return inputs;
}

describe('emotion-lens analyze on a dataset', canRun, () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  let data: string;
  let inputs: string[];
  before(async () => {
    data = path.join(temp.dir, 'data');
    mkdirSync(data);
    inputs = await makeDataset(data);
  });

  it('analyses every input, then skips every up-to-date one on the next run, leaving the documents as they were', async () => {
    const first = await runCli([data]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`${inputs.length} of ${inputs.length} analysed`));
    const docs = documents(data);
    assert.equal(docs.length, inputs.length);
    const before = docs.map((d) => statSync(path.join(data, d)).mtimeMs);

    const again = await runCli([data]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.split('\n').filter((l) => /^= .*: up to date, skipped/.test(l)).length, inputs.length, again.stdout);
    assert.match(again.stdout, new RegExp(`0 of ${inputs.length} analysed, ${inputs.length} up to date \\(skipped\\)`));
    assert.deepEqual(documents(data).map((d) => statSync(path.join(data, d)).mtimeMs), before);
  });

  it('other settings, a changed file or --force analyse again; --force keeps the corrections', async () => {
    const image = inputs[0]!;
    const documentPath = `${image}.emotion.json`;
    const doc = await readAnnotationDocument(documentPath);
    const face = doc.frames[0]!.faces[0]!;
    doc.corrections.push({ frameIndex: 0, timeSec: 0, trackId: face.trackId, label: 'angry', modelLabel: face.label, createdAt: new Date().toISOString() });
    writeFileSync(documentPath, serialiseAnnotationDocument(doc));

    const forced = await runCli([image, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /1 of 1 analysed/);
    assert.equal((await readAnnotationDocument(documentPath)).corrections.length, 1, 'the correction survives --force');

    const otherSettings = await runCli([data, '--min-face-score', '0.7']);
    assert.match(otherSettings.stdout, new RegExp(`${inputs.length} of ${inputs.length} analysed`), otherSettings.stdout);

    copyFileSync(inputs[1]!, inputs[0]!);
    const changed = await runCli([data, '--min-face-score', '0.7']);
    assert.match(changed.stdout, new RegExp(`1 of ${inputs.length} analysed, ${inputs.length - 1} up to date`), changed.stdout);
  });

  it('--shard K/N: three tasks together analyse every input exactly once', async () => {
    const outs = [0, 1, 2].map((k) => path.join(temp.dir, `shard-${k}`));
    const results = await Promise.all(outs.map((out, k) => runCli([data, '--out', out, '--shard', `${k}/3`])));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const perShard = outs.map((out) => documents(out));
    console.log(`shards: ${perShard.map((d) => d.length).join(' + ')} documents`);
    const all = perShard.flat();
    assert.equal(all.length, inputs.length);
    assert.deepEqual([...new Set(all)].sort(), documents(data).sort(), 'the same relative documents as one run over everything');
    assert.ok(perShard.every((d) => d.length === 2), `sizes ${perShard.map((d) => d.length)}`);
    for (const [k, result] of results.entries()) assert.match(result.stdout, new RegExp(`shard ${k}/3: 2 of ${inputs.length} inputs`));
  });

  it('a batch killed mid-way resumes: what was written is kept, only the rest is analysed, no partial or temporary file stays', async () => {
    const out = path.join(temp.dir, 'killed');
    const killed = await runCli([data, '--out', out, '--threads', '1'], (text, child) => {
      if ((text.match(/^✓ /gm) ?? []).length >= 2) child.kill('SIGKILL');
    });
    assert.equal(killed.signal, 'SIGKILL');
    const written = documents(out);
    assert.ok(written.length >= 2 && written.length < inputs.length, `${written.length} documents before the kill`);
    for (const doc of written) JSON.parse(readFileSync(path.join(out, doc), 'utf8'));

    const resumed = await runCli([data, '--out', out]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const skipped = resumed.stdout.split('\n').filter((l) => /up to date, skipped/.test(l)).length;
    assert.equal(skipped, written.length, resumed.stdout);
    assert.match(resumed.stdout, new RegExp(`${inputs.length - written.length} of ${inputs.length} analysed`));
    assert.equal(documents(out).length, inputs.length);
    assert.deepEqual(filesUnder(out, (n) => n.endsWith('.tmp')), [], 'no temporary file left');
  });
});
