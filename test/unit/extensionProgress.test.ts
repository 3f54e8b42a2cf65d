// The progress notification's text and bar: what is happening, how far, and no more than four updates a second.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnalysisProgressReporter } from '../../src/extension/progressText';
import { formatBytes, formatCount, formatDuration as formatClock } from '../../src/shared/textFormat';
import type { ProgressUpdate } from '../../src/extension/progressText';

function clock(start = 1000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('numbers in messages', () => {
  test('counts group thousands whatever the locale; clocks are m:ss or h:mm:ss', () => {
    assert.equal(formatCount(18000), '18,000');
    assert.equal(formatCount(1250), '1,250');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatClock(42), '0:42');
    assert.equal(formatClock(190), '3:10');
    assert.equal(formatClock(3725), '1:02:05');
    assert.equal(formatBytes(232589), '227 KB');
    assert.equal(formatBytes(1364007), '1.3 MB');
  });
});

describe('AnalysisProgressReporter', () => {
  test('says what is happening and how far, faces and speech together', () => {
    const c = clock();
    const reporter = new AnalysisProgressReporter({ now: c.now });
    assert.equal(reporter.beginVideo(0, 'clip.mp4').message, 'Starting');
    assert.equal(reporter.update({ kind: 'stage', stage: 'models', message: 'Loading face models' })?.message, 'Loading face models');
    c.advance(300);
    assert.equal(reporter.update({ kind: 'speech', audioSecDone: 5, audioSecTotal: 190 })?.message, 'Loading face models · Speech: 0:05 of 3:10');
    const faces = reporter.update({ kind: 'faces', framesDone: 1250, framesTotal: 18000, mediaSec: 50, durationSec: 720 });
    assert.equal(faces?.message, 'Faces: frame 1,250 of 18,000 · Speech: 0:05 of 3:10');
    c.advance(300);
    assert.equal(reporter.update({ kind: 'speech', audioSecDone: 42, audioSecTotal: 190 })?.message, 'Faces: frame 1,250 of 18,000 · Speech: 0:42 of 3:10');
    assert.equal(reporter.update({ kind: 'stage', stage: 'write', message: 'Writing clip.mp4.emotion.json' })?.message, 'Writing clip.mp4.emotion.json');
  });

  test('downloads show file and bytes until frames start', () => {
    const reporter = new AnalysisProgressReporter({ now: clock().now });
    reporter.beginVideo(0, 'a.mp4');
    const update = reporter.update({ kind: 'download', file: 'yunet.onnx', receivedBytes: 120 * 1024, totalBytes: 232589 });
    assert.equal(update?.message, 'Downloading yunet.onnx: 120 KB of 227 KB');
    assert.equal(reporter.update({ kind: 'warning', message: 'x' }), undefined);
  });

  test('counter updates are throttled to four a second; a change of activity shows at once', () => {
    const c = clock();
    const reporter = new AnalysisProgressReporter({ now: c.now });
    reporter.beginVideo(0, 'a.mp4');
    const shown: ProgressUpdate[] = [];
    // 10 simulated seconds of frame events, one every 2 ms.
    for (let frame = 1; frame <= 5000; frame++) {
      c.advance(2);
      const update = reporter.update({ kind: 'faces', framesDone: frame, framesTotal: 5000, mediaSec: frame / 5, durationSec: 1000 });
      if (update) shown.push(update);
    }
    assert.ok(shown.length >= 38 && shown.length <= 41, `expected about 40 updates in 10 s, got ${shown.length}`);
    c.advance(10);
    assert.ok(reporter.update({ kind: 'stage', stage: 'timeline', message: 'Building the timeline' }), 'a new stage is not held back');
  });

  test('the bar follows the faces fraction and its increments add up to 100', () => {
    const c = clock();
    const reporter = new AnalysisProgressReporter({ now: c.now });
    let total = reporter.beginVideo(0, 'a.mp4').increment;
    for (const done of [100, 250, 250, 500, 900, 1000]) {
      c.advance(300);
      const update = reporter.update({ kind: 'faces', framesDone: done, framesTotal: 1000, mediaSec: 0, durationSec: 0 });
      total += update?.increment ?? 0;
      assert.ok((update?.increment ?? 0) >= 0);
      assert.ok(Math.abs(total - done / 10) < 1e-9, `after ${done} frames the bar is at ${total}`);
    }
    total += reporter.update({ kind: 'stage', stage: 'write', message: 'Writing' })?.increment ?? 0;
    assert.ok(Math.abs(total - 100) < 1e-9);
  });

  test('a batch names the video and spreads the bar over all of them', () => {
    const c = clock();
    const reporter = new AnalysisProgressReporter({ videoCount: 12, now: c.now });
    let total = 0;
    for (let i = 0; i < 2; i++) {
      total += reporter.beginVideo(i, `v${i}.mp4`).increment;
      c.advance(300);
      total += reporter.update({ kind: 'stage', stage: 'write', message: 'Writing' })?.increment ?? 0;
    }
    const start = reporter.beginVideo(2, 'clip.mp4');
    assert.equal(start.message, 'Video 3 of 12: clip.mp4 — Starting');
    total += start.increment;
    c.advance(300);
    const update = reporter.update({ kind: 'faces', framesDone: 250, framesTotal: 900, mediaSec: 50, durationSec: 180 });
    assert.equal(update?.message, 'Video 3 of 12: clip.mp4 — Faces: frame 250 of 900');
    total += update?.increment ?? 0;
    assert.ok(Math.abs(total - (100 * (2 + 250 / 900)) / 12) < 1e-9);
    assert.ok(Math.abs(reporter.percent() - total) < 1e-9);
  });
});
