// `emotion-lens slurm` on a real single-node SLURM cluster that the test starts itself: a 3-task array over a
// folder analyses every input exactly once and the dependent job writes the dataset table; a task killed
// mid-way and submitted again alone redoes only what it had not finished.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { shardFiles } from '../../src/core/engine/batch/batchShards';
import { makeLoopedClip, noFfmpegReason, runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { noSlurmReason, startSlurmCluster } from '../helpers/slurmCluster';
import type { SlurmCluster } from '../helpers/slurmCluster';
import { makeTempDir, mediaFile, noMediaReason, repoRoot, skipUnless } from '../helpers/testEnvironment';

const cli = path.join(repoRoot, 'dist', 'cli.js');
const TASKS = 3;

function emotionLens(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Waits until none of the jobs is queued or running. */
async function waitForJobs(cluster: SlurmCluster, ids: string[], timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (cluster.run('squeue', ['-h', '-j', ids.join(',')]).stdout.trim() !== '') {
    if (Date.now() > deadline) throw new Error(`jobs ${ids.join(',')} still queued after ${timeoutMs / 1000} s:\n${cluster.run('squeue', []).stdout}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Inputs each log says its task analysed ("✓ <input>") or skipped as up to date. */
function logLines(logs: string, pattern: RegExp): string[] {
  if (!existsSync(logs)) return [];
  return readdirSync(logs).filter((f) => f.startsWith('analyze-')).flatMap((f) => readFileSync(path.join(logs, f), 'utf8').split('\n').flatMap((line) => {
    const m = pattern.exec(line);
    return m ? [m[1]!] : [];
  }));
}

const analyzedIn = (logs: string) => logLines(logs, /^✓ (.+)$/);
const skippedIn = (logs: string) => logLines(logs, /^= (.+): up to date, skipped/);

describe('SLURM array jobs on a real cluster', skipUnless(noSlurmReason(), noMediaReason, noFfmpegReason), () => {
  const temp = makeTempDir('emotion-lens-slurm-test-');
  let cluster: SlurmCluster;
  let data: string;
  let inputs: string[];
  before(async () => {
    cluster = await startSlurmCluster();
    data = path.join(temp.dir, 'dataset');
    for (const folder of ['actor_01', 'actor_02']) mkdirSync(path.join(data, folder), { recursive: true });
    const crops = readdirSync(mediaFile('faces', 'fer2013')).filter((f) => f.endsWith('.jpg')).slice(0, 6);
    crops.forEach((crop, i) => copyFileSync(mediaFile('faces', 'fer2013', crop), path.join(data, i < 3 ? 'actor_01' : 'actor_02', crop)));
    await runFfmpeg(['-i', sharedVideos.obama(), '-t', '4', '-c', 'copy', path.join(data, 'actor_01', 'talk.mp4')]);
    await runFfmpeg(['-i', sharedVideos.reagan(), '-t', '4', '-c', 'copy', path.join(data, 'actor_02', 'talk.mp4')]);
    // A long clip, last of its task's share, so that the task can be killed while it is on it.
    const long = await makeLoopedClip(temp.dir, 90, 640, 360);
    copyFileSync(long, path.join(data, 'zz long session.mp4'));
    inputs = readdirSync(data, { recursive: true }).map(String).filter((f) => /\.(jpg|mp4)$/.test(f)).map((f) => path.join(data, f));
  });
  after(() => {
    cluster?.stop();
    temp.cleanup();
  });

  it('a 3-task array analyses every input exactly once, and the dependent job writes the dataset table', async () => {
    const out = path.join(temp.dir, 'run-1');
    const submitted = emotionLens(['slurm', data, '--out', out, '--tasks', String(TASKS), '--cpus', '1', '--submit', '--no-speech', '--sample-fps', '2'], cluster.env);
    assert.equal(submitted.status, 0, submitted.stderr);
    const ids = /analysis array job (\d+) \(3 tasks\), dataset table job (\d+)/.exec(submitted.stdout);
    assert.ok(ids, submitted.stdout);
    const script = readFileSync(path.join(out, 'slurm', 'analyze.sbatch'), 'utf8');
    assert.match(script, /#SBATCH --array=0-2/);
    assert.match(script, new RegExp(`Node\\.js ${process.version.replace(/\./g, '\\.')}`));
    await waitForJobs(cluster, [ids[1]!, ids[2]!]);
    const logs = path.join(out, 'slurm', 'logs');
    const analysed = analyzedIn(logs);
    console.log(`slurm: ${readdirSync(logs).length} logs; inputs analysed ${analysed.length} times over ${TASKS} tasks`);
    assert.deepEqual([...analysed].sort(), [...inputs].sort(), 'every input exactly once');
    const summary = readFileSync(path.join(out, 'dataset', 'dataset.summary.csv'), 'utf8').trim().split('\n');
    assert.equal(summary.length - 1, inputs.length, 'one summary row per input');
    assert.ok(existsSync(path.join(out, 'dataset', 'dataset.faces.parquet')));
  });

  it('a task killed mid-way and submitted again alone redoes only what it had not finished', async () => {
    const out = path.join(temp.dir, 'run-2');
    const long = path.join(data, 'zz long session.mp4');
    // The same share every task computes: paths relative to the folder given, sorted, dealt round-robin.
    const task = shardFiles(inputs, (f) => path.relative(path.dirname(data), f), { index: 0, count: 1 }).indexOf(long) % TASKS;
    const submitted = emotionLens(['slurm', data, '--out', out, '--tasks', String(TASKS), '--cpus', '1', '--submit', '--no-speech', '--sample-fps', '5'], cluster.env);
    assert.equal(submitted.status, 0, submitted.stderr);
    const [, arrayId, tableId] = /analysis array job (\d+) \(3 tasks\), dataset table job (\d+)/.exec(submitted.stdout)!;
    const logs = path.join(out, 'slurm', 'logs');
    const log = path.join(logs, `analyze-${arrayId}_${task}.out`);
    const deadline = Date.now() + 120_000;
    // Killed once it has written a document of its share and is busy with the long clip.
    while (!(existsSync(log) && /^✓ /m.test(readFileSync(log, 'utf8')) && / frames/.test(readFileSync(log, 'utf8')))) {
      assert.ok(Date.now() < deadline, `task ${task} never got going: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no log'}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.equal(cluster.run('scancel', ['--signal=KILL', `${arrayId}_${task}`]).status, 0);
    await waitForJobs(cluster, [arrayId!, tableId!]);
    const before = analyzedIn(logs);
    assert.ok(!before.includes(long), 'the long clip was not finished before the kill');
    assert.ok(!existsSync(path.join(out, 'zz long session.mp4.emotion.json')));

    const resubmitted = cluster.run('sbatch', ['--parsable', `--array=${task}`, path.join(out, 'slurm', 'analyze.sbatch')]);
    assert.equal(resubmitted.status, 0, resubmitted.stderr);
    await waitForJobs(cluster, [resubmitted.stdout.trim()]);
    const analysed = analyzedIn(logs);
    const skipped = skippedIn(logs);
    console.log(`slurm: task ${task} killed after ${before.length - (inputs.length - 3)} of its inputs; resubmitted, it skipped ${skipped.length} and analysed ${analysed.length - before.length}`);
    assert.deepEqual([...analysed].sort(), [...inputs].sort(), 'every input analysed exactly once over both submissions');
    assert.ok(skipped.length >= 1, 'the resubmitted task skipped what it had done');
    assert.deepEqual(readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });
});
