/**
 * The face geometry as the panel shows it: per person, the action-unit estimates and the head pose over time
 * (the band under the charts), and per row the values the table shows. Read through the document's own
 * `geometry.layout`, so a document is read as it says it was written. Faces whose geometry failed are left
 * out (a long run of them is a gap in the lines). Pure (no DOM): unit-tested under Node.
 */
import { DEFAULT_ACTION_UNITS } from '../shared/actionUnits';
import type { AnnotationDocument } from '../shared/annotationDocument';
import { ACTION_UNIT_FIELDS, ESTIMATED_ACTION_UNITS, geometryMeasured } from '../shared/faceGeometry';
import type { Point, TimeRange, TrackSamples } from './chartSeriesModel';
import { gapThreshold, trackSeries } from './chartSeriesModel';
import type { RowTable } from './labelRowsModel';

/** At most this many AUs at once: more lines than that are unreadable. */
export const MAX_CHOSEN_ACTION_UNITS = 8;

/** The pose angles shown, in this order. */
export const POSE_ANGLES = ['yaw', 'pitch', 'roll'] as const;

/** Where each AU and angle sits in a face's arrays, from the document's layout; undefined when the document has no usable geometry. */
export interface GeometryColumns {
  /** Index into `actionUnits` per ESTIMATED_ACTION_UNITS entry (-1: the document has no such AU). */
  au: number[];
  /** Index into `pose` of yaw, pitch, roll. */
  pose: number[];
}

/** The document's geometry columns, when it measured geometry and at least one face has it. */
export function geometryColumns(doc: AnnotationDocument): GeometryColumns | undefined {
  // Older documents (upgraded in memory, or not) and `--no-geometry` runs: nothing to show.
  const section = (doc as Partial<AnnotationDocument>).geometry;
  if (!section || section.status !== 'ok') return undefined;
  if (!doc.frames.some((f) => f.faces.some((face) => geometryMeasured(face.geometry)))) return undefined;
  const layout = section.layout;
  const au = ESTIMATED_ACTION_UNITS.map((_, i) => layout.actionUnits.indexOf(ACTION_UNIT_FIELDS[i]!));
  const pose = (['yawDeg', 'pitchDeg', 'rollDeg'] as const).map((field) => layout.pose.indexOf(field));
  if (pose.some((i) => i < 0)) return undefined;
  return { au, pose };
}

/** The AUs a saved choice names that the document has (in ESTIMATED_ACTION_UNITS order), else the defaults. */
export function chosenActionUnits(saved: readonly number[] | undefined, columns: GeometryColumns): number[] {
  const has = (au: number): boolean => columns.au[ESTIMATED_ACTION_UNITS.indexOf(au as (typeof ESTIMATED_ACTION_UNITS)[number])]! >= 0;
  const wanted = (saved && saved.length > 0 ? saved : DEFAULT_ACTION_UNITS).filter((au) => ESTIMATED_ACTION_UNITS.includes(au as (typeof ESTIMATED_ACTION_UNITS)[number]) && has(au));
  return wanted.slice(0, MAX_CHOSEN_ACTION_UNITS);
}

/** One person's geometry over time: the AUs (all of them, ESTIMATED_ACTION_UNITS order) and the angles, as chart samples. */
export interface GeometrySamples {
  trackId: number;
  actionUnits: TrackSamples;
  pose: TrackSamples;
}

export function geometrySamples(table: RowTable, columns: GeometryColumns): GeometrySamples[] {
  const rowsByTrack = new Map<number, number[]>(table.trackIds.map((id) => [id, []]));
  for (let row = 0; row < table.count; row++) {
    if (geometryMeasured(table.faces[row]!.geometry)) rowsByTrack.get(table.trackId[row]!)!.push(row);
  }
  const auCount = ESTIMATED_ACTION_UNITS.length;
  return table.trackIds.filter((id) => rowsByTrack.get(id)!.length > 0).map((trackId) => {
    const rows = Int32Array.from(rowsByTrack.get(trackId)!);
    const times = Float64Array.from(rows, (row) => table.timeSec[row]!);
    const au = new Float32Array(rows.length * auCount);
    const pose = new Float32Array(rows.length * POSE_ANGLES.length);
    rows.forEach((row, i) => {
      const g = table.faces[row]!.geometry;
      if (!geometryMeasured(g)) return;
      columns.au.forEach((at, k) => (au[i * auCount + k] = at >= 0 ? g.actionUnits[at] ?? 0 : 0));
      columns.pose.forEach((at, k) => (pose[i * POSE_ANGLES.length + k] = g.pose[at] ?? 0));
    });
    const gapSec = gapThreshold(times);
    return {
      trackId,
      actionUnits: { trackId, times, rows, probs: au, labelCount: auCount, gapSec },
      pose: { trackId, times, rows, probs: pose, labelCount: POSE_ANGLES.length, gapSec },
    };
  });
}

/** The chosen AUs' lines over `range` (downsampled like the expression charts), in `chosen` order. */
export function actionUnitLines(samples: GeometrySamples, chosen: readonly number[], range: TimeRange, buckets: number): Point[][] {
  const lines = trackSeries(samples.actionUnits, range, buckets).lines;
  return chosen.map((au) => lines[ESTIMATED_ACTION_UNITS.indexOf(au as (typeof ESTIMATED_ACTION_UNITS)[number])] ?? []);
}

/** Yaw, pitch and roll over `range`. */
export function poseLines(samples: GeometrySamples, range: TimeRange, buckets: number): Point[][] {
  return trackSeries(samples.pose, range, buckets).lines;
}

/** The pose axis: symmetric, in steps of 15 degrees, at least ±30 so a still head does not look like it shakes. */
export function poseAxisLimit(samples: readonly GeometrySamples[]): number {
  let most = 0;
  for (const s of samples) for (const v of s.pose.probs) most = Math.max(most, Math.abs(v));
  return Math.min(90, Math.max(30, Math.ceil(most / 15) * 15));
}

/** A row's values for the table: yaw, pitch, roll (degrees) and the chosen AUs (0-1), or undefined without geometry. */
export function rowGeometry(table: RowTable, row: number, columns: GeometryColumns, chosen: readonly number[]): { pose: number[]; actionUnits: number[] } | undefined {
  const g = table.faces[row]?.geometry;
  if (!geometryMeasured(g)) return undefined;
  return {
    pose: columns.pose.map((at) => g.pose[at] ?? NaN),
    actionUnits: chosen.map((au) => {
      const at = columns.au[ESTIMATED_ACTION_UNITS.indexOf(au as (typeof ESTIMATED_ACTION_UNITS)[number])] ?? -1;
      return at >= 0 ? g.actionUnits[at] ?? NaN : NaN;
    }),
  };
}
