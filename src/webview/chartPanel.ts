/**
 * The charts (chart.js 4, linear x axis in seconds, no date adapter): per track, each label's probability over
 * time with the human corrections as marks along the top, and the speech chart: the words' sentiment and, in a
 * band above it on the same time axis, the voice's arousal (z-score, left) and pitch (semitones, right). Data
 * is downsampled to the chart's width (chartSeriesModel); the playhead is a positioned element over the canvas, so following the
 * video never redraws a chart. The mouse seeks, zooms and pans (chartZoomPan.ts); the speech chart's axes and
 * the marks are drawn as speechChartOptions.ts and chartMarksPlugin.ts say. Charts scrolled out of the charts
 * box get their data when they come into view.
 */
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartDataset, TooltipItem } from 'chart.js';
import type { Utterance, Voice, VoiceSegment } from '../shared/annotationDocument';
import { sentimentLabel } from '../shared/sentimentLabel';
import { formatDuration } from '../shared/textFormat';
import { MARK_Y, marksPlugin } from './chartMarksPlugin';
import type { HumanMark, Point, TimeRange, TrackSamples } from './chartSeriesModel';
import { arousalSeries, humanMarks, pendingSuggestions, pitchAxisRange, pitchSeries, sentimentSeries, trackSeries } from './chartSeriesModel';
import { ChartZoomPan } from './chartZoomPan';
import { el, replaceChildren } from './dom';
import { formatClock, formatPercent } from './formatting';
import { fixWidth, RIGHT_AXIS_WIDTH, SERIES_AXIS, speechCaption, speechScales, speechTooltip, Y_AXIS_WIDTH } from './speechChartOptions';
import type { SpeechLayout, SpeechSeries } from './speechChartOptions';
import type { ThemeColors } from './themeColors';
import { hasArousal, hasVoiceSeries, voiceNote } from './voiceModel';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** Bucket counts within this share of each other draw the same (a resize by a few pixels redraws nothing). */
const REBUCKET_SHARE = 0.1;

export interface ChartCallbacks {
  seek(timeSec: number): void;
  /** The reviewer zoomed or panned with the mouse: the panel keeps the range in its UI state. */
  viewChanged(range: TimeRange): void;
}

/** Charts outside this panel that keep to its range, playhead, colours and size (the geometry band); shown after its charts. */
export interface TimelineFollower {
  readonly element: HTMLElement;
  setRange(range: TimeRange): void;
  setPlayhead(timeSec: number): void;
  setColors(colors: ThemeColors): void;
  resized(): void;
}

interface ChartView {
  chart: Chart<'line', { x: number; y: number }[]>;
  playhead: HTMLElement;
  canvas: HTMLCanvasElement;
  block: HTMLElement;
  /** Track charts only. */
  samples?: TrackSamples;
  /** The speech chart only: what its datasets hold, in order. */
  series: SpeechSeries[];
  marks: HumanMark[];
  /** Adapted suggestions that differ from the model and await review: hollow marks. */
  suggestionMarks: HumanMark[];
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
  /** Per row: the adapted label and the model's (no adaptation: all NO_LABEL). */
  private adapted: { adaptedLabel: Int16Array; modelLabel: Int16Array } | undefined;
  private pending: Int16Array = new Int16Array(0);
  private utterances: readonly Utterance[] = [];
  private voiceSegments: readonly VoiceSegment[] = [];
  private playheadSec = 0;
  private durationSec = 1;
  private readonly visibility: IntersectionObserver;
  private readonly followers: TimelineFollower[] = [];
  /** The room right of the track charts' plots (the speech chart's pitch axis), which followers leave too. */
  trackPadding = 0;
  private readonly zoomPan = new ChartZoomPan({
    range: () => this.range,
    durationSec: () => this.durationSec,
    seek: (timeSec) => this.callbacks.seek(timeSec),
    rangeChosen: (range) => {
      this.setRange(range);
      this.callbacks.viewChanged(range);
    },
  });

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

  /**
   * Builds one chart per track, and the speech chart when there is a transcript or a measured voice. `big`: the
   * speech chart is the main view (an audio recording, with no faces to chart).
   */
  show(options: { labels: readonly string[]; samples: TrackSamples[]; human: Int16Array; adapted?: { adaptedLabel: Int16Array; modelLabel: Int16Array }; utterances: readonly Utterance[]; voice: Voice | undefined; colors: ThemeColors; range: TimeRange; durationSec: number; big?: boolean }): void {
    this.destroy();
    this.labels = options.labels;
    this.colors = options.colors;
    this.human = options.human;
    this.adapted = options.adapted;
    this.pending = this.pendingFor(options.human);
    this.utterances = options.utterances;
    this.range = options.range;
    this.durationSec = options.durationSec;
    const voice = hasVoiceSeries(options.voice) ? options.voice : undefined;
    this.voiceSegments = voice?.segments ?? [];
    const series: SpeechSeries[] = [];
    if (options.utterances.length > 0) series.push('sentiment');
    if (voice && hasArousal(voice)) series.push('arousal');
    if (voice && pitchAxisRange(voice.segments)) series.push('pitch');
    const speech: SpeechLayout | undefined = series.length > 0 || voice
      ? { series, sentiment: series.includes('sentiment'), voiceBand: voice !== undefined, pitchRange: voice ? pitchAxisRange(voice.segments) : undefined, big: options.big === true }
      : undefined;
    const note = voiceNote(options.voice);
    const specs: { caption: HTMLElement; samples: TrackSamples | undefined }[] = options.samples.map((samples) => ({ caption: trackCaption(samples.trackId, options.adapted !== undefined), samples }));
    if (speech) specs.push({ caption: speechCaption(speech, note), samples: undefined });
    const blocks = specs.map((spec) => chartBlock(spec.caption, spec.samples !== undefined, speech));
    if (blocks.length === 0) {
      const text = options.big ? `Nothing to chart: no transcript${note ? `, and ${note}` : ' and no voice'}.` : 'No faces were found, so there is nothing to chart.';
      replaceChildren(this.container, el('p', { class: 'empty-note' }, text));
      return;
    }
    replaceChildren(this.container, ...blocks.map((b) => b.block), ...this.followers.map((f) => f.element));
    // Charts are made on attached canvases: chart.js then sizes them once, instead of again when they attach.
    const boxBottom = this.container.getBoundingClientRect().bottom;
    // With a pitch axis on the speech chart's right, the other charts leave the same room, so time lines up.
    const rightPadding = speech?.voiceBand ? RIGHT_AXIS_WIDTH : 0;
    this.trackPadding = rightPadding;
    blocks.forEach((parts, i) => {
      const samples = specs[i]!.samples;
      const view = this.addChart(parts, samples, samples ? undefined : speech, samples ? rightPadding : 0);
      view.inView = parts.block.getBoundingClientRect().top < boxBottom;
      this.visibility.observe(parts.block);
    });
    this.refreshData();
  }

  follow(follower: TimelineFollower): void {
    this.followers.push(follower);
  }

  /** Click, drag, wheel and pan on a follower's chart act like on these. */
  attachZoomPan(chart: Chart<'line', { x: number; y: number }[]>, canvas: HTMLCanvasElement): void {
    this.zoomPan.attach(chart, canvas);
  }

  setHuman(human: Int16Array): void {
    this.human = human;
    this.pending = this.pendingFor(human);
    for (const view of this.views) {
      if (!view.samples || view.dataRange === undefined) continue;
      this.placeMarks(view, this.buckets(view));
      view.chart.draw();
    }
  }

  private pendingFor(human: Int16Array): Int16Array {
    return this.adapted ? pendingSuggestions(this.adapted.adaptedLabel, this.adapted.modelLabel, human) : new Int16Array(0);
  }

  private placeMarks(view: ChartView, buckets: number): void {
    if (!view.samples) return;
    view.marks = humanMarks(view.samples, this.human, this.range, buckets, MARK_Y);
    view.suggestionMarks = this.adapted ? humanMarks(view.samples, this.pending, this.range, buckets, MARK_Y) : [];
    // What is marked, for tests and tools that read the page (a canvas tells nothing).
    view.block.dataset.marks = JSON.stringify({ human: view.marks.length, suggested: view.suggestionMarks.length });
  }

  setRange(range: TimeRange): void {
    this.zoomPan.cancelPending();
    if (range.startSec === this.range.startSec && range.endSec === this.range.endSec) return;
    this.range = range;
    this.refreshData();
    for (const follower of this.followers) follower.setRange(range);
  }

  get currentRange(): TimeRange {
    return this.range;
  }

  setPlayhead(timeSec: number): void {
    this.playheadSec = timeSec;
    for (const view of this.views) placePlayhead(view, timeSec);
    for (const follower of this.followers) follower.setPlayhead(timeSec);
  }

  setColors(colors: ThemeColors): void {
    this.colors = colors;
    for (const view of this.views) {
      applyColors(view, colors);
      view.chart.update('none');
    }
    for (const follower of this.followers) follower.setColors(colors);
  }

  /** After the panel was resized: chart.js resizes itself; the data is re-bucketed when the width changed enough. */
  resized(): void {
    for (const view of this.views) {
      if (view.dataRange === undefined) continue;
      const buckets = this.buckets(view);
      if (Math.abs(buckets - view.dataBuckets) > REBUCKET_SHARE * view.dataBuckets) this.refreshView(view);
      else placePlayhead(view, this.playheadSec);
    }
    for (const follower of this.followers) follower.resized();
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
      this.placeMarks(view, buckets);
    } else {
      const counts: Record<string, number> = {};
      view.series.forEach((name, i) => {
        const data = this.speechData(name);
        view.chart.data.datasets[i]!.data = data;
        counts[name] = data.length;
      });
      // What is drawn, for tests and tools that read the page (a canvas tells nothing).
      view.block.dataset.points = JSON.stringify(counts);
    }
    view.dataRange = this.range;
    view.dataBuckets = buckets;
    view.chart.update('none');
    placePlayhead(view, this.playheadSec);
  }

  private speechData(name: SpeechSeries): Point[] {
    switch (name) {
      case 'sentiment':
        return sentimentSeries(this.utterances, this.range);
      case 'arousal':
        return arousalSeries(this.voiceSegments, this.range);
      case 'pitch':
        return pitchSeries(this.voiceSegments, this.range);
    }
  }

  /** One bucket per two pixels: with a min and a max each, a line still has a point per pixel, at half the cost to draw. */
  private buckets(view: ChartView): number {
    return Math.max(50, Math.round((view.chart.chartArea?.width ?? view.canvas.clientWidth ?? 600) / 2));
  }

  private addChart(parts: ChartBlock, samples: TrackSamples | undefined, speech: SpeechLayout | undefined, rightPadding: number): ChartView {
    const colors = this.colors!;
    const { canvas, playhead, block } = parts;
    const series = speech?.series ?? [];
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = samples
      // fill: false, or chart.js fills under any line that has a backgroundColor (the tooltip's swatch needs one).
      ? this.labels.map((label) => ({ label, data: [], borderWidth: 1.25, pointRadius: 0, pointHitRadius: 4, spanGaps: false, parsing: false, fill: false }))
      : series.map((name) => ({ label: name, data: [], yAxisID: SERIES_AXIS[name], borderWidth: name === 'pitch' ? 1.5 : 2, pointRadius: 0, pointHitRadius: 4, spanGaps: false, parsing: false, fill: false }));
    const view: ChartView = { canvas, playhead, block, series, marks: [], suggestionMarks: [], dataRange: undefined, dataBuckets: 0, inView: true, chart: undefined as unknown as ChartView['chart'], ...(samples ? { samples } : {}) };
    const x = { type: 'linear' as const, min: this.range.startSec, max: this.range.endSec, ticks: { maxTicksLimit: 8, callback: (value: number | string) => formatDuration(Number(value)) } };
    view.chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        normalized: true,
        events: ['mousemove', 'mouseout'],
        layout: { padding: { right: rightPadding } },
        // The speech chart's series have x values of their own: the tooltip shows the nearest point of each.
        interaction: samples ? { mode: 'index', intersect: false, axis: 'x' } : { mode: 'nearest', intersect: false, axis: 'x' },
        scales: samples
          // One y-axis width for every chart, so their time axes line up under each other.
          ? { x, y: { min: 0, max: 1.12, afterFit: fixWidth(Y_AXIS_WIDTH), ticks: { stepSize: 0.5, callback: (value) => (Number(value) <= 1 ? formatPercent(Number(value)) : '') } } }
          : { x, ...speechScales(speech!) },
        plugins: {
          tooltip: {
            animation: false,
            filter: (item) => item.parsed.y !== null && !Number.isNaN(item.parsed.y),
            itemSort: (a, b) => (samples ? (b.parsed.y ?? 0) - (a.parsed.y ?? 0) : a.datasetIndex - b.datasetIndex),
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => (items[0] ? formatClock(items[0].parsed.x ?? 0) : ''),
              label: (item: TooltipItem<'line'>) => (samples ? `${item.dataset.label}: ${formatPercent(item.parsed.y ?? 0)}` : speechTooltip(series[item.datasetIndex], item.parsed.y ?? 0)),
            },
          },
        },
      },
      plugins: samples ? [marksPlugin(() => ({ human: view.marks, suggested: view.suggestionMarks }), () => this.colors)] : [],
    });
    applyColors(view, colors);
    this.views.push(view);
    this.zoomPan.attach(view.chart, canvas);
    return view;
  }
}

interface ChartBlock {
  block: HTMLElement;
  canvas: HTMLCanvasElement;
  playhead: HTMLElement;
}

function chartBlock(caption: HTMLElement, isTrack: boolean, speech: SpeechLayout | undefined): ChartBlock {
  const title = caption.querySelector('.chart-title')?.textContent ?? caption.textContent ?? '';
  const canvas = el('canvas', { role: 'img', 'aria-label': `${title}. Click or drag to seek; Ctrl+wheel zooms, Shift+drag pans; + and − zoom from the keyboard.` });
  const playhead = el('div', { class: 'playhead', 'aria-hidden': 'true' });
  const classes = isTrack ? 'chart chart-track' : `chart chart-speech chart-sentiment${speech?.voiceBand ? ' has-voice' : ''}${speech?.big ? ' chart-big' : ''}`;
  const block = el('figure', { class: classes },
    caption,
    el('div', { class: 'chart-canvas' }, canvas, playhead),
  );
  return { block, canvas, playhead };
}

/** A person's chart caption; with an adaptation, what its two kinds of marks are. */
function trackCaption(trackId: number, adapted: boolean): HTMLElement {
  const title = `Person ${trackId}: expression probability`;
  if (!adapted) return el('figcaption', {}, title);
  return el('figcaption', { class: 'track-caption' },
    el('span', { class: 'chart-title' }, title),
    el('ul', { class: 'chart-legend', 'aria-label': 'Marks' },
      el('li', { class: 'legend-item' }, el('span', { class: 'mark-key mark-human', 'aria-hidden': 'true' }, '◆'), 'human label'),
      el('li', { class: 'legend-item' }, el('span', { class: 'mark-key mark-adapted', 'aria-hidden': 'true' }, '◇'), 'adapted suggestion that differs from the model'),
    ),
  );
}

export function placePlayhead(view: { chart: Chart<'line', { x: number; y: number }[]>; playhead: HTMLElement }, timeSec: number): void {
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
  for (const axis of Object.values(options.scales!)) {
    if (!axis) continue;
    axis.ticks = { ...axis.ticks, color: colors.muted, font };
    axis.grid = { ...axis.grid, color: colors.grid };
    axis.border = { ...axis.border, color: colors.grid };
    const title = (axis as { title?: { color?: string; font?: object } }).title;
    if (title) {
      title.color = colors.muted;
      title.font = { family: colors.fontFamily, size: 10 };
    }
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
  view.series.forEach((name, i) => {
    const dataset = view.chart.data.datasets[i]!;
    if (name === 'sentiment') {
      const tone = (y: number): string => colors[sentimentLabel(y)];
      dataset.segment = { borderColor: (ctx) => tone(ctx.p0.parsed.y ?? 0) };
      dataset.borderColor = colors.neutral;
      dataset.backgroundColor = colors.neutral;
      return;
    }
    const color = name === 'arousal' ? colors.arousal : colors.pitch;
    dataset.borderColor = color;
    dataset.backgroundColor = color;
    // Dashed: pitch stays apart from arousal where the two cross, in any theme (and without colour).
    dataset.borderDash = name === 'pitch' ? [5, 3] : [];
  });
}
