/**
 * The charts' visible time range under mouse zoom and pan: zoom around a point (the pointer's time stays under
 * the pointer), pan by a time, always inside [0, duration] and never narrower than a minimum span. Pure.
 */
import type { TimeRange } from './chartSeriesModel';

/** Narrowest view: a handful of samples at 5 fps, still readable. */
export const MIN_VIEW_SEC = 2;
/** Zoom per wheel pixel: a typical 100-px notch zooms by about 1.22. */
const ZOOM_PER_PIXEL = 0.002;
/** One wheel event zooms by at most e^1 (fast trackpads and page-mode wheels). */
const MAX_WHEEL_PIXELS = 500;
const LINE_PIXELS = 16;
const PAGE_PIXELS = 400;

/** A range `spanSec` wide starting near `startSec`, moved and narrowed as needed to fit [0, duration]. */
export function clampRange(startSec: number, spanSec: number, durationSec: number, minSpanSec = MIN_VIEW_SEC): TimeRange {
  const duration = Math.max(durationSec, 1e-3);
  const span = clamp(spanSec, Math.min(minSpanSec, duration), duration);
  const start = clamp(startSec, 0, duration - span);
  return { startSec: start, endSec: start + span };
}

/**
 * The range scaled by `factor` (> 1 zooms out) around `anchorSec`: the anchor keeps its place on the axis,
 * unless the clamp to [0, duration] has to move the range.
 */
export function zoomAround(range: TimeRange, anchorSec: number, factor: number, durationSec: number, minSpanSec = MIN_VIEW_SEC): TimeRange {
  const span = Math.max(range.endSec - range.startSec, 1e-9);
  const anchor = clamp(anchorSec, range.startSec, range.endSec);
  const fraction = (anchor - range.startSec) / span;
  const duration = Math.max(durationSec, 1e-3);
  const newSpan = clamp(span * (Number.isFinite(factor) && factor > 0 ? factor : 1), Math.min(minSpanSec, duration), duration);
  return clampRange(anchor - fraction * newSpan, newSpan, durationSec, minSpanSec);
}

/** The range moved by `deltaSec` (positive: later), stopping at either end. */
export function panBy(range: TimeRange, deltaSec: number, durationSec: number): TimeRange {
  return clampRange(range.startSec + (Number.isFinite(deltaSec) ? deltaSec : 0), range.endSec - range.startSec, durationSec, 0);
}

/** The zoom factor of one wheel event (`deltaMode`: 0 pixels, 1 lines, 2 pages); wheel down zooms out. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaY * (deltaMode === 1 ? LINE_PIXELS : deltaMode === 2 ? PAGE_PIXELS : 1);
  return Math.exp(clamp(pixels, -MAX_WHEEL_PIXELS, MAX_WHEEL_PIXELS) * ZOOM_PER_PIXEL);
}

/** Seconds shown, as the UI state keeps it: 0 when the range is the whole media. */
export function zoomOf(range: TimeRange, durationSec: number): number {
  const span = range.endSec - range.startSec;
  return span >= Math.max(durationSec, 1e-3) - 1e-6 ? 0 : span;
}

function clamp(value: number, lo: number, hi: number): number {
  if (Number.isNaN(value)) return lo;
  return Math.min(Math.max(value, lo), Math.max(lo, hi));
}
