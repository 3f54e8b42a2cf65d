// The progress notification's text and bar: what is happening, how far, and no more than four updates a second.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AnalysisProgressReporter, BatchProgressReporter } from '../../src/extension/progressText';
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
    assert.equal(reporter.begin().message, 'Starting');
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
    reporter.begin();
    const update = reporter.update({ kind: 'download', file: 'yunet.onnx', receivedBytes: 120 * 1024, totalBytes: 232589 });
    assert.equal(update?.message, 'Downloading yunet.onnx: 120 KB of 227 KB');
    assert.equal(reporter.update({ kind: 'warning', message: 'x' }), undefined);
  });

  test('counter updates are throttled to four a second; a change of activity shows at once', () => {
    const c = clock();
    const reporter = new AnalysisProgressReporter({ now: c.now });
    reporter.begin();
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
    let total = reporter.begin().increment;
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

  test('a batch: inputs done of total, frames per second, ETA, and the newest input in flight; the bar spreads over all', () => {
    const c = clock();
    const reporter = new BatchProgressReporter(12, undefined, { now: c.now });
    let total = 0;
    for (let i = 0; i < 2; i++) {
      total += reporter.begin(i, `v${i}.mp4`).increment;
      c.advance(300);
      total += reporter.update(i, { kind: 'faces', framesDone: 100, framesTotal: 100, mediaSec: 20, durationSec: 20 })?.increment ?? 0;
      total += reporter.finish(i, 100).increment;
    }
    const start = reporter.begin(2, 'clip.mp4');
    assert.equal(start.message, '2 of 12 videos — clip.mp4: Starting');
    total += start.increment;
    c.advance(2000);
    total += reporter.begin(3, 'next.mp4').increment;
    c.advance(300);
    const update = reporter.update(2, { kind: 'faces', framesDone: 250, framesTotal: 900, mediaSec: 50, durationSec: 180 });
    // 450 frames in 2.9 s; (2 + 250/900) of 12 done; the newest input started is the one named.
    const fraction = (2 + 250 / 900) / 12;
    assert.equal(update?.message, `2 of 12 videos · ${(450 / 2.9).toFixed(1)} frames/s · ETA 0:${String(Math.round((2.9 * (1 - fraction)) / fraction)).padStart(2, '0')} — next.mp4: Starting`);
    total += update?.increment ?? 0;
    assert.ok(Math.abs(total - 100 * fraction) < 1e-9, `bar at ${total}`);
    assert.ok(Math.abs(reporter.fraction() * 100 - total) < 1e-9);
  });

  test('a batch\'s updates are throttled, but an input starting or ending always shows', () => {
    const c = clock();
    const reporter = new BatchProgressReporter(3, { one: 'input', many: 'inputs' }, { now: c.now });
    reporter.begin(0, 'a.jpg');
    c.advance(10);
    assert.equal(reporter.update(0, { kind: 'faces', framesDone: 0, framesTotal: 1, mediaSec: 0, durationSec: 0 }), undefined);
    assert.match(reporter.finish(0, 1).message, /^1 of 3 inputs/);
  });
});
