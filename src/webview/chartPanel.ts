/**
 * The charts (chart.js 4, linear x axis in seconds, no date adapter): per track, each label's probability over
 * time with the human corrections as marks along the top, and the speech sentiment. Data is downsampled to the
 * chart's width (chartSeriesModel); the playhead is a positioned element over the canvas, so following the
 * video never redraws a chart. Click or drag on a chart seeks; Ctrl/Cmd+wheel (or a pinch) zooms around the
 * pointer, Shift+drag or Shift+wheel pans (chartRangeModel). A plain wheel is left to the page, which scrolls.
 * Charts scrolled out of the charts box get their data when they come into view.
 */
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartDataset, Plugin, TooltipItem } from 'chart.js';
import type { Utterance } from '../shared/annotationDocument';
import { panBy, wheelZoomFactor, zoomAround } from './chartRangeModel';
import type { HumanMark, TimeRange, TrackSamples } from './chartSeriesModel';
import { humanMarks, sentimentSeries, trackSeries } from './chartSeriesModel';
import { el, replaceChildren } from './dom';
import { formatDuration } from '../shared/textFormat';
import { formatClock, formatPercent } from './formatting';
import type { ThemeColors } from './themeColors';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** Height of the marks band above 1.0 on the probability axis. */
const MARK_Y = 1.08;

/** Bucket counts within this share of each other draw the same (a resize by a few pixels redraws nothing). */
const REBUCKET_SHARE = 0.1;

export interface ChartCallbacks {
  seek(timeSec: number): void;
  /** The reviewer zoomed or panned with the mouse: the panel keeps the range in its UI state. */
  viewChanged(range: TimeRange): void;
}

interface ChartView {
  chart: Chart<'line', { x: number; y: number }[]>;
  playhead: HTMLElement;
  canvas: HTMLCanvasElement;
  block: HTMLElement;
  /** Track charts only. */
  samples?: TrackSamples;
  marks: HumanMark[];
  /** The range and bucket count its data was made for; undefined while it has none (scrolled out of view). */
  dataRange: TimeRange | undefined;
  dataBuckets: number;
  inView: boolean;
}

export class ChartPanel {
  private views: ChartView[] = [];
  private labels: readonly string[] = [];
  private colors: ThemeColors | undefined;
  private range: TimeRange = { startSec: 0, endSec: 1 };
  private human: Int16Array = new Int16Array(0);
  private utterances: readonly Utterance[] = [];
  private playheadSec = 0;
  private durationSec = 1;
  /** Wheel zoom and pan land once per animation frame, however many wheel events arrive. */
  private pendingRange: TimeRange | undefined;
  private readonly visibility: IntersectionObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: ChartCallbacks,
  ) {
    this.visibility = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const view = this.views.find((v) => v.block === entry.target);
        if (!view) continue;
        view.inView = entry.isIntersecting;
        if (view.inView && view.dataRange === undefined) this.refreshView(view);
      }
    }, { root: container });
  }

  /** Builds one chart per track (and one for sentiment when there is a transcript). */
  show(options: { labels: readonly string[]; samples: TrackSamples[]; human: Int16Array; utterances: readonly Utterance[]; colors: ThemeColors; range: TimeRange; durationSec: number }): void {
    this.destroy();
    this.labels = options.labels;
    this.colors = options.colors;
    this.human = options.human;
    this.utterances = options.utterances;
    this.range = options.range;
    this.durationSec = options.durationSec;
    const specs: { title: string; samples: TrackSamples | undefined }[] = options.samples.map((samples) => ({ title: `Person ${samples.trackId}: expression probability`, samples }));
    if (options.utterances.length > 0) specs.push({ title: 'Speech sentiment (VADER compound, −1 to 1)', samples: undefined });
    const blocks = specs.map((spec) => chartBlock(spec.title, spec.samples !== undefined));
    if (blocks.length === 0) {
      replaceChildren(this.container, el('p', { class: 'empty-note' }, 'No faces were found, so there is nothing to chart.'));
      return;
    }
    replaceChildren(this.container, ...blocks.map((b) => b.block));
    // Charts are made on attached canvases: chart.js then sizes them once, instead of again when they attach.
    const boxBottom = this.container.getBoundingClientRect().bottom;
    blocks.forEach((parts, i) => {
      const view = this.addChart(parts, specs[i]!.samples);
      view.inView = parts.block.getBoundingClientRect().top < boxBottom;
      this.visibility.observe(parts.block);
    });
    this.refreshData();
  }

  setHuman(human: Int16Array): void {
    this.human = human;
    for (const view of this.views) {
      if (!view.samples || view.dataRange === undefined) continue;
      view.marks = humanMarks(view.samples, human, this.range, this.buckets(view), MARK_Y);
      view.chart.draw();
    }
  }

  setRange(range: TimeRange): void {
    this.pendingRange = undefined;
    if (range.startSec === this.range.startSec && range.endSec === this.range.endSec) return;
    this.range = range;
    this.refreshData();
  }

  get currentRange(): TimeRange {
    return this.range;
  }

  setPlayhead(timeSec: number): void {
    this.playheadSec = timeSec;
    for (const view of this.views) placePlayhead(view, timeSec);
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    for (const view of this.views) {
      applyColors(view, colors);
      view.chart.update('none');
    }
  }

  /** After the panel was resized: chart.js resizes itself; the data is re-bucketed when the width changed enough. */
  resized(): void {
    for (const view of this.views) {
      if (view.dataRange === undefined) continue;
      const buckets = this.buckets(view);
      if (Math.abs(buckets - view.dataBuckets) > REBUCKET_SHARE * view.dataBuckets) this.refreshView(view);
      else placePlayhead(view, this.playheadSec);
    }
  }

  destroy(): void {
    for (const view of this.views) {
      this.visibility.unobserve(view.block);
      view.chart.destroy();
    }
    this.views = [];
  }

  /** New data for the charts in view; the others forget theirs and get it when they scroll into view. */
  private refreshData(): void {
    for (const view of this.views) {
      if (view.inView) this.refreshView(view);
      else view.dataRange = undefined;
    }
  }

  private refreshView(view: ChartView): void {
    const x = view.chart.options.scales!.x!;
    x.min = this.range.startSec;
    x.max = this.range.endSec;
    const buckets = this.buckets(view);
    if (view.samples) {
      const series = trackSeries(view.samples, this.range, buckets);
      series.lines.forEach((line, l) => (view.chart.data.datasets[l]!.data = line));
      view.marks = humanMarks(view.samples, this.human, this.range, buckets, MARK_Y);
    } else {
      view.chart.data.datasets[0]!.data = sentimentSeries(this.utterances, this.range);
    }
    view.dataRange = this.range;
    view.dataBuckets = buckets;
    view.chart.update('none');
    placePlayhead(view, this.playheadSec);
  }

  /** One bucket per two pixels: with a min and a max each, a line still has a point per pixel, at half the cost to draw. */
  private buckets(view: ChartView): number {
    return Math.max(50, Math.round((view.chart.chartArea?.width ?? view.canvas.clientWidth ?? 600) / 2));
  }

  private addChart(parts: ChartBlock, samples: TrackSamples | undefined): ChartView {
    const colors = this.colors!;
    const { canvas, playhead, block } = parts;
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = samples
      // fill: false, or chart.js fills under any line that has a backgroundColor (the tooltip's swatch needs one).
      ? this.labels.map((label) => ({ label, data: [], borderWidth: 1.25, pointRadius: 0, pointHitRadius: 4, spanGaps: false, parsing: false, fill: false }))
      : [{ label: 'sentiment', data: [], borderWidth: 2, pointRadius: 0, spanGaps: false, parsing: false, fill: false }];
    const view: ChartView = { canvas, playhead, block, marks: [], dataRange: undefined, dataBuckets: 0, inView: true, chart: undefined as unknown as ChartView['chart'], ...(samples ? { samples } : {}) };
    view.chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        normalized: true,
        events: ['mousemove', 'mouseout'],
        interaction: { mode: 'index', intersect: false, axis: 'x' },
        scales: {
          x: { type: 'linear', min: this.range.startSec, max: this.range.endSec, ticks: { maxTicksLimit: 8, callback: (value) => formatDuration(Number(value)) } },
          // One y-axis width for every chart, so their time axes line up under each other.
          y: samples
            ? { min: 0, max: 1.12, afterFit: fixWidth, ticks: { stepSize: 0.5, callback: (value) => (Number(value) <= 1 ? formatPercent(Number(value)) : '') } }
            : { min: -1, max: 1, afterFit: fixWidth, ticks: { stepSize: 1, callback: (value) => String(value) } },
        },
        plugins: {
          tooltip: {
            animation: false,
            filter: (item) => item.parsed.y !== null && !Number.isNaN(item.parsed.y),
            itemSort: (a, b) => (b.parsed.y ?? 0) - (a.parsed.y ?? 0),
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => (items[0] ? formatClock(items[0].parsed.x ?? 0) : ''),
              label: (item: TooltipItem<'line'>) => (samples ? `${item.dataset.label}: ${formatPercent(item.parsed.y ?? 0)}` : `sentiment ${(item.parsed.y ?? 0).toFixed(2)}`),
            },
          },
        },
      },
      plugins: samples ? [marksPlugin(view, () => this.colors)] : [],
    });
    applyColors(view, colors);
    this.views.push(view);
    this.attachPointer(view);
    return view;
  }

  /** Pointer down (and drag) on a chart moves the video there; with Shift held, the drag pans the charts instead. */
  private attachPointer(view: ChartView): void {
    const { canvas } = view;
    let drag: { mode: 'seek' } | { mode: 'pan'; startX: number; startRange: TimeRange } | undefined;
    const seekAt = (event: PointerEvent): void => {
      const x = view.chart.scales.x;
      if (!x) return;
      const t = x.getValueForPixel(event.offsetX);
      if (t === undefined || Number.isNaN(t)) return;
      this.callbacks.seek(Math.min(Math.max(t, this.range.startSec), this.range.endSec));
    };
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      canvas.setPointerCapture(event.pointerId);
      if (event.shiftKey) {
        drag = { mode: 'pan', startX: event.clientX, startRange: this.range };
        canvas.classList.add('panning');
        return;
      }
      drag = { mode: 'seek' };
      seekAt(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      canvas.classList.toggle('pan-ready', event.shiftKey);
      if (drag?.mode === 'seek') seekAt(event);
      else if (drag?.mode === 'pan') this.requestRange(panBy(drag.startRange, -(event.clientX - drag.startX) * this.secondsPerPixel(view), this.durationSec));
    });
    const stop = (): void => {
      drag = undefined;
      canvas.classList.remove('panning');
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
    // Not passive: a zoom or pan over a chart must not also zoom or scroll the page.
    canvas.addEventListener('wheel', (event) => this.onWheel(view, event), { passive: false });
  }

  private onWheel(view: ChartView, event: WheelEvent): void {
    const base = this.pendingRange ?? this.range;
    if (event.ctrlKey || event.metaKey) {
      const anchor = view.chart.scales.x?.getValueForPixel(event.offsetX);
      if (anchor === undefined || Number.isNaN(anchor)) return;
      event.preventDefault();
      this.requestRange(zoomAround(base, anchor, wheelZoomFactor(event.deltaY, event.deltaMode), this.durationSec));
      return;
    }
    // Horizontal wheels (trackpads) and Shift+wheel pan; a plain vertical wheel scrolls the page as usual.
    const horizontal = Math.abs(event.deltaX) > Math.abs(event.deltaY);
    if (!event.shiftKey && !horizontal) return;
    const span = base.endSec - base.startSec;
    if (span >= this.durationSec - 1e-6) return;
    event.preventDefault();
    const pixels = (horizontal ? event.deltaX : event.deltaY) * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
    this.requestRange(panBy(base, pixels * this.secondsPerPixel(view), this.durationSec));
  }

  private secondsPerPixel(view: ChartView): number {
    const width = Math.max(1, view.chart.chartArea?.width ?? view.canvas.clientWidth);
    return (this.range.endSec - this.range.startSec) / width;
  }

  /** Applies a mouse zoom or pan at the next animation frame (redrawing is the expensive part). */
  private requestRange(range: TimeRange): void {
    const first = this.pendingRange === undefined;
    this.pendingRange = range;
    if (!first) return;
    requestAnimationFrame(() => {
      const next = this.pendingRange;
      if (!next) return;
      this.setRange(next);
      this.callbacks.viewChanged(next);
    });
  }
}

interface ChartBlock {
  block: HTMLElement;
  canvas: HTMLCanvasElement;
  playhead: HTMLElement;
}

function chartBlock(title: string, isTrack: boolean): ChartBlock {
  const canvas = el('canvas', { role: 'img', 'aria-label': `${title}. Click or drag to seek; Ctrl+wheel zooms, Shift+drag pans; + and − zoom from the keyboard.` });
  const playhead = el('div', { class: 'playhead', 'aria-hidden': 'true' });
  const block = el('figure', { class: isTrack ? 'chart chart-track' : 'chart chart-sentiment' },
    el('figcaption', {}, title),
    el('div', { class: 'chart-canvas' }, canvas, playhead),
  );
  return { block, canvas, playhead };
}

const Y_AXIS_WIDTH = 44;

function fixWidth(scale: { width: number }): void {
  scale.width = Y_AXIS_WIDTH;
}

function placePlayhead(view: ChartView, timeSec: number): void {
  const x = view.chart.scales.x;
  const area = view.chart.chartArea;
  if (!x || !area) return;
  const px = x.getPixelForValue(timeSec);
  const visible = px >= area.left - 0.5 && px <= area.right + 0.5;
  view.playhead.hidden = !visible;
  if (!visible) return;
  view.playhead.style.transform = `translateX(${Math.round(px)}px)`;
  view.playhead.style.top = `${area.top}px`;
  view.playhead.style.height = `${area.bottom - area.top}px`;
}

function applyColors(view: ChartView, colors: ThemeColors): void {
  const options = view.chart.options;
  const font = { family: colors.fontFamily, size: 11 };
  for (const axis of [options.scales!.x!, options.scales!.y!]) {
    axis.ticks = { ...axis.ticks, color: colors.muted, font };
    axis.grid = { ...axis.grid, color: colors.grid };
    axis.border = { ...axis.border, color: colors.grid };
  }
  const tooltip = options.plugins!.tooltip!;
  tooltip.titleFont = font;
  tooltip.bodyFont = font;
  view.playhead.style.backgroundColor = colors.playhead;
  if (view.samples) {
    view.chart.data.datasets.forEach((dataset, l) => {
      dataset.borderColor = colors.labels[l] ?? colors.foreground;
      dataset.backgroundColor = colors.labels[l] ?? colors.foreground;
    });
    return;
  }
  const sentiment = view.chart.data.datasets[0]!;
  const tone = (y: number): string => (y > 0.05 ? colors.positive : y < -0.05 ? colors.negative : colors.neutral);
  sentiment.segment = { borderColor: (ctx) => tone(ctx.p0.parsed.y ?? 0) };
  sentiment.borderColor = colors.neutral;
  sentiment.backgroundColor = 'transparent';
}

/** Draws the human corrections as small diamonds in the band above 100 %, in their label's colour. */
function marksPlugin(view: ChartView, colors: () => ThemeColors | undefined): Plugin<'line'> {
  return {
    id: 'humanMarks',
    afterDatasetsDraw(chart) {
      const palette = colors();
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (!palette || !x || !y || view.marks.length === 0) return;
      const ctx = chart.ctx;
      const cy = y.getPixelForValue(MARK_Y);
      ctx.save();
      for (const mark of view.marks) {
        const cx = x.getPixelForValue(mark.x);
        ctx.fillStyle = palette.labels[mark.label] ?? palette.foreground;
        ctx.beginPath();
        ctx.moveTo(cx, cy - 4);
        ctx.lineTo(cx + 3, cy);
        ctx.lineTo(cx, cy + 4);
        ctx.lineTo(cx - 3, cy);
        ctx.fill();
      }
      ctx.restore();
    },
  };
}
