import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import { runProcess, spawnStreaming } from '../../src/core/media/childProcess';
import { readAudio16k } from '../../src/core/media/audioReader';
import { clearFfmpegCache, locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { readFrames } from '../../src/core/media/frameReader';
import { probeMedia } from '../../src/core/media/probe';
import { noFfmpegReason } from '../helpers/mediaFixtures';
import { makeTempDir, skipUnless } from '../helpers/testEnvironment';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('childProcess', () => {
  it('collects stdout and the stderr tail, passing arguments without a shell', async () => {
    const result = await runProcess(process.execPath, ['-e', 'process.stdout.write(process.argv[1]); console.error("warn\\nlast words")', '$(echo hi) `x` ; "q"'], { collectStdout: true });
    assert.equal(result.code, 0);
    assert.equal(result.stdout.toString(), '$(echo hi) `x` ; "q"');
    assert.equal(result.stderrTail, 'warn\nlast words\n');
  });

  it('keeps only the last bytes of a long stderr', async () => {
    const result = await runProcess(process.execPath, ['-e', 'for (let i = 0; i < 5000; i++) console.error("line " + i)'], { stderrTailBytes: 200 });
    assert.ok(result.stderrTail.length <= 200);
    assert.match(result.stderrTail, /line 4999\n$/);
  });

  it('kills a process at once on abort, SIGKILL if it ignores SIGTERM', async () => {
    const controller = new AbortController();
    const proc = spawnStreaming(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("ready")'], {
      signal: controller.signal,
      killGraceMs: 300,
    });
    let abortedAt = 0;
    proc.stdout.once('data', () => {
      abortedAt = Date.now();
      controller.abort();
    });
    const exit = await proc.exited;
    assert.equal(exit.signal, 'SIGKILL');
    // From the abort (not from the start: Node starting up on a loaded machine is not what is tested): the 300 ms
    // grace, then SIGKILL. A sanity bound ten times that, which load cannot reach; exit.signal is the real check.
    assert.ok(Date.now() - abortedAt < 3000, `killed ${Date.now() - abortedAt} ms after the abort`);
    assert.equal(isRunning(proc.pid ?? -1), false);
  });

  it('rejects when the program does not exist', async () => {
    await assert.rejects(runProcess('/nonexistent/program', []), /ENOENT/);
  });
});

describe('locateFfmpeg', { ...skipUnless(noFfmpegReason) }, () => {
  let dir = '';
  let cleanup = (): void => undefined;
  let systemFfmpeg = '';
  let systemFfprobe = '';

  before(async () => {
    ({ dir, cleanup } = makeTempDir());
    clearFfmpegCache();
    const tools = await locateFfmpeg();
    systemFfmpeg = tools.ffmpeg;
    systemFfprobe = tools.ffprobe;
  });
  after(() => cleanup());

  it('finds ffmpeg and ffprobe on PATH and parses the version', async () => {
    const tools = await locateFfmpeg();
    assert.ok(path.isAbsolute(tools.ffmpeg));
    assert.equal(path.basename(tools.ffprobe).startsWith('ffprobe'), true);
    assert.match(tools.version, /^n?\d+\.\d+/);
  });

  it('caches per process for the same options', async () => {
    assert.equal(locateFfmpeg(), locateFfmpeg());
  });

  it('prefers the explicit path, then EMOTION_LENS_FFMPEG, and finds ffprobe beside it', async () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(systemFfmpeg, path.join(bin, 'ffmpeg'));
    symlinkSync(systemFfprobe, path.join(bin, 'ffprobe'));
    const explicit = await locateFfmpeg({ ffmpegPath: path.join(bin, 'ffmpeg'), env: { PATH: '' } });
    assert.deepEqual([explicit.ffmpeg, explicit.ffprobe], [path.join(bin, 'ffmpeg'), path.join(bin, 'ffprobe')]);
    const fromEnv = await locateFfmpeg({ env: { PATH: '', EMOTION_LENS_FFMPEG: path.join(bin, 'ffmpeg') } });
    assert.equal(fromEnv.ffprobe, path.join(bin, 'ffprobe'));
    const flagWins = await locateFfmpeg({ ffmpegPath: systemFfmpeg, env: { PATH: '', EMOTION_LENS_FFMPEG: path.join(bin, 'ffmpeg') } });
    assert.equal(flagWins.ffmpeg, systemFfmpeg);
  });

  it('says how to install when ffmpeg is nowhere to be found', async () => {
    const error = await locateFfmpeg({ env: { PATH: path.join(dir, 'no-such-dir') } }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EmotionLensError);
    assert.equal(error.code, 'ffmpeg-missing');
    assert.ok(!error.message.includes('\n'));
    assert.match(error.message, /apt-get install ffmpeg/);
    assert.match(error.message, /EMOTION_LENS_FFMPEG/);
  });

  it('names a wrong explicit path, and rejects a program that is not ffmpeg', async () => {
    const wrong = path.join(dir, 'missing', 'ffmpeg');
    await assert.rejects(locateFfmpeg({ ffmpegPath: wrong, env: { PATH: '' } }), (e: unknown) => e instanceof EmotionLensError && e.message.startsWith(wrong));
    const fake = path.join(dir, 'fake-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\necho "not it"\n');
    chmodSync(fake, 0o755);
    await assert.rejects(
      locateFfmpeg({ ffmpegPath: fake, ffprobePath: systemFfprobe, env: { PATH: '' } }),
      (e: unknown) => e instanceof EmotionLensError && e.code === 'ffmpeg-missing' && /not a working ffmpeg/.test(e.message),
    );
  });

  it('turns a tool that disappeared into ffmpeg-missing from probe, frame and audio readers', async () => {
    const gone = { ffmpeg: path.join(dir, 'gone', 'ffmpeg'), ffprobe: path.join(dir, 'gone', 'ffprobe'), version: '0' };
    const isMissing = (e: unknown): boolean => e instanceof EmotionLensError && e.code === 'ffmpeg-missing' && !e.message.includes('\n');
    const input = path.join(dir, 'input.mp4');
    writeFileSync(input, 'not empty');
    await assert.rejects(probeMedia(gone, input), isMissing);
    const probe = { kind: 'video', durationSec: 1, fps: 25, width: 64, height: 64, rotation: 0, startTimeSec: 0, hasAudio: true, videoCodec: 'h264', estimatedFrames: () => 25 } as const;
    await assert.rejects(async () => {
      for await (const _frame of readFrames(gone, input, probe, { sampleFps: 5, maxSide: 64 })) assert.fail('no frame expected');
    }, isMissing);
    await assert.rejects(async () => {
      for await (const _chunk of readAudio16k(gone, input)) assert.fail('no audio expected');
    }, isMissing);
  });
});
