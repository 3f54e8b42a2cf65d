// Throughput and memory of the frame reader on a long 720p clip (made at run time from the Pexels video).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { readFrames } from '../../src/core/media/frameReader';
import type { FfmpegTools, MediaProbe } from '../../src/core/media/mediaTypes';
import { probeMedia } from '../../src/core/media/probe';
import { makeLoopedClip, noFfmpegReason } from '../helpers/mediaFixtures';
import { makeTempDir, noMediaReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noFfmpegReason, noMediaReason);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('frame reader on a 60 s 1280x720 clip', { ...skip }, () => {
  let tools: FfmpegTools;
  let dir = '';
  let cleanup = (): void => undefined;
  let file = '';
  let probe: MediaProbe;

  before(async () => {
    tools = await locateFfmpeg();
    ({ dir, cleanup } = makeTempDir());
    const started = performance.now();
    file = await makeLoopedClip(dir, 60, 1280, 720);
    console.log(`made the 60 s 1280x720 clip in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    probe = await probeMedia(tools, file);
  });
  after(() => cleanup());

  it('samples 5 fps at full 1280 size (prints sampled frames/s)', async () => {
    const started = performance.now();
    let count = 0;
    let last = -1;
    for await (const frame of readFrames(tools, file, probe, { sampleFps: 5, maxSide: 1280 })) {
      assert.ok(frame.timeSec > last);
      last = frame.timeSec;
      count += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`1280x720 looped clip, 5 fps, maxSide 1280: ${count} frames in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} sampled frames/s`);
    assert.ok(Math.abs(count - 300) <= 2, `${count} frames`);
    // No bound on the speed: on a loaded machine it falls to a fraction of a quiet one's (21 frames/s at load 9
    // against ~100); `npm run bench` measures it beside ffmpeg alone.
  });

  it('keeps memory flat while streaming every frame, and holds ffmpeg back while the consumer pauses', async () => {
    const frameBytes = 1280 * 720 * 3;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let count = 0;
    let pauseGrowth = 0;
    for await (const frame of readFrames(tools, file, probe, { sampleFps: 0, maxSide: 1280 })) {
      assert.equal(frame.data.length, frameBytes);
      count += 1;
      if (count === 200) {
        // A slow consumer: ffmpeg must wait (pipe backpressure) instead of filling memory. The pause is what is
        // measured; a loaded machine only lets ffmpeg do less in it, so the bound below holds all the more.
        const before = process.memoryUsage().rss;
        await sleep(1000);
        pauseGrowth = process.memoryUsage().rss - before;
      }
      if (count % 25 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const growth = peak - baseline;
    console.log(`every frame: ${count} frames of ${mb(frameBytes)} (${mb(count * frameBytes)} streamed); RSS growth ${mb(growth)}, during a 1 s pause ${mb(pauseGrowth)}`);
    assert.ok(count >= 1430, `${count} frames`);
    // Buffering the video would need gigabytes; a few frames plus garbage not yet collected is what remains.
    assert.ok(growth < 300 * 1024 * 1024, `RSS grew ${mb(growth)}`);
    assert.ok(pauseGrowth < 20 * 1024 * 1024, `RSS grew ${mb(pauseGrowth)} while paused`);
  });
});
