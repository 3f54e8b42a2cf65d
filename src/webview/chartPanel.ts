/**
 * The charts (chart.js 4, linear x axis in seconds, no date adapter): per track, each label's probability over
 * time with the human corrections as marks along the top, and the speech sentiment. Data is downsampled to the
 * chart's width (chartSeriesModel); the playhead is a positioned element over the canvas, so following the
 * video never redraws a chart. Click or drag on a chart seeks.
 */
import { Chart, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartDataset, Plugin, TooltipItem } from 'chart.js';
import type { Utterance } from '../shared/annotationDocument';
import type { HumanMark, TimeRange, TrackSamples } from './chartSeriesModel';
import { humanMarks, sentimentSeries, trackSeries } from './chartSeriesModel';
import { el, replaceChildren } from './dom';
import { formatDuration } from '../shared/textFormat';
import { formatClock, formatPercent } from './formatting';
import type { ThemeColors } from './themeColors';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Filler);

/** Height of the marks band above 1.0 on the probability axis. */
const MARK_Y = 1.08;

export interface ChartCallbacks {
  seek(timeSec: number): void;
}

interface ChartView {
  chart: Chart<'line', { x: number; y: number }[]>;
  playhead: HTMLElement;
  canvas: HTMLCanvasElement;
  /** Track charts only. */
  samples?: TrackSamples;
  marks: HumanMark[];
}

export class ChartPanel {
  private views: ChartView[] = [];
  private labels: readonly string[] = [];
  private colors: ThemeColors | undefined;
  private range: TimeRange = { startSec: 0, endSec: 1 };
  private human: Int16Array = new Int16Array(0);
  private utterances: readonly Utterance[] = [];
  private playheadSec = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: ChartCallbacks,
  ) {}

  /** Builds one chart per track (and one for sentiment when there is a transcript). */
  show(options: { labels: readonly string[]; samples: TrackSamples[]; human: Int16Array; utterances: readonly Utterance[]; colors: ThemeColors; range: TimeRange }): void {
    this.destroy();
    this.labels = options.labels;
    this.colors = options.colors;
    this.human = options.human;
    this.utterances = options.utterances;
    this.range = options.range;
    const blocks: HTMLElement[] = [];
    for (const samples of options.samples) blocks.push(this.addChart(`Person ${samples.trackId}: expression probability`, samples));
    if (options.utterances.length > 0) blocks.push(this.addChart('Speech sentiment (VADER compound, −1 to 1)', undefined));
    if (blocks.length === 0) blocks.push(el('p', { class: 'empty-note' }, 'No faces were found, so there is nothing to chart.'));
    replaceChildren(this.container, ...blocks);
    this.refreshData();
  }

  setHuman(human: Int16Array): void {
    this.human = human;
    for (const view of this.views) {
      if (!view.samples) continue;
      view.marks = humanMarks(view.samples, human, this.range, this.buckets(view), MARK_Y);
      view.chart.draw();
    }
  }

  setRange(range: TimeRange): void {
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

  /** After the panel was resized: chart.js resizes itself; the data is re-bucketed for the new width. */
  resized(): void {
    this.refreshData();
  }

  destroy(): void {
    for (const view of this.views) view.chart.destroy();
    this.views = [];
  }

  private refreshData(): void {
    for (const view of this.views) {
      const x = view.chart.options.scales!.x!;
      x.min = this.range.startSec;
      x.max = this.range.endSec;
      if (view.samples) {
        const series = trackSeries(view.samples, this.range, this.buckets(view));
        series.lines.forEach((line, l) => (view.chart.data.datasets[l]!.data = line));
        view.marks = humanMarks(view.samples, this.human, this.range, this.buckets(view), MARK_Y);
      } else {
        view.chart.data.datasets[0]!.data = sentimentSeries(this.utterances, this.range);
      }
      view.chart.update('none');
      placePlayhead(view, this.playheadSec);
    }
  }

  private buckets(view: ChartView): number {
    return Math.max(50, Math.round(view.chart.chartArea?.width ?? view.canvas.clientWidth ?? 600));
  }

  private addChart(title: string, samples: TrackSamples | undefined): HTMLElement {
    const colors = this.colors!;
    const canvas = el('canvas', { role: 'img', 'aria-label': `${title}. Click or drag to seek.` });
    const playhead = el('div', { class: 'playhead', 'aria-hidden': 'true' });
    const block = el('figure', { class: samples ? 'chart chart-track' : 'chart chart-sentiment' },
      el('figcaption', {}, title),
      el('div', { class: 'chart-canvas' }, canvas, playhead),
    );
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = samples
      ? this.labels.map((label) => ({ label, data: [], borderWidth: 1.25, pointRadius: 0, pointHitRadius: 4, spanGaps: false, parsing: false }))
      : [{ label: 'sentiment', data: [], borderWidth: 2, pointRadius: 0, spanGaps: false, parsing: false, fill: { value: 0 } }];
    const view: ChartView = { canvas, playhead, marks: [], chart: undefined as unknown as ChartView['chart'], ...(samples ? { samples } : {}) };
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
            : { min: -1, max: 1, afterFit: fixWidth, ticks: { stepSize: 1 } },
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
    this.attachSeeking(view);
    return block;
  }

  /** Pointer down (and drag) on a chart moves the video there. */
  private attachSeeking(view: ChartView): void {
    const { canvas } = view;
    let dragging = false;
    const seekAt = (event: PointerEvent): void => {
      const x = view.chart.scales.x;
      if (!x) return;
      const t = x.getValueForPixel(event.offsetX);
      if (t === undefined || Number.isNaN(t)) return;
      this.callbacks.seek(Math.min(Math.max(t, this.range.startSec), this.range.endSec));
    };
    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      dragging = true;
      canvas.setPointerCapture(event.pointerId);
      seekAt(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      if (dragging) seekAt(event);
    });
    const stop = (): void => {
      dragging = false;
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
  }
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
