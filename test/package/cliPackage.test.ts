// The CLI package a lab installs once on its cluster: `npm pack`, then `npm install -g` into an empty prefix
// with an empty home and npm offline (so nothing but the tarball can be installed), then `emotion-lens analyze`
// on a clip in a folder of its own, with no models folder anywhere: it must find its bundled default models
// (the sherpa-onnx speech model among them) and label faces, words and voice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { bundledModelIds, defaultModelIds } from '../../scripts/models/bundleModels';
import { SHERPA_DEFAULT_ID } from '../../src/core/models/speechModelSelection';
import { ensureCliTarball } from '../helpers/cliPackageBuild';
import { noFfmpegReason, sharedVideos } from '../helpers/mediaFixtures';
import { makeTempDir, noMediaReason, repoRoot, skipUnless } from '../helpers/testEnvironment';

interface Manifest {
  models: { id: string; files: { name: string; sha256: string }[] }[];
}

/** A user's environment: PATH (node, ffmpeg) and an empty home; no EMOTION_LENS_* variables, no npm settings of ours. */
function userEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', npm_config_cache: path.join(home, '.npm') };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env, encoding: 'utf8', timeout: options.timeoutMs ?? 300_000 });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

const PREFIX = 'package/';

describe('the CLI package (npm pack, npm install -g)', skipUnless(noMediaReason, noFfmpegReason), () => {
  const temp = makeTempDir('emotion-lens-cli-package-');
  after(temp.cleanup);
  const home = path.join(temp.dir, 'home');
  const prefix = path.join(temp.dir, 'prefix');
  const unpacked = path.join(temp.dir, 'unpacked');
  let tarball = '';
  let files: string[] = [];

  before(() => {
    for (const dir of [home, prefix, unpacked]) mkdirSync(dir, { recursive: true });
    tarball = ensureCliTarball();
    const listed = run('tar', ['-tzf', tarball], { cwd: temp.dir, env: process.env });
    assert.equal(listed.code, 0, listed.stderr);
    files = listed.stdout.split('\n').filter((f) => f && !f.endsWith('/'));
    console.log(`${path.relative(repoRoot, tarball)}: ${(statSync(tarball).size / 1024 / 1024).toFixed(1)} MB, ${files.length} files`);
  });

  it('holds the built CLI, its workers, this platform\'s native runtimes and the default models; no sources or tests', () => {
    const required = ['dist/cli.js', 'dist/frameWorker.js', 'dist/speechWorker.js', 'dist/voiceWorker.js', 'dist/adaptationWorker.js', 'dist/native-target.json',
      'dist/node_modules/onnxruntime-node/dist/index.js', 'dist/node_modules/sherpa-onnx-node/package.json', 'dist/node_modules/koffi/package.json',
      'dist/node_modules/sharp/package.json', 'dist/node_modules/parquet-wasm/node/parquet_wasm_bg.wasm', 'bundled-models/NOTICE.md', 'package.json', 'README.md', 'LICENSE'];
    const have = new Set(files);
    assert.deepEqual(required.filter((f) => !have.has(PREFIX + f)), [], 'missing from the tarball');
    const stray = files.filter((f) => /^package\/(src|test|scripts)\//.test(f) || /\.(ts|map)$/.test(f) || (f.includes('node_modules/') && !f.startsWith(`${PREFIX}dist/node_modules/`)));
    assert.deepEqual(stray, [], 'sources, tests, source maps or stray node_modules in the tarball');
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies?: object; bin?: Record<string, string> };
    // Everything it runs is inside: npm has nothing to fetch, and no dependency's install script can run.
    assert.equal(pkg.dependencies, undefined, 'the package declares dependencies npm would download');
    assert.equal(pkg.bin?.['emotion-lens'], 'dist/cli.js');
  });

  it('carries every bundled model byte for byte as the manifest names it (sha256)', () => {
    const extracted = run('tar', ['-xzf', tarball, '-C', unpacked], { cwd: temp.dir, env: process.env });
    assert.equal(extracted.code, 0, extracted.stderr);
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'manifest.json'), 'utf8')) as Manifest;
    for (const id of bundledModelIds()) {
      for (const file of manifest.models.find((m) => m.id === id)!.files) {
        const bytes = readFileSync(path.join(unpacked, 'package', 'bundled-models', id, file.name));
        assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, `${id}/${file.name}`);
      }
    }
  });

  it('installs offline into an empty prefix, and the installed emotion-lens labels a clip with no models folder', () => {
    const env = userEnv(home);
    const installed = run('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: temp.dir, env });
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);
    const bin = path.join(prefix, 'bin', 'emotion-lens');

    const work = path.join(temp.dir, 'work');
    mkdirSync(work);
    copyFileSync(sharedVideos.obama(), path.join(work, 'clip.mp4'));
    const analysed = run(bin, ['analyze', 'clip.mp4'], { cwd: work, env, timeoutMs: 600_000 });
    assert.equal(analysed.code, 0, analysed.stdout + analysed.stderr);
    const doc = JSON.parse(readFileSync(path.join(work, 'clip.mp4.emotion.json'), 'utf8')) as AnnotationDocument;
    assert.ok(doc.frames.some((f) => f.faces.length > 0), 'no face labelled');
    assert.equal(doc.transcript.status, 'ok', doc.transcript.reason);
    assert.ok(doc.transcript.words.length > 10, `only ${doc.transcript.words.length} words`);
    assert.equal(doc.voice.status, 'ok');
    const used = doc.provenance.models.map((m) => m.id).sort();
    assert.deepEqual(used, [...defaultModelIds()].sort(), 'the analysis did not use every default model');
    assert.ok(used.includes(SHERPA_DEFAULT_ID));

    const models = run(bin, ['models'], { cwd: work, env });
    assert.equal(models.code, 0, models.stdout + models.stderr);
    for (const id of defaultModelIds()) assert.match(models.stdout, new RegExp(`✓ ${id.replace(/\./g, '\\.')} .*bundled with Emotion Lens`));

    // A SLURM job calls this installation by its absolute path, as every node sees it on shared storage.
    const slurm = run(bin, ['slurm', 'clip.mp4', '--out', path.join(work, 'out'), '--tasks', '2'], { cwd: work, env });
    assert.equal(slurm.code, 0, slurm.stdout + slurm.stderr);
    const script = readFileSync(path.join(work, 'out', 'slurm', 'analyze.sbatch'), 'utf8');
    const installedCli = realpathSync(path.join(prefix, 'lib', 'node_modules', 'emotion-lens', 'dist', 'cli.js'));
    assert.ok(script.includes(`EMOTION_LENS='${installedCli}'`) || script.includes(`EMOTION_LENS=${installedCli}`), script);
  });
});
