import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancelledError, EmotionLensError } from '../../src/core/errors';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { readFrames } from '../../src/core/media/frameReader';
import type { FfmpegTools, FrameReadOptions, MediaProbe, RawFrame } from '../../src/core/media/mediaTypes';
import { probeMedia } from '../../src/core/media/probe';
import {
  copyWithOddNames,
  make4kClip,
  makeRandomBytesMp4,
  makeRotatedClip,
  makeRotatedFaceClip,
  makeStartOffsetClip,
  makeStillImages,
  makeTruncatedMp4,
  makeVfrClip,
  meanGreen,
  noFfmpegReason,
  readTimeCode,
  sharedVideos,
} from '../helpers/mediaFixtures';
import { makeTempDir, noMediaReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noFfmpegReason, noMediaReason);

async function collect(tools: FfmpegTools, file: string, options: FrameReadOptions, probe?: MediaProbe): Promise<RawFrame[]> {
  const frames: RawFrame[] = [];
  for await (const frame of readFrames(tools, file, probe ?? (await probeMedia(tools, file)), options)) frames.push(frame);
  return frames;
}

/** ffmpeg processes whose parent is this test process, with their state (Z = zombie); Linux /proc only. */
function ffmpegChildren(): { pid: number; state: string }[] {
  const children: { pid: number; state: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const match = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat);
      if (match && match[1] === 'ffmpeg' && Number(match[3]) === process.pid) children.push({ pid: Number(entry), state: match[2] ?? '?' });
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** First source time in each 1/fps bin: what sampling must deliver. */
function firstInEachBin(times: number[], fps: number): number[] {
  const picked: number[] = [];
  let lastBin = -Infinity;
  for (const t of times) {
    const bin = Math.floor(t * fps + 1e-6);
    if (bin > lastBin) picked.push(t);
    lastBin = Math.max(lastBin, bin);
  }
  return picked;
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

describe('readFrames', { ...skip }, () => {
  let tools: FfmpegTools;
  let dir = '';
  let cleanup = (): void => undefined;
  before(async () => {
    tools = await locateFfmpeg();
    ({ dir, cleanup } = makeTempDir());
  });
  after(() => cleanup());

  it('times every frame of a variable-frame-rate clip by its real presentation time', async () => {
    const clip = await makeVfrClip(dir);
    const frames = await collect(tools, clip.file, { sampleFps: 0, maxSide: 1000 });
    assert.equal(frames.length, clip.frameTimes.length);
    frames.forEach((frame, i) => {
      assert.equal(frame.index, i);
      assertClose(frame.timeSec, clip.frameTimes[i] ?? NaN, 0.001, `frame ${i} time`);
      assertClose(readTimeCode(frame), frame.timeSec, 0.006, `frame ${i} content`);
    });
  });

  it('samples the first real frame of each 0.2 s bin (no re-timed or duplicated frames)', async () => {
    const clip = await makeVfrClip(dir);
    const frames = await collect(tools, clip.file, { sampleFps: 5, maxSide: 1000 });
    const expected = firstInEachBin(clip.frameTimes, 5);
    assert.deepEqual(
      frames.map((f) => f.timeSec.toFixed(3)),
      expected.map((t) => t.toFixed(3)),
    );
    for (const frame of frames) assertClose(readTimeCode(frame), frame.timeSec, 0.006, 'content');
  });

  it('measures times from the media start when the container starts at 2 s', async () => {
    const clip = await makeStartOffsetClip(dir, 2, 0.5, 3);
    const probe = await probeMedia(tools, clip.file);
    const frames = await collect(tools, clip.file, { sampleFps: 5, maxSide: 1000 }, probe);
    assert.equal(frames[0]?.timeSec, 0);
    assert.equal(frames.length, 15);
    for (const frame of frames) assertClose(readTimeCode(frame), frame.timeSec, 0.006, 'content');
    assertClose(frames.at(-1)?.timeSec ?? NaN, 2.8, 0.001, 'last sampled frame');
  });

  it('puts the first frame after the media start when the audio starts first', async () => {
    const clip = await makeStartOffsetClip(dir, 2, -0.5, 3);
    const probe = await probeMedia(tools, clip.file);
    const frames = await collect(tools, clip.file, { sampleFps: 5, maxSide: 1000 }, probe);
    const first = frames[0]?.timeSec ?? NaN;
    // The video starts 0.5 s after the tone, and the tone no earlier than the media start.
    assert.ok(first >= 0.5 && first < 0.6, `first frame at ${first} s`);
    for (const frame of frames) assertClose(frame.timeSec - readTimeCode(frame), first, 0.006, 'content');
  });

  it('delivers a rotated phone clip upright in portrait', async () => {
    const file = await makeRotatedClip(dir);
    const frames = await collect(tools, file, { sampleFps: 5, maxSide: 1000 });
    assert.equal(frames.length, 5);
    const first = frames[0];
    assert.ok(first);
    assert.deepEqual([first.width, first.height], [180, 320]);
    // The block drawn in the coded top-left is shown top-right after a 90 degree clockwise turn.
    assert.ok(meanGreen(first, 160, 20, 3) > 200, 'top-right is the white block');
    assert.ok(meanGreen(first, 20, 20, 3) < 50, 'top-left is black');
    assert.ok(meanGreen(first, 20, 300, 3) < 50, 'bottom-left is black');

    const face = await collect(tools, await makeRotatedFaceClip(dir, 1), { sampleFps: 2, maxSide: 1000 });
    assert.deepEqual([face[0]?.width, face[0]?.height], [240, 360]);
  });

  it('samples the Pexels clip at 5 fps: ~99 real frames about 0.2 s apart', async () => {
    const probe = await probeMedia(tools, sharedVideos.pexels());
    const started = performance.now();
    const frames = await collect(tools, sharedVideos.pexels(), { sampleFps: 5, maxSide: 640 }, probe);
    const seconds = (performance.now() - started) / 1000;
    console.log(`Pexels 640x360, 5 fps: ${frames.length} frames in ${seconds.toFixed(2)} s = ${(frames.length / seconds).toFixed(0)} sampled frames/s`);
    assert.equal(frames.length, probe.estimatedFrames(5));
    assert.ok(frames.length >= 98 && frames.length <= 100, `${frames.length} frames`);
    const frameDuration = 1001 / 24000;
    for (let i = 1; i < frames.length; i++) {
      const gap = (frames[i]?.timeSec ?? 0) - (frames[i - 1]?.timeSec ?? 0);
      assert.ok(gap > 0.2 - frameDuration - 1e-6 && gap < 0.2 + frameDuration + 1e-6, `gap ${gap} at ${i}`);
    }
    for (const frame of frames) {
      const sourceFrame = frame.timeSec / frameDuration;
      assertClose(sourceFrame, Math.round(sourceFrame), 1e-3, 'a real source frame time');
      assert.deepEqual([frame.width, frame.height, frame.scaleToSource, frame.data.length], [640, 360, 1, 640 * 360 * 3]);
    }
  });

  it('delivers every frame when sampleFps is 0', async () => {
    const probe = await probeMedia(tools, sharedVideos.pexels());
    const frames = await collect(tools, sharedVideos.pexels(), { sampleFps: 0, maxSide: 320 }, probe);
    assert.equal(frames.length, probe.estimatedFrames(0));
    for (let i = 1; i < frames.length; i++) assert.ok((frames[i]?.timeSec ?? 0) > (frames[i - 1]?.timeSec ?? 0));
  });

  it('scales down to maxSide keeping the aspect, and says by how much', async () => {
    const small = await collect(tools, sharedVideos.pexels(), { sampleFps: 1, maxSide: 320 });
    assert.deepEqual([small[0]?.width, small[0]?.height, small[0]?.scaleToSource], [320, 180, 2]);
    const uhd = await collect(tools, await make4kClip(dir, 1), { sampleFps: 2, maxSide: 1280 });
    assert.equal(uhd.length, 2);
    assert.deepEqual([uhd[0]?.width, uhd[0]?.height, uhd[0]?.scaleToSource, uhd[0]?.data.length], [1280, 720, 3, 1280 * 720 * 3]);
  });

  it('reads a still image as exactly one frame at time 0', async () => {
    const { jpg, png } = await makeStillImages(dir);
    for (const file of [jpg, png]) {
      const frames = await collect(tools, file, { sampleFps: 5, maxSide: 1280 });
      assert.equal(frames.length, 1, file);
      assert.deepEqual([frames[0]?.timeSec, frames[0]?.width, frames[0]?.height], [0, 640, 360]);
      assert.ok(meanGreen(frames[0] as RawFrame, 450, 150, 10) > 60, 'the face is there, not a black frame');
    }
  });

  it('stops ffmpeg at once on abort and throws CancelledError (no process left behind)', async () => {
    const controller = new AbortController();
    const frames = readFrames(tools, sharedVideos.pexels(), await probeMedia(tools, sharedVideos.pexels()), { sampleFps: 0, maxSide: 640, signal: controller.signal });
    for (let i = 0; i < 3; i++) assert.equal((await frames.next()).done, false);
    assert.equal(ffmpegChildren().length, 1, 'ffmpeg runs while frames are read');
    const started = performance.now();
    controller.abort();
    await assert.rejects(frames.next(), CancelledError);
    const ms = performance.now() - started;
    console.log(`abort to CancelledError: ${ms.toFixed(0)} ms`);
    // A sanity bound: ffmpeg killed and gone (about 0.1 s at load 9 on two cores).
    assert.ok(ms < 1500, `took ${ms} ms`);
    assert.deepEqual(ffmpegChildren(), [], 'no ffmpeg child (running or zombie) after the abort');
  });

  it('throws CancelledError before starting when already aborted, and kills ffmpeg when the consumer stops early', async () => {
    const probe = await probeMedia(tools, sharedVideos.pexels());
    await assert.rejects(collect(tools, sharedVideos.pexels(), { sampleFps: 5, maxSide: 640, signal: AbortSignal.abort() }, probe), CancelledError);
    let seen = 0;
    for await (const frame of readFrames(tools, sharedVideos.pexels(), probe, { sampleFps: 0, maxSide: 640 })) {
      seen = frame.index + 1;
      if (seen === 2) break;
    }
    assert.equal(seen, 2);
    assert.deepEqual(ffmpegChildren(), []);
  });

  it('returns the frames before the cut of a truncated file, without error', async () => {
    const file = await makeTruncatedMp4(dir, 'moov-first');
    const frames = await collect(tools, file, { sampleFps: 5, maxSide: 320 });
    // Half of the bytes hold about half of the 19.7 s.
    assert.ok(frames.length > 30 && frames.length < 70, `${frames.length} frames`);
    assert.ok((frames.at(-1)?.timeSec ?? 0) < 15);
  });

  it('fails with one line naming the file when ffmpeg cannot decode it', async () => {
    const file = makeRandomBytesMp4(dir);
    const probe = await probeMedia(tools, sharedVideos.obama());
    const error = await collect(tools, file, { sampleFps: 5, maxSide: 320 }, probe).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof EmotionLensError);
    assert.equal(error.code, 'input-unreadable');
    assert.ok(error.message.startsWith(`${file}: `) && !error.message.includes('\n'), error.message);
  });

  it('reads files with spaces, unicode, quotes and $(...) in their names, running no shell', async () => {
    const tmpPwnedBefore = existsSync('/tmp/pwned');
    const { files, pwnedMarkers } = copyWithOddNames(path.join(dir, 'odd'), sharedVideos.obama());
    const { jpg } = await makeStillImages(dir);
    const percentImage = path.join(dir, 'odd', 'still %d.jpg');
    copyFileSync(jpg, percentImage);
    for (const file of [...files, percentImage]) {
      const probe = await probeMedia(tools, file);
      const frames = await collect(tools, file, { sampleFps: 1, maxSide: 256 }, probe);
      assert.equal(frames.length, probe.kind === 'image' ? 1 : 21, file);
    }
    for (const marker of pwnedMarkers) {
      if (marker === '/tmp/pwned' && tmpPwnedBefore) continue;
      assert.equal(existsSync(marker), false, `${marker} was created`);
    }
  });
});
