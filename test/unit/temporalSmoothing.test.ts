import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smoothTrack } from '../../src/core/tracking/temporalSmoothing';

describe('smoothTrack', () => {
  const times = Array.from({ length: 11 }, (_, i) => i * 0.2);
  const spike = times.map((_, i) => (i === 5 ? [0.1, 0.9] : [0.9, 0.1]));

  it('damps a one-frame spike and keeps every vector a distribution', () => {
    const smoothed = smoothTrack(times, spike, 0.4);
    assert.ok(smoothed[5]![1]! < 0.6, `spike kept at ${smoothed[5]![1]}`);
    for (const p of smoothed) assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-9);
  });

  it('has no lag: a step is centred where it happens', () => {
    const step = times.map((_, i) => (i < 5 ? [1, 0] : [0, 1]));
    const smoothed = smoothTrack(times, step, 0.4);
    const before = smoothed[4]![1]!;
    const after = smoothed[5]![1]!;
    assert.ok(before < 0.5 && after > 0.5, `step moved: ${before} / ${after}`);
  });

  it('is off at zero and restarts after a gap', () => {
    assert.deepEqual(smoothTrack(times, spike, 0), spike);
    const gapped = smoothTrack([0, 0.2, 5, 5.2], [[1, 0], [1, 0], [0, 1], [0, 1]], 0.4, 1);
    assert.deepEqual(gapped[2], [0, 1]);
    assert.deepEqual(gapped[1], [1, 0]);
  });
});
