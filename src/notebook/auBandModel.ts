/**
 * The notebook renderer's action-unit band: per person, the review panel's default AUs (estimates from
 * blendshapes, 0-1) over time, downsampled like the expression charts. Read tolerantly from whatever the
 * output holds, through the document's own `geometry.layout`; a document without geometry (older versions,
 * `--no-geometry`) has no band. Pure: no DOM, no vscode, no Node.
 */
import { auName, DEFAULT_ACTION_UNITS } from '../shared/actionUnits';
import { finite, isObject } from './outputReader';
import type { Json } from './outputReader';

/** At most this many steps per person (as MAX_POINTS for the expression charts). */
const MAX_STEPS = 480;
/** A jump longer than this many sample intervals breaks the lines (out of the picture, or no geometry). */
const GAP_FACTOR = 2.5;

export interface AuStep {
  startSec: number;
  endSec: number;
  /** The mean of each shown AU over the step's samples, in `AuBandView.actionUnits` order. */
  values: number[];
}

export interface AuBandView {
  /** `AU12`, ... */
  actionUnits: string[];
  tracks: { id: number; runs: AuStep[][] }[];
}

/** The band, or undefined when the output has no measured geometry. */
export function readAuBand(doc: Json, interval: number): AuBandView | undefined {
  const section = isObject(doc.geometry) ? doc.geometry : undefined;
  const fields = isObject(section?.layout) && Array.isArray(section.layout.actionUnits) ? section.layout.actionUnits : undefined;
  if (section?.status !== 'ok' || !fields || !Array.isArray(doc.frames)) return undefined;
  const shown = DEFAULT_ACTION_UNITS.map((au) => ({ name: auName(au), at: fields.indexOf(`${auName(au)}_estimate`) })).filter((a) => a.at >= 0);
  if (shown.length === 0) return undefined;
  const byTrack = new Map<number, { timeSec: number; values: number[] }[]>();
  for (const frame of doc.frames) {
    const timeSec = isObject(frame) ? finite(frame.timeSec) : undefined;
    if (!isObject(frame) || timeSec === undefined || !Array.isArray(frame.faces)) continue;
    for (const face of frame.faces) {
      const trackId = isObject(face) ? finite(face.trackId) : undefined;
      const units = isObject(face) && isObject(face.geometry) && Array.isArray(face.geometry.actionUnits) ? face.geometry.actionUnits : undefined;
      if (trackId === undefined || !units) continue;
      const values = shown.map((a) => finite(units[a.at]));
      if (values.some((v) => v === undefined)) continue;
      const list = byTrack.get(trackId) ?? [];
      list.push({ timeSec, values: values as number[] });
      byTrack.set(trackId, list);
    }
  }
  if (byTrack.size === 0) return undefined;
  const tracks = [...byTrack.entries()].sort(([a], [b]) => a - b).map(([id, samples]) => ({ id, runs: steps(samples.sort((a, b) => a.timeSec - b.timeSec), interval) }));
  return { actionUnits: shown.map((a) => a.name), tracks };
}

/** Groups consecutive samples into at most about MAX_STEPS steps (means), broken where the samples pause. */
function steps(samples: readonly { timeSec: number; values: number[] }[], interval: number): AuStep[][] {
  const per = Math.max(1, Math.ceil(samples.length / MAX_STEPS));
  const runs: AuStep[][] = [];
  let run: AuStep[] = [];
  let group: { timeSec: number; values: number[] }[] = [];
  const flush = (endSec: number): void => {
    if (group.length === 0) return;
    const values = group[0]!.values.map((_, k) => group.reduce((sum, s) => sum + s.values[k]!, 0) / group.length);
    run.push({ startSec: group[0]!.timeSec, endSec, values });
    group = [];
  };
  samples.forEach((s, i) => {
    const next = samples[i + 1];
    group.push(s);
    const gap = next !== undefined && next.timeSec - s.timeSec > GAP_FACTOR * interval;
    if (group.length >= per || gap || next === undefined) flush(gap || next === undefined ? s.timeSec + interval : next.timeSec);
    if (gap) {
      runs.push(run);
      run = [];
    }
  });
  if (run.length > 0) runs.push(run);
  return runs;
}
