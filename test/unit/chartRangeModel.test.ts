import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampRange, MIN_VIEW_SEC, panBy, wheelZoomFactor, zoomAround, zoomOf } from '../../src/webview/chartRangeModel';

const HOUR = 3600;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);
}

describe('chart range under mouse zoom and pan', () => {
  it('zooms around the pointer: its time stays at the same place on the axis', () => {
    const range = { startSec: 600, endSec: 1200 };
    const anchor = 750; // a quarter of the way along
    const zoomed = zoomAround(range, anchor, 0.5, HOUR);
    close(zoomed.endSec - zoomed.startSec, 300, 'half the span');
    close((anchor - zoomed.startSec) / (zoomed.endSec - zoomed.startSec), 0.25, 'anchor fraction');
    const back = zoomAround(zoomed, anchor, 2, HOUR);
    close(back.startSec, 600, 'zooming out again returns to the start');
    close(back.endSec, 1200, 'and the end');
  });

  it('keeps the range inside [0, duration], moving it rather than cutting it', () => {
    const nearStart = zoomAround({ startSec: 0, endSec: 100 }, 10, 3, HOUR);
    assert.deepEqual(nearStart, { startSec: 0, endSec: 300 }, 'anchor near 0: the range cannot start before 0');
    const nearEnd = zoomAround({ startSec: 3500, endSec: HOUR }, 3590, 4, HOUR);
    assert.equal(nearEnd.endSec, HOUR);
    close(nearEnd.endSec - nearEnd.startSec, 400, 'the full zoomed span, shifted left');
    assert.deepEqual(zoomAround({ startSec: 100, endSec: 200 }, 150, 1000, HOUR), { startSec: 0, endSec: HOUR }, 'never wider than the media');
  });

  it('stops at a minimum span (and at the media, when the media is shorter)', () => {
    let range = { startSec: 1000, endSec: 1060 };
    for (let i = 0; i < 50; i++) range = zoomAround(range, 1030, 0.5, HOUR);
    close(range.endSec - range.startSec, MIN_VIEW_SEC, 'minimum span');
    assert.ok(range.startSec <= 1030 && range.endSec >= 1030, 'still around the pointer');
    assert.deepEqual(zoomAround({ startSec: 0, endSec: 1.5 }, 1, 0.1, 1.5), { startSec: 0, endSec: 1.5 }, 'a clip shorter than the minimum shows whole');
  });

  it('pans by a time and stops at either end with the span unchanged', () => {
    assert.deepEqual(panBy({ startSec: 100, endSec: 160 }, 30, HOUR), { startSec: 130, endSec: 190 });
    assert.deepEqual(panBy({ startSec: 100, endSec: 160 }, -500, HOUR), { startSec: 0, endSec: 60 });
    assert.deepEqual(panBy({ startSec: 3500, endSec: 3560 }, 500, HOUR), { startSec: 3540, endSec: HOUR });
    assert.deepEqual(panBy({ startSec: 10, endSec: 11 }, 5, HOUR), { startSec: 15, endSec: 16 }, 'panning never widens a narrow view');
    assert.deepEqual(panBy({ startSec: 100, endSec: 160 }, Number.NaN, HOUR), { startSec: 100, endSec: 160 });
  });

  it('clamps a saved start and span to the media', () => {
    assert.deepEqual(clampRange(3590, 60, HOUR), { startSec: 3540, endSec: HOUR });
    assert.deepEqual(clampRange(-5, 60, HOUR), { startSec: 0, endSec: 60 });
    assert.deepEqual(clampRange(50, 0.5, HOUR), { startSec: 50, endSec: 50 + MIN_VIEW_SEC });
  });

  it('turns wheel deltas into zoom factors: down zooms out, up zooms in, symmetric, bounded', () => {
    const out = wheelZoomFactor(100, 0);
    const inward = wheelZoomFactor(-100, 0);
    assert.ok(out > 1 && inward < 1);
    close(out * inward, 1, 'one notch out and one in cancel');
    close(wheelZoomFactor(3, 1), wheelZoomFactor(48, 0), 'lines are 16 px');
    assert.equal(wheelZoomFactor(1e6, 0), wheelZoomFactor(500, 0), 'a huge delta is capped');
    assert.equal(wheelZoomFactor(0, 0), 1);
  });

  it('reports the zoom the UI state keeps: 0 for the whole media', () => {
    assert.equal(zoomOf({ startSec: 0, endSec: HOUR }, HOUR), 0);
    assert.equal(zoomOf({ startSec: 100, endSec: 400 }, HOUR), 300);
  });
});
