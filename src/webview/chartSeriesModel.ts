/**
 * Chart data for the review panel, downsampled to the chart's width: per track, each label's probability over
 * time (min and max of every pixel bucket, so a one-frame spike still shows), the human corrections as marks,
 * and the speech: sentiment of the words, arousal and pitch of the voice. Pure (no DOM, no chart.js): unit-tested under Node.
 */
import type { Utterance, VoiceSegment } from '../shared/annotationDocument';
import type { RowTable } from './labelRowsModel';
import { NO_LABEL } from './labelRowsModel';

export interface Point {
  x: number;
  /** NaN breaks the line (chart.js draws no segment across it): where a track is not on screen. */
  y: number;
}

/** One track's samples in time order: the source of its chart. */
export interface TrackSamples {
  trackId: number;
  times: Float64Array;
  /** Row numbers in the RowTable, parallel to `times`. */
  rows: Int32Array;
  /** Probabilities, `labelCount` per sample (smoothed when the document has them: what the label came from). */
  probs: Float32Array;
  labelCount: number;
  /** A pause longer than this between samples is a gap in the line (the face left the picture). */
  gapSec: number;
}

export interface TimeRange {
  startSec: number;
  endSec: number;
}

export interface TrackSeries {
  trackId: number;
  /** One line per label, in `labels` order; all share the same x values (tooltips read them by index). */
  lines: Point[][];
}

export interface HumanMark extends Point {
  /** Index into labels of the human label. */
  label: number;
}

/** Splits the table by track, keeping each label's probabilities in one flat array. */
export function trackSamples(table: RowTable): TrackSamples[] {
  const labelCount = table.labels.length;
  const rowsByTrack = new Map<number, number[]>(table.trackIds.map((id) => [id, []]));
  for (let row = 0; row < table.count; row++) rowsByTrack.get(table.trackId[row]!)!.push(row);
  return table.trackIds.map((trackId) => {
    const rows = Int32Array.from(rowsByTrack.get(trackId)!);
    const times = new Float64Array(rows.length);
    const probs = new Float32Array(rows.length * labelCount);
    rows.forEach((row, i) => {
      times[i] = table.timeSec[row]!;
      const face = table.faces[row]!;
      const source = face.smoothedProbs ?? face.probs;
      for (let l = 0; l < labelCount; l++) probs[i * labelCount + l] = source[l] ?? 0;
    });
    return { trackId, times, rows, probs, labelCount, gapSec: gapThreshold(times) };
  });
}

/** Three typical sampling steps: a longer pause means the track was not seen. */
export function gapThreshold(times: Float64Array): number {
  const steps: number[] = [];
  for (let i = 1; i < times.length && steps.length < 2001; i++) steps.push(times[i]! - times[i - 1]!);
  if (steps.length === 0) return Infinity;
  steps.sort((a, b) => a - b);
  return Math.max(3 * steps[steps.length >> 1]!, 1e-3);
}

/** First index with times[i] >= t. */
export function lowerBound(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The track's lines over `range`, with at most two points per bucket (`buckets` is about the chart's width in
 * pixels). One sample either side of the range is kept so lines run to the edges.
 */
export function trackSeries(samples: TrackSamples, range: TimeRange, buckets: number): TrackSeries {
  const { times, probs, labelCount, gapSec } = samples;
  const from = Math.max(0, lowerBound(times, range.startSec) - 1);
  const to = Math.min(times.length, lowerBound(times, range.endSec) + 1);
  const lines: Point[][] = Array.from({ length: labelCount }, () => []);
  const span = Math.max(range.endSec - range.startSec, 1e-9);
  const width = span / Math.max(1, Math.floor(buckets));
  const push = (x: number, value: (l: number) => number): void => {
    for (let l = 0; l < labelCount; l++) lines[l]!.push({ x, y: value(l) });
  };
  if (to - from <= 2 * buckets) {
    for (let i = from; i < to; i++) {
      if (i > from && times[i]! - times[i - 1]! > gapSec) push((times[i]! + times[i - 1]!) / 2, () => NaN);
      push(times[i]!, (l) => probs[i * labelCount + l]!);
    }
    return { trackId: samples.trackId, lines };
  }
  let i = from;
  while (i < to) {
    const bucket = Math.floor((times[i]! - range.startSec) / width);
    let end = i + 1;
    while (end < to && Math.floor((times[end]! - range.startSec) / width) === bucket && times[end]! - times[end - 1]! <= gapSec) end++;
    emitBucket(lines, probs, labelCount, times, i, end);
    if (end < to && times[end]! - times[end - 1]! > gapSec) push((times[end]! + times[end - 1]!) / 2, () => NaN);
    i = end;
  }
  return { trackId: samples.trackId, lines };
}

/** Samples [from, to) of one bucket: each label's min and max, in the order they occur, at the bucket's first and last time. */
function emitBucket(lines: Point[][], probs: Float32Array, labelCount: number, times: Float64Array, from: number, to: number): void {
  const first = times[from]!;
  const last = times[to - 1]!;
  for (let l = 0; l < labelCount; l++) {
    let min = Infinity;
    let max = -Infinity;
    let minAt = from;
    let maxAt = from;
    for (let i = from; i < to; i++) {
      const v = probs[i * labelCount + l]!;
      if (v < min) [min, minAt] = [v, i];
      if (v > max) [max, maxAt] = [v, i];
    }
    const line = lines[l]!;
    if (to - from === 1) {
      line.push({ x: first, y: max });
      continue;
    }
    const [a, b] = minAt <= maxAt ? [min, max] : [max, min];
    line.push({ x: first, y: a }, { x: last, y: b });
  }
}

/**
 * Human labels of one track over `range` as marks at height `y`, at most one per label and bucket (a reviewed
 * hour would otherwise be 18,000 points).
 */
export function humanMarks(samples: TrackSamples, human: Int16Array, range: TimeRange, buckets: number, y: number): HumanMark[] {
  const marks: HumanMark[] = [];
  const from = lowerBound(samples.times, range.startSec);
  const to = lowerBound(samples.times, range.endSec + 1e-9);
  const width = Math.max(range.endSec - range.startSec, 1e-9) / Math.max(1, Math.floor(buckets));
  const lastBucket = new Map<number, number>();
  for (let i = from; i < to; i++) {
    const label = human[samples.rows[i]!]!;
    if (label === NO_LABEL) continue;
    const x = samples.times[i]!;
    const bucket = Math.floor((x - range.startSec) / width);
    if (lastBucket.get(label) === bucket) continue;
    lastBucket.set(label, bucket);
    marks.push({ x, y, label });
  }
  return marks;
}

/**
 * Per row, the adapted label still awaiting review where it differs from the model's (else NO_LABEL): what
 * the charts mark as suggestions beside the human marks.
 */
export function pendingSuggestions(adaptedLabel: Int16Array, modelLabel: Int16Array, human: Int16Array): Int16Array {
  const pending = new Int16Array(human.length).fill(NO_LABEL);
  for (let row = 0; row < human.length; row++) {
    const a = adaptedLabel[row]!;
    if (human[row] === NO_LABEL && a !== NO_LABEL && a !== modelLabel[row]) pending[row] = a;
  }
  return pending;
}

/** A span of time with a value (an utterance, a voice segment). */
export interface Span {
  startSec: number;
  endSec: number;
}

/**
 * Steps: each span's value held over it, the line broken between spans (and where a value is null, which has
 * no points), only the spans that reach into `range`.
 */
export function stepSeries<T extends Span>(spans: readonly T[], value: (span: T) => number | null, range: TimeRange): Point[] {
  const points: Point[] = [];
  for (const span of spans) {
    if (span.endSec < range.startSec || span.startSec > range.endSec) continue;
    const y = value(span);
    if (y === null || !Number.isFinite(y)) continue;
    if (points.length > 0) points.push({ x: span.startSec, y: NaN });
    points.push({ x: span.startSec, y }, { x: span.endSec, y });
  }
  return points;
}

/** Speech sentiment as steps: each utterance's compound score held over its span, broken between utterances. */
export function sentimentSeries(utterances: readonly Utterance[], range: TimeRange): Point[] {
  return stepSeries(utterances, (u) => u.sentiment.compound, range);
}

/** Voice arousal (z-score against the speaker's baseline) as steps over each voice segment; none without a baseline. */
export function arousalSeries(segments: readonly VoiceSegment[], range: TimeRange): Point[] {
  return stepSeries(segments, (s) => s.arousal, range);
}

/** Mean pitch (semitones re 27.5 Hz) as steps over each voice segment; a segment without voiced frames has none. */
export function pitchSeries(segments: readonly VoiceSegment[], range: TimeRange): Point[] {
  return stepSeries(segments, (s) => s.f0MeanSemitones, range);
}

/** Arousal axis bounds (z-scores): fixed, so zooming never rescales it; most speech stays within ±2. */
export const AROUSAL_AXIS = { min: -3, max: 3 };

/**
 * The pitch axis over the whole recording (not the view, so zooming and panning keep it still): the segments'
 * lowest and highest mean pitch with a semitone to spare, at least an octave tall; undefined without pitch.
 */
export function pitchAxisRange(segments: readonly VoiceSegment[]): { min: number; max: number } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of segments) {
    const v = s.f0MeanSemitones;
    if (v === null || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return undefined;
  let min = Math.floor(lo) - 1;
  let max = Math.ceil(hi) + 1;
  const short = 12 - (max - min);
  if (short > 0) {
    min -= Math.floor(short / 2);
    max += Math.ceil(short / 2);
  }
  return { min, max };
}

/**
 * The visible window: everything when `zoomSec` is 0 or covers the media, else `zoomSec` wide, centred on
 * `centreSec` and kept inside [0, duration].
 */
export function viewRange(durationSec: number, zoomSec: number, centreSec: number): TimeRange {
  const duration = Math.max(durationSec, 1e-3);
  if (zoomSec <= 0 || zoomSec >= duration) return { startSec: 0, endSec: duration };
  const start = Math.min(Math.max(centreSec - zoomSec / 2, 0), duration - zoomSec);
  return { startSec: start, endSec: start + zoomSec };
}

/** Zoom steps (visible seconds), widest last; 0 means the whole media. */
export const ZOOM_STEPS: readonly number[] = [5, 10, 30, 60, 120, 300, 600, 1200, 0];

/**
 * The next zoom step in (direction -1) or out (+1) from `zoomSec` for media of this length. A span between
 * steps (after zooming with the mouse) goes to the nearest step in that direction.
 */
export function nextZoom(zoomSec: number, direction: 1 | -1, durationSec: number): number {
  const steps = ZOOM_STEPS.filter((s) => s === 0 || s < durationSec);
  const index = steps.indexOf(zoomSec);
  if (index >= 0) return steps[Math.min(steps.length - 1, Math.max(0, index + direction))]!;
  if (zoomSec <= 0 || zoomSec >= durationSec) return direction > 0 ? 0 : nextZoom(0, -1, durationSec);
  const spans = steps.filter((s) => s > 0);
  if (direction > 0) return spans.find((s) => s > zoomSec) ?? 0;
  return spans.filter((s) => s < zoomSec).at(-1) ?? zoomSec;
}
