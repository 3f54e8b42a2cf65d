/**
 * The charts (chart.js 4, linear x axis in seconds, no date adapter): per track, each label's probability over
 * time with the human corrections as marks along the top, and the speech chart: the words' sentiment and, in a
 * band above it on the same time axis, the voice's arousal (z-score, left) and pitch (semitones, right). Data
 * is downsampled to the chart's width (chartSeriesModel); the playhead is a positioned element over the canvas, so following the
 * video never redraws a chart. Click or drag on a chart seeks; Ctrl/Cmd+wheel (or a pinch) zooms around the
 * pointer, Shift+drag or Shift+wheel pans (chartRangeModel). A plain wheel is left to the page, which scrolls.
 * Charts scrolled out of the charts box get their data when they come into view.
 */
import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartDataset, Plugin, TooltipItem } from 'chart.js';
import type { Utterance, Voice, VoiceSegment } from '../shared/annotationDocument';
import { sentimentLabel } from '../shared/sentimentLabel';
import { panBy, wheelZoomFactor, zoomAround } from './chartRangeModel';
import type { HumanMark, Point, TimeRange, TrackSamples } from './chartSeriesModel';
import { AROUSAL_AXIS, arousalSeries, humanMarks, pendingSuggestions, pitchAxisRange, pitchSeries, sentimentSeries, trackSeries } from './chartSeriesModel';
import { el, replaceChildren } from './dom';
import { formatDuration } from '../shared/textFormat';
import { formatClock, formatPercent } from './formatting';
import type { ThemeColors } from './themeColors';
import { arousalTone, formatSigned, hasArousal, hasVoiceSeries, pitchText, voiceNote } from './voiceModel';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

/** Height of the marks band above 1.0 on the probability axis. */
const MARK_Y = 1.08;

/** The speech chart's series, in dataset order. */
type SpeechSeries = 'sentiment' | 'arousal' | 'pitch';

/** The pitch axis's title: what its numbers are (semitones above A0, as Praat reports them). */
export const PITCH_AXIS_TITLE = 'pitch (st re 27.5 Hz)';

const SERIES_LEGEND: Record<SpeechSeries, string> = {
  sentiment: "words' sentiment (−1 to 1)",
  arousal: "voice arousal (z vs the speaker's usual)",
  pitch: `${PITCH_AXIS_TITLE}, right axis`,
};

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
    replaceChildren(this.container, ...blocks.map((b) => b.block));
    // Charts are made on attached canvases: chart.js then sizes them once, instead of again when they attach.
    const boxBottom = this.container.getBoundingClientRect().bottom;
    // With a pitch axis on the speech chart's right, the other charts leave the same room, so time lines up.
    const rightPadding = speech?.voiceBand ? RIGHT_AXIS_WIDTH : 0;
    blocks.forEach((parts, i) => {
      const samples = specs[i]!.samples;
      const view = this.addChart(parts, samples, samples ? undefined : speech, samples ? rightPadding : 0);
      view.inView = parts.block.getBoundingClientRect().top < boxBottom;
      this.visibility.observe(parts.block);
    });
    this.refreshData();
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

/** How the speech chart is laid out: which series, and whether the voice band (arousal left, pitch right) is there. */
interface SpeechLayout {
  series: SpeechSeries[];
  sentiment: boolean;
  voiceBand: boolean;
  pitchRange: { min: number; max: number } | undefined;
  /** The main view of an audio recording: tall, with room for the full axis titles. */
  big: boolean;
}

const SERIES_AXIS: Record<SpeechSeries, string> = { sentiment: 'y', arousal: 'arousal', pitch: 'pitch' };

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

/** The speech chart's caption: its title, a legend when it draws more than the sentiment, and what is missing. */
function speechCaption(speech: SpeechLayout, note: string | undefined): HTMLElement {
  const title = speech.voiceBand ? (speech.sentiment ? 'Speech: the words and the voice' : 'Voice') : 'Speech sentiment (VADER compound, −1 to 1)';
  const legend = speech.voiceBand
    ? el('ul', { class: 'chart-legend', 'aria-label': 'Legend' }, ...speech.series.map((name) => el('li', { class: `legend-item legend-${name}` }, el('span', { class: `legend-swatch swatch-${name}`, 'aria-hidden': 'true' }), SERIES_LEGEND[name])))
    : undefined;
  return el('figcaption', { class: 'speech-caption' },
    el('span', { class: 'chart-title' }, title),
    legend,
    note ? el('span', { class: 'chart-note' }, note) : undefined,
  );
}

/**
 * The speech chart's y axes. With words and voice, two bands share the time axis (chart.js stacked scales):
 * the voice on top, arousal on the left and pitch on the right, the sentiment below (beside an empty slot on
 * the right, so pitch stays in the voice band).
 */
function speechScales(speech: SpeechLayout): Record<string, object> {
  const stacked = speech.sentiment && speech.voiceBand;
  const scales: Record<string, object> = {};
  if (speech.sentiment) {
    scales.y = {
      type: 'linear', position: 'left', afterFit: fixWidth(Y_AXIS_WIDTH), ticks: { stepSize: 1, autoSkip: false, callback: (value: number | string) => String(value) },
      // Stacked under the voice: headroom above 1, so the bands' labels keep apart.
      ...(stacked ? { min: -1.15, max: 1.3, stack: 'left', stackWeight: SENTIMENT_WEIGHT, afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = [-1, 0, 1].map((value) => ({ value }))) } : { min: -1, max: 1 }),
    };
  }
  if (!speech.voiceBand) return scales;
  const pitch = speech.pitchRange ?? { min: 30, max: 42 };
  scales.arousal = {
    type: 'linear', position: 'left', min: AROUSAL_AXIS.min, max: AROUSAL_AXIS.max, afterFit: fixWidth(Y_AXIS_WIDTH),
    // −2, 0, +2 only: the band is short, and z-scores read best around the speaker's usual.
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = [-2, 0, 2].map((value) => ({ value }))),
    ticks: { autoSkip: false, callback: (value: number | string) => (Number(value) === 0 ? '0 z' : formatSigned(Number(value), 0)) },
    ...(stacked ? { stack: 'left', stackWeight: VOICE_WEIGHT } : {}),
  };
  scales.pitch = {
    type: 'linear', position: 'right', min: pitch.min, max: pitch.max, afterFit: fixWidth(RIGHT_AXIS_WIDTH),
    title: { display: true, text: speech.big ? PITCH_AXIS_TITLE : 'pitch (st)', padding: 2 },
    grid: { drawOnChartArea: false },
    // Whole multiples of a round step only (chart.js would add the axis's own ends, crowding the labels).
    afterBuildTicks: (scale: { ticks: { value: number }[] }) => (scale.ticks = pitchTicks(pitch.min, pitch.max).map((value) => ({ value }))),
    ...(stacked ? { stack: 'right', stackWeight: VOICE_WEIGHT } : {}),
  };
  if (stacked) {
    scales.pitchSpacer = { type: 'linear', position: 'right', stack: 'right', stackWeight: SENTIMENT_WEIGHT, afterFit: fixWidth(RIGHT_AXIS_WIDTH), ticks: { display: false }, grid: { display: false }, border: { display: false } };
  }
  return scales;
}

/** Pitch ticks: multiples of 2, 3, 5 or 6 semitones, whichever gives two to four of them in the range. */
function pitchTicks(min: number, max: number): number[] {
  for (const step of [2, 3, 5, 6, 12]) {
    const ticks: number[] = [];
    for (let v = Math.ceil(min / step) * step; v <= max; v += step) ticks.push(v);
    if (ticks.length <= 4) return ticks;
  }
  return [min, max];
}

/** Shares of the speech chart's height: the words' band, the voice's band. */
const SENTIMENT_WEIGHT = 2;
const VOICE_WEIGHT = 3;

function speechTooltip(name: SpeechSeries | undefined, y: number): string {
  switch (name) {
    case 'arousal':
      return `voice ${arousalTone(y)}: arousal ${formatSigned(y)} z`;
    case 'pitch':
      return `pitch ${pitchText(y)}`;
    default:
      return `words: sentiment ${y.toFixed(2)}`;
  }
}

const Y_AXIS_WIDTH = 44;
/** The pitch axis: its numbers and its title. */
const RIGHT_AXIS_WIDTH = 52;

function fixWidth(width: number): (scale: { width: number }) => void {
  return (scale) => {
    scale.width = width;
  };
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

/** Draws the human corrections as small diamonds in the band above 100 %, in their label's colour. */
function marksPlugin(view: ChartView, colors: () => ThemeColors | undefined): Plugin<'line'> {
  return {
    id: 'humanMarks',
    afterDatasetsDraw(chart) {
      const palette = colors();
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (!palette || !x || !y || view.marks.length + view.suggestionMarks.length === 0) return;
      const ctx = chart.ctx;
      const cy = y.getPixelForValue(MARK_Y);
      ctx.save();
      // Suggestions: hollow diamonds in their label's colour, a little larger so the outline reads.
      ctx.lineWidth = 1.25;
      for (const mark of view.suggestionMarks) {
        ctx.strokeStyle = palette.labels[mark.label] ?? palette.foreground;
        diamondPath(ctx, x.getPixelForValue(mark.x), cy, 3.5, 4.5);
        ctx.stroke();
      }
      for (const mark of view.marks) {
        ctx.fillStyle = palette.labels[mark.label] ?? palette.foreground;
        diamondPath(ctx, x.getPixelForValue(mark.x), cy, 3, 4);
        ctx.fill();
      }
      ctx.restore();
    },
  };
}

/** A diamond centred on (cx, cy), `halfWidth` and `halfHeight` from the centre to its corners, as a closed path. */
function diamondPath(ctx: CanvasRenderingContext2D, cx: number, cy: number, halfWidth: number, halfHeight: number): void {
  ctx.beginPath();
  ctx.moveTo(cx, cy - halfHeight);
  ctx.lineTo(cx + halfWidth, cy);
  ctx.lineTo(cx, cy + halfHeight);
  ctx.lineTo(cx - halfWidth, cy);
  ctx.closePath();
}
