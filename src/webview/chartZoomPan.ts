/**
 * The mouse on a chart: click or drag seeks; Shift+drag, Shift+wheel or a sideways wheel pans; Ctrl/Cmd+wheel
 * (or a pinch) zooms around the pointer (chartRangeModel). A plain wheel is left to the page, which scrolls.
 * Zoom and pan land once per animation frame, however many wheel events arrive.
 */
import type { Chart } from 'chart.js';
import { panBy, wheelZoomFactor, zoomAround } from './chartRangeModel';
import type { TimeRange } from './chartSeriesModel';

/** What the mouse acts on: the charts' shared range and the media's clock. */
export interface ZoomPanTarget {
  range(): TimeRange;
  durationSec(): number;
  seek(timeSec: number): void;
  /** A range the reviewer chose with the mouse. */
  rangeChosen(range: TimeRange): void;
}

export class ChartZoomPan {
  private pendingRange: TimeRange | undefined;

  constructor(private readonly target: ZoomPanTarget) {}

  /** A range set another way (keys, the playhead) replaces one still waiting for its frame. */
  cancelPending(): void {
    this.pendingRange = undefined;
  }

  /** Pointer down (and drag) on a chart moves the video there; with Shift held, the drag pans the charts instead. */
  attach(chart: Chart<'line', { x: number; y: number }[]>, canvas: HTMLCanvasElement): void {
    const { target } = this;
    let drag: { mode: 'seek' } | { mode: 'pan'; startX: number; startRange: TimeRange } | undefined;
    const seekAt = (event: PointerEvent): void => {
      const t = chart.scales.x?.getValueForPixel(event.offsetX);
      if (t === undefined || Number.isNaN(t)) return;
      const range = target.range();
      target.seek(Math.min(Math.max(t, range.startSec), range.endSec));
    };
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      canvas.setPointerCapture(event.pointerId);
      if (event.shiftKey) {
        drag = { mode: 'pan', startX: event.clientX, startRange: target.range() };
        canvas.classList.add('panning');
        return;
      }
      drag = { mode: 'seek' };
      seekAt(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      canvas.classList.toggle('pan-ready', event.shiftKey);
      if (drag?.mode === 'seek') seekAt(event);
      else if (drag?.mode === 'pan') this.request(panBy(drag.startRange, -(event.clientX - drag.startX) * this.secondsPerPixel(chart, canvas), target.durationSec()));
    });
    const stop = (): void => {
      drag = undefined;
      canvas.classList.remove('panning');
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
    // Not passive: a zoom or pan over a chart must not also zoom or scroll the page.
    canvas.addEventListener('wheel', (event) => this.onWheel(chart, canvas, event), { passive: false });
  }

  private onWheel(chart: Chart<'line', { x: number; y: number }[]>, canvas: HTMLCanvasElement, event: WheelEvent): void {
    const base = this.pendingRange ?? this.target.range();
    const durationSec = this.target.durationSec();
    if (event.ctrlKey || event.metaKey) {
      const anchor = chart.scales.x?.getValueForPixel(event.offsetX);
      if (anchor === undefined || Number.isNaN(anchor)) return;
      event.preventDefault();
      this.request(zoomAround(base, anchor, wheelZoomFactor(event.deltaY, event.deltaMode), durationSec));
      return;
    }
    // Horizontal wheels (trackpads) and Shift+wheel pan; a plain vertical wheel scrolls the page as usual.
    const horizontal = Math.abs(event.deltaX) > Math.abs(event.deltaY);
    if (!event.shiftKey && !horizontal) return;
    const span = base.endSec - base.startSec;
    if (span >= durationSec - 1e-6) return;
    event.preventDefault();
    const pixels = (horizontal ? event.deltaX : event.deltaY) * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
    this.request(panBy(base, pixels * this.secondsPerPixel(chart, canvas), durationSec));
  }

  private secondsPerPixel(chart: Chart<'line', { x: number; y: number }[]>, canvas: HTMLCanvasElement): number {
    const width = Math.max(1, chart.chartArea?.width ?? canvas.clientWidth);
    const range = this.target.range();
    return (range.endSec - range.startSec) / width;
  }

  /** Applies a mouse zoom or pan at the next animation frame (redrawing is the expensive part). */
  private request(range: TimeRange): void {
    const first = this.pendingRange === undefined;
    this.pendingRange = range;
    if (!first) return;
    requestAnimationFrame(() => {
      const next = this.pendingRange;
      if (next) this.target.rangeChosen(next);
    });
  }
}
