/**
 * Messages between the "Compare reviews" panel's host and its webview. The host reads the documents, computes
 * the agreement and sends one snapshot (when the webview says `ready`, again after it was hidden); the
 * webview only asks to open an annotator's document, by index, never by path. It keeps the panel's id (no
 * paths) as its state, so after a window reload the host finds the documents it compared. What it sends is untyped at
 * runtime, so the host runs it through `parseCompareWebviewMessage` first.
 */
import { hasOnlyKeys, isIndex, isRecord } from './messageChecks';

/** Bumped when a message changes shape. */
export const COMPARE_PROTOCOL_VERSION = 1;

/** One stretch of a strip: a label from startSec to endSec. */
export interface StripRun {
  startSec: number;
  endSec: number;
  label: string;
}

/** A face whose labels differ, on the timeline: its span and each annotator's label. */
export interface DifferenceMark {
  frameIndex: number;
  trackId: number;
  startSec: number;
  endSec: number;
  labels: string[];
  modelLabel: string;
}

export interface KappaFigures {
  kappa: number | null;
  observed: number | null;
  expected: number | null;
  /** Why kappa is null, when it is. */
  reason?: string;
}

export interface CompareTrack {
  trackId: number;
  compared: number;
  /** Faces some annotators labelled but not all. */
  partial: number;
  differing: number;
  figures: KappaFigures;
  /** The model's labels along the track (from the first document). */
  model: StripRun[];
  /** Each annotator's human labels along the track, in `annotators` order. */
  annotators: StripRun[][];
  /** The compared faces of this track whose labels differ. */
  differences: DifferenceMark[];
}

export interface CompareSnapshot {
  protocolVersion: typeof COMPARE_PROTOCOL_VERSION;
  /** Media file name, for the title. */
  mediaName: string;
  durationSec: number;
  annotators: { name: string; fileName: string; humanLabels: number }[];
  /** Label order of the matrix and of the colours. */
  categories: string[];
  method: 'cohen' | 'fleiss';
  compared: number;
  partial: number;
  overall: KappaFigures;
  /** Cohen: rows the first annotator, columns the second. */
  confusion?: number[][];
  /** Fleiss: the share of all ratings in each category (p_j). */
  categoryShares?: number[];
  tracks: CompareTrack[];
  /** Differences listed in the panel (the first `MAX_LISTED_DIFFERENCES`) and how many there are in all. */
  differences: DifferenceMark[];
  totalDifferences: number;
  warnings: string[];
}

/** More would make the list useless and the message large; the CLI's --json has all of them. */
export const MAX_LISTED_DIFFERENCES = 2_000;

export type CompareHostMessage =
  /** Everything the panel renders: the answer to `ready` (the panel never changes it: compare again for new corrections). */
  { type: 'snapshot'; snapshot: CompareSnapshot; panelId: string };

export type CompareWebviewMessage =
  /** The webview listens: the host answers with a snapshot. */
  | { type: 'ready' }
  /** Open annotator `annotator`'s document in the review editor (at that face, when given). */
  | { type: 'openDocument'; annotator: number; face?: { frameIndex: number; trackId: number } };

/** Most annotators one panel compares (bounds the `annotator` index a message may carry). */
export const MAX_ANNOTATORS = 64;

/** Checks a value from the webview field by field and returns a fresh copy, or undefined when anything is off. */
export function parseCompareWebviewMessage(value: unknown): CompareWebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
      return hasOnlyKeys(value, ['type']) ? { type: 'ready' } : undefined;
    case 'openDocument': {
      if (!hasOnlyKeys(value, ['type', 'annotator', 'face']) || !isIndex(value.annotator) || value.annotator >= MAX_ANNOTATORS) return undefined;
      if (value.face === undefined) return { type: 'openDocument', annotator: value.annotator };
      const face = value.face;
      if (!isRecord(face) || !hasOnlyKeys(face, ['frameIndex', 'trackId']) || !isIndex(face.frameIndex) || !isIndex(face.trackId)) return undefined;
      return { type: 'openDocument', annotator: value.annotator, face: { frameIndex: face.frameIndex, trackId: face.trackId } };
    }
    default:
      return undefined;
  }
}
