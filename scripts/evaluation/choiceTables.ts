// The tables the default is chosen from: each model alone per set, what each costs, the rule's choice per kind
// of face, how a choice carries to a set it never saw (leave one set out), calibration before and after, and
// smoothing on video. Everything here is computed from the members' product runs (memberRuns.ts).
import type { FaceKind } from '../../src/core/vision/faceKind';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import { argmax } from '../../src/shared/probabilityVectors';
import { applyRule, candidateCost, describe, leaveOneSetOut, pairedStandardError } from './defaultChoice';
import type { Rule } from './defaultChoice';
import { candidateMembers, combine, framePredictions, ofKind, rankCandidates, smoothed, unitScores } from './ensembleSearch';
import type { Candidate, DevSet, Unit } from './ensembleSearch';
import type { MemberCost } from './memberCost';
import { memberName } from './memberRuns';
import type { Member } from './memberRuns';
import { calibratedErrorFloor, calibrationError, macroF1, mean } from './setMetrics';
import { percent, table } from './tables';

export type ShortName = (model: string) => string;

const KIND_TEXT: Record<FaceKind | 'all', string> = {
  smallCrop: 'small still face crops (at most 64 px)',
  face: 'every other face (larger crops, photos, video frames)',
  all: 'every face',
};

/** A clip set's share of clips whose dominant frame label (the main track's) is the clip's label. */
export function clipHits(units: readonly Unit[]): string {
  const scored = units.filter((u) => u.label >= 0);
  const hits = scored.filter((u) => {
    const counts = new Array<number>(CANONICAL_LABELS.length).fill(0);
    for (const f of u.frames) counts[argmax(f.probs)]!++;
    return u.frames.length > 0 && argmax(counts) === u.label;
  }).length;
  return `${hits} of ${scored.length}`;
}

/** Top-1 (each clip counting once) and macro-F1 of a set's units. */
function scores(set: DevSet, units: readonly Unit[]): string {
  const top1 = percent(mean(unitScores(units)));
  return set.video ? `${top1} (${clipHits(units)} clips)` : `${top1} / ${percent(macroF1(framePredictions(units)), 0)}`;
}

/** Each member alone on every set: top-1 and macro-F1 (clip sets: top-1 over frames and dominant label per clip). */
export function printMembers(sets: readonly DevSet[], setups: readonly { name: string; candidate: Candidate }[], reference: ReadonlyMap<string, Unit[]>, temperature: (model: string) => number): void {
  const rows = setups.map(({ name, candidate }) => [name, ...sets.map((set) => scores(set, combine(set, candidate, candidate.models.map(() => 1))))]);
  rows.push(["face-api's own pipeline (images whole; clips: its detector)", ...sets.map((set) => (reference.get(set.name) ? scores(set, reference.get(set.name)!) : '-'))]);
  console.log(`\nEach model alone, product path (top-1 / macro-F1; clips: top-1 over sampled frames, each clip counting once, and dominant label per clip; contempt left out):\n${table(['', ...sets.map((s) => s.name)], rows)}`);
  const eceRows = setups.filter(({ candidate }) => !candidate.flip && candidate.align).map(({ name, candidate }) => [name, ...sets.map((set) => percent(calibrationError(framePredictions(combine(set, candidate, [temperature(candidate.models[0]!)])))))]);
  console.log(`\nTheir expected calibration error at the manifest's temperature of each:\n${table(['', ...sets.map((s) => s.name)], eceRows)}`);
}

export function printCosts(costs: readonly MemberCost[], short: ShortName): void {
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const rows = costs.map((c) => [short(c.model), ms(c.alignMs), ms(c.inferMs), ms(c.alignMs + c.inferMs), ms(c.flipAlignMs + c.flipInferMs)]);
  const detect = mean(costs.map((c) => c.detectMs));
  console.log(`\nCost per face (engine stage timings, 1 ORT thread, fastest of 3 rounds over ${costs[0]?.faces ?? 0} faces; the detector: ${ms(detect)} per frame):\n${table(['model', 'crop/align', 'inference', 'per face', 'with flip'], rows)}`);
}

/** The rule: per kind, the sets it was chosen on, the best candidate and the one chosen, and the leaders. */
export function printRule(rule: Rule, sets: readonly DevSet[], candidates: readonly Candidate[], costs: readonly MemberCost[], short: ShortName): void {
  for (const [kind, choice] of rule.byKind) {
    const own = kind === 'all' ? sets : ofKind(sets, kind);
    const ranked = rankCandidates(own, candidates, rule.temperatures);
    const line = (name: string, c: (typeof ranked)[number]) => [name, describe(c.candidate, short), ...c.perSet.map((v) => percent(v)), percent(c.score), percent(pairedStandardError(ranked[0]!, c)), `${candidateCost(c.candidate, costs).toFixed(1)} ms`];
    const singles = ranked.filter((c) => !c.candidate.flip && c.candidate.weights.some((w) => w === 1));
    const rows = [...ranked.slice(0, 8).map((c, i) => line(i === 0 ? 'best' : '', c)), ...singles.map((c) => line('', c))];
    const chosen = ranked.find((c) => c.candidate === choice.chosen.candidate);
    if (chosen && !ranked.slice(0, 8).includes(chosen) && !singles.includes(chosen)) rows.push(line('', chosen));
    for (const row of rows) if (chosen && row[1] === describe(chosen.candidate, short)) row[0] = row[0] ? `${row[0]}, chosen` : 'chosen';
    console.log(`\n${KIND_TEXT[kind]}: chosen on ${choice.sets.join(', ')} (mean of per-set top-1; SE: standard error of the difference from the best, paired per face; the cheapest within one SE of the best is chosen):\n${table(['', 'candidate', ...own.map((s) => s.name), 'mean', 'SE', 'cost/face'], rows)}`);
    console.log(`chosen: ${describe(choice.chosen.candidate, short)}, average calibrated with temperature ${choice.ensembleTemperature.toFixed(3)}`);
  }
}

/** Leave one set out: each rule chosen on the other sets, scored on the one left out; single models for scale. */
export function printLeaveOneSetOut(sets: readonly DevSet[], members: readonly Member[], candidates: readonly Candidate[], costs: readonly MemberCost[], singles: readonly { name: string; candidate: Candidate }[], rule: Rule, short: ShortName): void {
  const variants = [
    { name: 'rule: per kind, cheapest within 1 SE', options: { perKind: true, preferCheaper: true } },
    { name: 'one for all faces, cheapest within 1 SE', options: { perKind: false, preferCheaper: true } },
    { name: 'one for all faces, best mean', options: { perKind: false, preferCheaper: false } },
  ];
  const runs = variants.map((v) => leaveOneSetOut(sets, members, candidates, costs, v.options));
  const singleScores = singles.map(({ candidate }) => sets.map((set) => mean(unitScores(combine(set, candidate, temperaturesOf(rule, candidate))))));
  const inSample = sets.map((set) => mean(unitScores(applyRule(set, rule))));
  const rows = sets.map((set, s) => [set.name, ...runs.map((r) => percent(r[s]!.top1)), ...singleScores.map((v) => percent(v[s]!)), percent(inSample[s]!)]);
  rows.push(['mean', ...runs.map((r) => percent(mean(r.map((h) => h.top1)))), ...singleScores.map((v) => percent(mean(v))), percent(mean(inSample))]);
  console.log(`\nLeave one set out: top-1 on the set left out, each rule chosen (temperatures included) on the other four; models alone for scale; last column: the rule chosen on all five, on each:\n${table(['left out', ...variants.map((v) => v.name), ...singles.map((s) => s.name), 'chosen on all'], rows)}`);
  const choices = sets.map((set, s) => [set.name, ...runs.map((r) => [...r[s]!.rule.byKind].map(([kind, c]) => `${kind === 'all' ? '' : `${kind}: `}${describe(c.chosen.candidate, short)}`).join('; '))]);
  console.log(`\nWhat each rule chose without the set:\n${table(['left out', ...variants.map((v) => v.name)], choices)}`);
}

/** Calibration: each model's temperature in the manifest and fitted now, and ECE per set of the manifest's default and of the rule. */
export function printCalibration(sets: readonly DevSet[], rule: Rule, manifestDefault: (set: DevSet) => Unit[], manifestTemperatures: ReadonlyMap<string, number>, short: ShortName): void {
  const rows = [...manifestTemperatures].map(([model, old]) => [short(model), old.toFixed(3), (rule.temperatures.get(model) ?? old).toFixed(3)]);
  console.log(`\nTemperature per model (its logits over it): in the manifest, and fitted by NLL on every development set, each set counting equally:\n${table(['model', 'manifest', 'fitted'], rows)}`);
  const eceRows = sets.map((set) => {
    const now = framePredictions(applyRule(set, rule));
    return [set.name, percent(calibrationError(framePredictions(manifestDefault(set)))), percent(calibrationError(now)), percent(calibratedErrorFloor(now))];
  });
  console.log(`\nExpected calibration error (15 bins; clips: every sampled frame) of the manifest's default and of the rule's choice; the floor is what a perfectly calibrated model with the same confidences would show on a set this size (median of 200 draws):\n${table(['set', 'manifest', 'chosen', 'floor'], eceRows)}`);
}

/** Smoothing on video: the rule's labels on the clip sets after smoothing each track over time. */
export function printSmoothing(clipSets: readonly DevSet[], rule: Rule, readings: ReadonlyMap<string, (units: readonly Unit[]) => string>): void {
  const rows = [0, 0.2, 0.4, 0.8, 1.5].map((sec) => [`${sec} s`, ...clipSets.map((set) => {
    const units = smoothed(applyRule(set, rule), sec);
    const reading = readings.get(set.name);
    return reading ? reading(units) : `${percent(mean(unitScores(units)))} (${clipHits(units)} clips)`;
  })]);
  console.log(`\nTemporal smoothing (time constant per track) with the rule, on the clips:\n${table(['smoothing', ...clipSets.map((s) => s.name)], rows)}`);
}

/** The rule's temperature of each of the candidate's members. */
export function temperaturesOf(rule: Rule, candidate: Candidate): number[] {
  return candidateMembers(candidate).map((m) => rule.temperatures.get(memberName(m)) ?? 1);
}

/** The share of a clip's frames labelled `label` between two times. */
export function shareOf(units: readonly Unit[], label: string, from: number, to: number): number {
  const frames = units.flatMap((u) => u.frames).filter((f) => f.timeSec >= from && f.timeSec < to);
  return frames.filter((f) => CANONICAL_LABELS[argmax(f.probs)] === label).length / Math.max(1, frames.length);
}

export function kindText(kind: FaceKind | 'all'): string {
  return KIND_TEXT[kind];
}
