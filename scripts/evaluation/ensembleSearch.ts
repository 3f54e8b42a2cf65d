// Choosing the default ensemble across kinds of faces. Every candidate (which models, with what weights, with or
// without 5-point alignment and mirror averaging) is scored from the members' cached probabilities, calibrated
// the way the product does it: each model's logits over its own temperature, the weighted average over the
// ensemble's. Temperatures are fitted on the sets a choice is made on, each set counting equally.
import { fitTemperature, temper } from '../../src/core/calibration/calibrationMath';
import { smoothTrack } from '../../src/core/tracking/temporalSmoothing';
import { argmax, weightedAverage } from '../../src/shared/probabilityVectors';
import { loadManifest } from '../../src/core/models/modelManifest';
import { faceKind } from '../../src/core/vision/faceKind';
import type { FaceKind } from '../../src/core/vision/faceKind';
import type { ClipFrame, Member, MemberRun } from './memberRuns';
import { memberName } from './memberRuns';
import type { ImageOutcome } from './productRuns';
import type { Prediction } from './setMetrics';
import { calibrationSamples, mean, scoredOnly } from './setMetrics';

/** One face image (a single frame) or one clip (its main track's frames), with its label and kind of face. */
export interface Unit {
  label: number;
  frames: ClipFrame[];
  kind: FaceKind;
}

/** A development set as the search sees it: per member, the same units in the same order. */
export interface DevSet {
  name: string;
  video: boolean;
  byMember: Map<string, Unit[]>;
}

export interface Candidate {
  models: readonly string[];
  weights: readonly number[];
  align: boolean;
  flip: boolean;
}

/** A candidate with its temperatures: per model, and of the weighted average. */
export interface Calibrated extends Candidate {
  temperatures: readonly number[];
  ensembleTemperature: number;
}

export function candidateMembers(c: Candidate): Member[] {
  return c.models.map((model) => ({ model, align: c.align, flip: c.flip }));
}

/** Every development set's units per member, from the member runs (image sets, then clip sets). */
export function devSets(runs: ReadonlyMap<string, MemberRun>, imageSetNames: readonly string[], clipSetNames: readonly string[]): DevSet[] {
  const sets: DevSet[] = [];
  for (const [names, video] of [[imageSetNames, false], [clipSetNames, true]] as const) {
    for (const name of names) {
      const byMember = new Map<string, Unit[]>();
      for (const [member, run] of runs) {
        const units = video
          ? run.clips.get(name)?.map((c): Unit => ({ label: c.label, frames: c.frames, kind: 'face' }))
          : run.images.get(name)?.map((o): Unit => ({ label: o.label, frames: o.probs ? [{ timeSec: 0, probs: o.probs }] : [], kind: imageKind(o) }));
        if (units) byMember.set(member, units);
      }
      sets.push({ name, video, byMember });
    }
  }
  return sets;
}

/** A set's calibration samples for one member (video: every frame), each set weighing 1 in total. */
function memberSamples(sets: readonly DevSet[], member: string): { samples: Prediction[]; weights: number[] } {
  const samples: Prediction[] = [];
  const weights: number[] = [];
  for (const set of sets) {
    const units = scoredOnly(set.byMember.get(member) ?? []);
    const own = calibrationSamples(units.flatMap((u) => u.frames.map((f) => ({ label: u.label, probs: f.probs }))));
    samples.push(...own);
    weights.push(...own.map(() => 1 / Math.max(1, own.length)));
  }
  return { samples, weights };
}

/** Per member, the temperature fitted on these sets with each set counting equally. */
export function memberTemperatures(sets: readonly DevSet[], members: readonly Member[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const member of members) {
    const { samples, weights } = memberSamples(sets, memberName(member));
    out.set(memberName(member), fitTemperature(samples.map((s) => ({ probs: s.probs!, label: s.label })), weights));
  }
  return out;
}

/** Tempered probabilities per member's units and temperature, computed once: the search reuses them for every weighting. */
const temperedCache = new WeakMap<readonly Unit[], Map<number, number[][][]>>();

function tempered(units: readonly Unit[], temperature: number): number[][][] {
  let byTemperature = temperedCache.get(units);
  if (!byTemperature) temperedCache.set(units, (byTemperature = new Map()));
  let out = byTemperature.get(temperature);
  if (!out) byTemperature.set(temperature, (out = units.map((u) => u.frames.map((f) => temper(f.probs, temperature)))));
  return out;
}

/** The set's units with the candidate's probabilities (the average before its own temperature). */
export function combine(set: DevSet, c: Candidate, temperatures: readonly number[], ensembleTemperature = 1): Unit[] {
  const perMember = candidateMembers(c).map((m) => set.byMember.get(memberName(m)));
  if (perMember.some((u) => !u)) throw new Error(`${set.name}: a member of the candidate was not run`);
  const probs = perMember.map((units, m) => (c.weights[m]! > 0 ? tempered(units!, temperatures[m]!) : undefined));
  const weighted = probs.flatMap((p, m) => (p ? [{ p, w: c.weights[m]! }] : []));
  return perMember[0]!.map((unit, i) => ({
    ...unit,
    frames: unit.frames.map((frame, k) => {
      const average = weightedAverage(weighted.map(({ p }) => p[i]![k]!), weighted.map(({ w }) => w));
      return { timeSec: frame.timeSec, probs: ensembleTemperature === 1 ? average : temper(average, ensembleTemperature) };
    }),
  }));
}

/** Each unit's frames smoothed over time as the product smooths a track (images: unchanged). */
export function smoothed(units: readonly Unit[], smoothingSec: number): Unit[] {
  if (smoothingSec <= 0) return [...units];
  return units.map((u) => {
    const probs = smoothTrack(u.frames.map((f) => f.timeSec), u.frames.map((f) => f.probs), smoothingSec);
    return { ...u, frames: u.frames.map((f, k) => ({ timeSec: f.timeSec, probs: probs[k]! })) };
  });
}

/** Every frame as a prediction of its unit's label (an image's one frame; a unit with no face: no probabilities). */
export function framePredictions(units: readonly Unit[]): Prediction[] {
  return units.flatMap((u) => (u.frames.length === 0 ? [{ label: u.label }] : u.frames.map((f) => ({ label: u.label, probs: f.probs }))));
}

/** The ensemble temperature fitted on the combined, per-model calibrated sets, each set counting equally. */
export function ensembleTemperature(sets: readonly DevSet[], c: Candidate, temperatures: readonly number[]): number {
  const samples: { probs: readonly number[]; label: number }[] = [];
  const weights: number[] = [];
  for (const set of sets) {
    const own = calibrationSamples(framePredictions(combine(set, c, temperatures)));
    samples.push(...own);
    weights.push(...own.map(() => 1 / Math.max(1, own.length)));
  }
  return fitTemperature(samples, weights);
}

/** The kind of face an analysed image was, as the engine decides it (src/core/vision/faceKind.ts). */
export function imageKind(o: ImageOutcome): FaceKind {
  const [width = 0, height = 0] = o.imageSize ?? [];
  return faceKind({ width, height, still: true }, o.source ? { source: o.source } : {});
}

/**
 * Each scored unit's share of frames labelled right: an image 1 or 0 (0 without a face), a clip the share of
 * its sampled frames. A set's top-1 is their mean (each clip counting once).
 */
export function unitScores(units: readonly Unit[]): number[] {
  return scoredOnly(units).map((u) => (u.frames.length === 0 ? 0 : u.frames.filter((f) => argmax(f.probs) === u.label).length / u.frames.length));
}

/** The sets with only their units of one kind; a set with less than a tenth of its faces of that kind is left out. */
export function ofKind(sets: readonly DevSet[], kind: FaceKind): DevSet[] {
  return sets.flatMap((set) => {
    const units = [...set.byMember.values()][0] ?? [];
    const keep = units.map((u) => u.kind === kind);
    if (keep.filter(Boolean).length < 0.1 * units.length) return [];
    return [{ ...set, byMember: new Map([...set.byMember].map(([m, us]) => [m, us.filter((_, i) => keep[i])])) }];
  });
}

/** All weight vectors of `n` models in steps of `step` that sum to 1. */
export function simplexGrid(n: number, step: number): number[][] {
  const units = Math.round(1 / step);
  const out: number[][] = [];
  const walk = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) {
      out.push([...prefix, left].map((u) => u / units));
      return;
    }
    for (let u = 0; u <= left; u++) walk([...prefix, u], left - u);
  };
  walk([], units);
  return out;
}

export interface Scored {
  candidate: Candidate;
  temperatures: number[];
  /** Per set, every scored unit's score (unitScores); top-1 is their mean. */
  units: number[][];
  perSet: number[];
  /** The selection score: the mean of per-set top-1. */
  score: number;
}

/** Every candidate scored on these sets with the members' temperatures given, best first. */
export function rankCandidates(sets: readonly DevSet[], candidates: readonly Candidate[], temperatures: ReadonlyMap<string, number>): Scored[] {
  const scored = candidates.map((candidate): Scored => {
    const t = candidateMembers(candidate).map((m) => temperatures.get(memberName(m)) ?? 1);
    const units = sets.map((set) => unitScores(combine(set, candidate, t)));
    const perSet = units.map(mean);
    return { candidate, temperatures: t, units, perSet, score: mean(perSet) };
  });
  return scored.sort((a, b) => b.score - a.score);
}

/**
 * Every weighting of the models on a grid, with and without mirror averaging; with `alignVariants`, also without
 * alignment wherever that changes anything.
 */
export function allCandidates(models: readonly string[], step: number, alignVariants = false): Candidate[] {
  const aligned = models.map((id) => loadManifest().models.find((m) => m.id === id)?.alignment === 'arcface5');
  const out: Candidate[] = [];
  for (const flip of [false, true]) {
    for (const weights of simplexGrid(models.length, step)) {
      out.push({ models, weights, align: true, flip });
      if (alignVariants && weights.some((w, i) => w > 0 && aligned[i])) out.push({ models, weights, align: false, flip });
    }
  }
  return out;
}
