/**
 * The label table's data: one row per sampled frame and face, held column-wise (typed arrays) so an hour of
 * video (36,000 rows) is built, filtered and sorted in milliseconds, and corrections are a cheap overlay.
 * Pure (no DOM): unit-tested under Node.
 */
import type { Adaptation, AnnotationDocument, Correction, FaceRecord } from '../shared/annotationDocument';
import { faceKey, finalLabel, finalLabelSource } from '../shared/labelPrecedence';
import type { LabelSource } from '../shared/labelPrecedence';
import type { FaceRef } from '../shared/reviewProtocol';
import { segmentFlagBits } from './disagreementModel';

/** No human label on a row, in `RowTable.human`. */
export const NO_LABEL = -1;

export interface RowTable {
  labels: readonly string[];
  count: number;
  frameIndex: Int32Array;
  trackId: Int32Array;
  timeSec: Float64Array;
  /** Index into `labels` of the model's label. */
  modelLabel: Int16Array;
  confidence: Float32Array;
  /** The adapted model's label (index into `labels`), or NO_LABEL: no adaptation, or none for this face. */
  adaptedLabel: Int16Array;
  /** Its adapted probability (0 where there is no suggestion). */
  adaptedConfidence: Float32Array;
  /** The document has an adaptation (its suggestions rank between human and model labels). */
  adapted: boolean;
  /** The label the adaptation says more corrections of would help most (index into `labels`), or NO_LABEL. */
  weakestLabel: number;
  /** The flag bits (disagreementModel) of the segment the row's time lies in: 0 when it is not flagged. */
  disagreement: Uint8Array;
  /** Index in `segments` of the flagged segment the row lies in, or -1: rows of one segment are one stop for "next flag". */
  flagSegment: Int32Array;
  /** The face records, for probabilities (kept by reference, never copied). */
  faces: readonly FaceRecord[];
  /** Track ids, ascending. */
  trackIds: readonly number[];
  /** Row of the first face of each frame index. */
  firstRowOfFrame: ReadonlyMap<number, number>;
}

/** Builds the rows in document order: by frame (time), then by the frame's face order. */
export function buildRowTable(doc: AnnotationDocument): RowTable {
  let count = 0;
  for (const frame of doc.frames) count += frame.faces.length;
  const labelIndex = new Map(doc.labels.map((label, i) => [label, i]));
  const table: RowTable = {
    labels: doc.labels,
    count,
    frameIndex: new Int32Array(count),
    trackId: new Int32Array(count),
    timeSec: new Float64Array(count),
    modelLabel: new Int16Array(count),
    confidence: new Float32Array(count),
    adaptedLabel: new Int16Array(count).fill(NO_LABEL),
    adaptedConfidence: new Float32Array(count),
    adapted: false,
    weakestLabel: NO_LABEL,
    disagreement: new Uint8Array(count),
    flagSegment: new Int32Array(count).fill(-1),
    faces: new Array<FaceRecord>(count),
    trackIds: [],
    firstRowOfFrame: new Map(),
  };
  const faces = table.faces as FaceRecord[];
  const firstRow = table.firstRowOfFrame as Map<number, number>;
  const tracks = new Set<number>();
  let row = 0;
  for (const frame of doc.frames) {
    if (frame.faces.length > 0) firstRow.set(frame.index, row);
    for (const face of frame.faces) {
      table.frameIndex[row] = frame.index;
      table.trackId[row] = face.trackId;
      table.timeSec[row] = frame.timeSec;
      table.modelLabel[row] = labelIndex.get(face.label) ?? NO_LABEL;
      table.confidence[row] = face.confidence;
      faces[row] = face;
      tracks.add(face.trackId);
      row++;
    }
  }
  markDisagreements(table, doc);
  table.trackIds = [...tracks].sort((a, b) => a - b);
  fillSuggestions(table, doc.adaptation);
  return table;
}

/** The same rows with another adaptation's suggestions (the rest is shared, not copied). */
export function withSuggestions(table: RowTable, adaptation: Adaptation | undefined): RowTable {
  const next: RowTable = { ...table, adaptedLabel: new Int16Array(table.count).fill(NO_LABEL), adaptedConfidence: new Float32Array(table.count), adapted: false, weakestLabel: NO_LABEL };
  fillSuggestions(next, adaptation);
  return next;
}

function fillSuggestions(table: RowTable, adaptation: Adaptation | undefined): void {
  if (!adaptation) return;
  table.adapted = true;
  const labelIndex = new Map(table.labels.map((label, i) => [label, i]));
  table.weakestLabel = labelIndex.get(adaptation.crossValidation.weakestLabel ?? '') ?? NO_LABEL;
  for (const s of adaptation.suggestions) {
    const row = rowOf(table, s);
    const label = labelIndex.get(s.label);
    if (row === undefined || label === undefined) continue;
    table.adaptedLabel[row] = label;
    table.adaptedConfidence[row] = s.confidence;
  }
}

/** Rows whose time falls in a flagged segment get its flags; both lists are in time order, so one pass does it. */
function markDisagreements(table: RowTable, doc: AnnotationDocument): void {
  const spans = doc.segments.map((s, index) => ({ index, startSec: s.startSec, endSec: s.endSec, bits: segmentFlagBits(s) })).filter((s) => s.bits !== 0).sort((a, b) => a.startSec - b.startSec);
  let s = 0;
  for (let row = 0; row < table.count && s < spans.length; row++) {
    const t = table.timeSec[row]!;
    while (s < spans.length && spans[s]!.endSec <= t) s++;
    const span = spans[s];
    if (span && span.startSec <= t && t < span.endSec) {
      table.disagreement[row] = span.bits;
      table.flagSegment[row] = span.index;
    }
  }
}

export function rowOf(table: RowTable, face: FaceRef): number | undefined {
  const first = table.firstRowOfFrame.get(face.frameIndex);
  if (first === undefined) return undefined;
  for (let row = first; row < table.count && table.frameIndex[row] === face.frameIndex; row++) {
    if (table.trackId[row] === face.trackId) return row;
  }
  return undefined;
}

export function faceOfRow(table: RowTable, row: number): FaceRef {
  return { frameIndex: table.frameIndex[row]!, trackId: table.trackId[row]! };
}

/** `frameIndex:trackId`: how UI state names a row across reloads. */
export function rowKeyOf(table: RowTable, row: number): string {
  return faceKey(table.frameIndex[row]!, table.trackId[row]!);
}

export function rowOfKey(table: RowTable, key: string): number | undefined {
  const match = /^(\d+):(\d+)$/.exec(key);
  return match ? rowOf(table, { frameIndex: Number(match[1]), trackId: Number(match[2]) }) : undefined;
}

/** The human label of every row (index into labels, or NO_LABEL); corrections naming unknown faces or labels are ignored. */
export function humanLabels(table: RowTable, corrections: readonly Correction[]): Int16Array {
  const human = new Int16Array(table.count).fill(NO_LABEL);
  const labelIndex = new Map(table.labels.map((label, i) => [label, i]));
  for (const c of corrections) {
    const row = rowOf(table, c);
    const label = labelIndex.get(c.label);
    if (row !== undefined && label !== undefined) human[row] = label;
  }
  return human;
}

/** The row's label or undefined for NO_LABEL: what the shared precedence rule takes. */
function labelAt(labels: Int16Array, row: number): number | undefined {
  const label = labels[row]!;
  return label === NO_LABEL ? undefined : label;
}

/** Human over adapted over model (shared/labelPrecedence.ts), as the exports and the notebook rank them. */
export function finalLabelOf(table: RowTable, human: Int16Array, row: number): number {
  return finalLabel(labelAt(human, row), labelAt(table.adaptedLabel, row), table.modelLabel[row]!);
}

export function sourceOf(table: RowTable, human: Int16Array, row: number): LabelSource {
  return finalLabelSource(human[row] !== NO_LABEL, table.adaptedLabel[row] !== NO_LABEL);
}

/** The adapted model says another label than the model for this face. */
export function adaptedDiffers(table: RowTable, row: number): boolean {
  const a = table.adaptedLabel[row]!;
  return a !== NO_LABEL && a !== table.modelLabel[row];
}

/** How sure the label the face has without a human is: the adapted probability, else the model's. */
export function machineConfidence(table: RowTable, row: number): number {
  return table.adaptedLabel[row] !== NO_LABEL ? table.adaptedConfidence[row]! : table.confidence[row]!;
}

export interface RowFilter {
  /** Only this track; null: all. */
  trackId: number | null;
  /** Only rows whose final label is this; null: all. */
  label: string | null;
  lowConfidenceOnly: boolean;
  disagreementOnly: boolean;
}

/**
 * `queue`: the review queue, faces without a human label where a correction most likely changes something:
 * first where the model and its adaptation disagree, then those given the label the adaptation learnt least
 * well (its expected effect names it: "more corrections of X would help most"), then the least sure (adapted
 * confidence, else the model's).
 */
export type RowSort = 'time' | 'confidence' | 'queue';

export const NO_FILTER: RowFilter = { trackId: null, label: null, lowConfidenceOnly: false, disagreementOnly: false };

/**
 * The rows to show, in display order: time order, least confident first (then by time), or the review queue
 * (only faces without a human label; see RowSort).
 */
export function visibleRows(table: RowTable, human: Int16Array, filter: RowFilter, sort: RowSort, threshold: number): Int32Array {
  const label = filter.label === null ? NO_LABEL : table.labels.indexOf(filter.label);
  if (filter.label !== null && label === NO_LABEL) return new Int32Array(0);
  const out = new Int32Array(table.count);
  let n = 0;
  for (let row = 0; row < table.count; row++) {
    if (filter.trackId !== null && table.trackId[row] !== filter.trackId) continue;
    if (filter.lowConfidenceOnly && !(table.confidence[row]! < threshold)) continue;
    if (filter.disagreementOnly && table.disagreement[row] === 0) continue;
    if (label !== NO_LABEL && finalLabelOf(table, human, row) !== label) continue;
    if (sort === 'queue' && human[row] !== NO_LABEL) continue;
    out[n++] = row;
  }
  const rows = out.slice(0, n);
  // Rows are built in time order, so the row number breaks confidence ties by time.
  if (sort === 'confidence') rows.sort((a, b) => table.confidence[a]! - table.confidence[b]! || a - b);
  if (sort === 'queue') sortReviewQueue(table, rows);
  return rows;
}

/** Disagreements of model and adaptation first, then faces labelled the adaptation's weakest label, then the lowest confidence, then time. */
export function sortReviewQueue(table: RowTable, rows: Int32Array): Int32Array {
  const differs = (row: number): number => (adaptedDiffers(table, row) ? 0 : 1);
  const weakest = (row: number): number => (table.weakestLabel !== NO_LABEL && machineLabel(table, row) === table.weakestLabel ? 0 : 1);
  return rows.sort((a, b) => differs(a) - differs(b) || weakest(a) - weakest(b) || machineConfidence(table, a) - machineConfidence(table, b) || a - b);
}

/** The label a face has without a human: the adapted one, else the model's. */
function machineLabel(table: RowTable, row: number): number {
  return table.adaptedLabel[row] !== NO_LABEL ? table.adaptedLabel[row]! : table.modelLabel[row]!;
}

/**
 * The position in `order` (time-ordered rows) of the face shown at `timeSec`: the last sampled frame at or
 * before it, on `preferTrack` when that track has a face there. -1 when `timeSec` is before every row.
 */
export function positionAtTime(table: RowTable, order: Int32Array, timeSec: number, preferTrack?: number): number {
  // Half a microsecond of slack: frame times are rounded to microseconds in the document.
  const t = timeSec + 5e-7;
  let lo = 0;
  let hi = order.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (table.timeSec[order[mid]!]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0 || preferTrack === undefined) return found;
  const frame = table.frameIndex[order[found]!];
  for (let p = found; p >= 0 && table.frameIndex[order[p]!] === frame; p--) {
    if (table.trackId[order[p]!] === preferTrack) return p;
  }
  return found;
}

export type RowPredicate = (row: number) => boolean;

/** The next position after `from` (or before it, backwards) whose row matches; wraps once; -1 if none. */
export function nextPosition(order: Int32Array, from: number, matches: RowPredicate, backwards = false): number {
  const n = order.length;
  for (let step = 1; step <= n; step++) {
    const p = (((from + (backwards ? -step : step)) % n) + n) % n;
    if (matches(order[p]!)) return p;
  }
  return -1;
}

/** Low confidence and not yet labelled by a human: what "next low-confidence" looks for. */
export function needsReview(table: RowTable, human: Int16Array, threshold: number): RowPredicate {
  return (row) => table.confidence[row]! < threshold && human[row] === NO_LABEL;
}

/** Faces nobody has labelled yet: what "next" looks for in the review queue. */
export function notReviewed(human: Int16Array): RowPredicate {
  return (row) => human[row] === NO_LABEL;
}

/** The same human label on every row (the host's corrections often confirm what the panel shows). */
export function sameLabels(a: Int16Array, b: Int16Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Any flag (face vs words, face vs voice): what "next disagreement" looks for. */
export function inDisagreement(table: RowTable): RowPredicate {
  return (row) => table.disagreement[row] !== 0;
}

/**
 * "Next flag": the position of the first row (in `order`) of the next flagged segment after the one at `from`,
 * or before it, backwards; a segment's other rows are skipped, so each press moves to a new segment. Wraps; -1
 * when nothing is flagged.
 */
export function nextFlaggedPosition(table: RowTable, order: Int32Array, from: number, backwards = false): number {
  const current = from >= 0 && from < order.length ? table.flagSegment[order[from]!]! : -1;
  let p = nextPosition(order, from, (row) => table.flagSegment[row] !== -1 && table.flagSegment[row] !== current, backwards);
  // Only the current segment is flagged: go to its first row.
  if (p < 0) p = nextPosition(order, -1, (row) => table.flagSegment[row] !== -1);
  if (p < 0) return -1;
  // Backwards lands on the segment's last row: step back to where it begins.
  const segment = table.flagSegment[order[p]!]!;
  while (p > 0 && table.flagSegment[order[p - 1]!] === segment) p--;
  return p;
}

/** The faces of the rows between two positions (inclusive, either order): a range correction. */
export function facesBetween(table: RowTable, order: Int32Array, a: number, b: number): FaceRef[] {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(order.length - 1, Math.max(a, b));
  const faces: FaceRef[] = [];
  for (let p = lo; p <= hi; p++) faces.push(faceOfRow(table, order[p]!));
  return faces;
}
