import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Box } from '../../src/shared/annotationDocument';
import { FaceTracker, iou } from '../../src/core/tracking/faceTracker';

describe('FaceTracker', () => {
  it('keeps one id for a face that drifts across frames', () => {
    const tracker = new FaceTracker();
    const ids = Array.from({ length: 20 }, (_, i) => tracker.assign(i * 0.2, [[100 + i * 6, 80, 120, 150]])[0]);
    assert.deepEqual(new Set(ids), new Set([1]));
  });

  it('keeps two side-by-side faces apart, whatever order the detector lists them in', () => {
    const tracker = new FaceTracker();
    const left: Box = [20, 40, 200, 200];
    const right: Box = [276, 40, 200, 200];
    const first = tracker.assign(0, [left, right]);
    const second = tracker.assign(0.2, [right, left]);
    assert.deepEqual(first, [1, 2]);
    assert.deepEqual(second, [2, 1]);
  });

  it('tolerates a few missed frames but starts a new track after a long absence', () => {
    const tracker = new FaceTracker({ maxGapSec: 1, minIou: 0.2, maxCentreDistance: 0.8, maxSizeRatio: 2 });
    const box: Box = [100, 100, 100, 100];
    assert.deepEqual(tracker.assign(0, [box]), [1]);
    assert.deepEqual(tracker.assign(0.8, [box]), [1], 'a gap of 0.8 s is bridged');
    assert.deepEqual(tracker.assign(2.5, [box]), [2], 'a gap of 1.7 s starts a new track');
  });

  it('does not join a face to a much larger one at the same place', () => {
    const tracker = new FaceTracker();
    tracker.assign(0, [[100, 100, 50, 50]]);
    assert.deepEqual(tracker.assign(0.2, [[80, 80, 200, 200]]), [2]);
  });

  it('computes intersection over union', () => {
    assert.equal(iou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
    assert.equal(iou([0, 0, 10, 10], [20, 20, 10, 10]), 0);
    assert.ok(Math.abs(iou([0, 0, 10, 10], [5, 0, 10, 10]) - 50 / 150) < 1e-12);
  });
});
