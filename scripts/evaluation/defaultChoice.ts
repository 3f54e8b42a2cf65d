// The rule that chooses the default ensemble, per kind of face, and its check by leaving each development set
// out. For each kind (src/core/vision/faceKind.ts), every candidate is scored on the faces of that kind of every
// set that has enough of them, and the score is the mean of per-set top-1 (each set counts equally, whatever its
// size, so no single set can carry the choice). Of the candidates within one standard error of the best (the
// "one-standard-error rule": differences smaller than that are noise), the cheapest per face is chosen.
import type { FaceKind } from '../../src/core/vision/faceKind';
import { loadManifest } from '../../src/core/models/modelManifest';
import { candidateMembers, combine, ensembleTemperature, memberTemperatures, ofKind, rankCandidates, unitScores } from './ensembleSearch';
import type { Candidate, DevSet, Scored, Unit } from './ensembleSearch';
import type { MemberCost } from './memberCost';
import type { Member } from './memberRuns';
import { mean } from './setMetrics';

export const KINDS: readonly FaceKind[] = ['smallCrop', 'face'];

export interface KindChoice {
  kind: FaceKind | 'all';
  /** The sets the choice was made on (those with enough faces of the kind). */
  sets: string[];
  best: Scored;
  chosen: Scored;
  /** Standard error of the mean-of-sets difference between the best and the chosen candidate. */
  standardError: number;
  ensembleTemperature: number;
}

/** A chosen candidate per kind, with the members' temperatures it was chosen with. */
export interface Rule {
  temperatures: Map<string, number>;
  byKind: Map<FaceKind | 'all', KindChoice>;
}

/** Milliseconds per face of a candidate: each model with a positive weight, with the mirror image if it flips. */
export function candidateCost(c: Candidate, costs: readonly MemberCost[]): number {
  return c.models.reduce((sum, model, i) => {
    if (!(c.weights[i]! > 0)) return sum;
    const cost = costs.find((x) => x.model === model);
    return sum + (cost ? (c.flip ? cost.flipAlignMs + cost.flipInferMs : cost.alignMs + cost.inferMs) : 0);
  }, 0);
}

/**
 * Standard error of the difference of two candidates' mean-of-sets top-1, paired per face: per set the variance
 * of the per-face differences over its count, summed, over the number of sets.
 */
export function pairedStandardError(a: Scored, b: Scored): number {
  let variance = 0;
  a.units.forEach((units, s) => {
    const d = units.map((x, i) => x - b.units[s]![i]!);
    const m = mean(d);
    variance += d.reduce((v, x) => v + (x - m) ** 2, 0) / Math.max(1, d.length - 1) / Math.max(1, d.length);
  });
  return Math.sqrt(variance) / a.units.length;
}

/** How a rule is chosen: one choice per kind or one for all faces; the cheapest within noise or simply the best. */
export interface RuleOptions {
  perKind: boolean;
  preferCheaper: boolean;
}

/** The choice for one kind of face (or 'all': one choice for every face) on these sets. */
export function chooseForKind(sets: readonly DevSet[], kind: FaceKind | 'all', candidates: readonly Candidate[], temperatures: ReadonlyMap<string, number>, costs: readonly MemberCost[], preferCheaper = true): KindChoice | undefined {
  const own = kind === 'all' ? [...sets] : ofKind(sets, kind);
  if (own.length === 0) return undefined;
  const ranked = rankCandidates(own, candidates, temperatures);
  const best = ranked[0]!;
  let chosen = best;
  let standardError = 0;
  for (const c of preferCheaper ? ranked.slice(1) : []) {
    const se = pairedStandardError(best, c);
    if (best.score - c.score > se || candidateCost(c.candidate, costs) >= candidateCost(chosen.candidate, costs)) continue;
    chosen = c;
    standardError = se;
  }
  return { kind, sets: own.map((s) => s.name), best, chosen, standardError, ensembleTemperature: ensembleTemperature(own, chosen.candidate, chosen.temperatures) };
}

/** The whole rule on these sets: the members' temperatures (each set counting equally), then a choice per kind. */
export function chooseRule(sets: readonly DevSet[], members: readonly Member[], candidates: readonly Candidate[], costs: readonly MemberCost[], options: RuleOptions): Rule {
  const temperatures = memberTemperatures(sets, members);
  const byKind = new Map<FaceKind | 'all', KindChoice>();
  for (const kind of options.perKind ? KINDS : (['all'] as const)) {
    const choice = chooseForKind(sets, kind, candidates, temperatures, costs, options.preferCheaper);
    if (choice) byKind.set(kind, choice);
  }
  return { temperatures, byKind };
}

/** The choice that applies to a unit: its kind's, else the general one ('face'), else the one for all. */
export function choiceFor(rule: Rule, kind: FaceKind): KindChoice {
  return rule.byKind.get(kind) ?? rule.byKind.get('face') ?? rule.byKind.get('all')!;
}

/** A set's units as the rule labels them: each unit by its kind's candidate, calibrated with its temperature. */
export function applyRule(set: DevSet, rule: Rule): Unit[] {
  const out: Unit[] = [];
  const combined = new Map<KindChoice, Unit[]>();
  const first = [...set.byMember.values()][0] ?? [];
  first.forEach((unit, i) => {
    const choice = choiceFor(rule, unit.kind);
    let units = combined.get(choice);
    if (!units) combined.set(choice, (units = combine(set, choice.chosen.candidate, choice.chosen.temperatures, choice.ensembleTemperature)));
    out.push(units[i]!);
  });
  return out;
}

export interface HeldOut {
  set: string;
  rule: Rule;
  /** Top-1 on the set left out, with the rule chosen without it. */
  top1: number;
}

/** Leave-one-set-out: the rule chosen on the other sets, scored on the one left out. */
export function leaveOneSetOut(sets: readonly DevSet[], members: readonly Member[], candidates: readonly Candidate[], costs: readonly MemberCost[], options: RuleOptions): HeldOut[] {
  return sets.map((left) => {
    const rule = chooseRule(sets.filter((s) => s !== left), members, candidates, costs, options);
    return { set: left.name, rule, top1: mean(unitScores(applyRule(left, rule))) };
  });
}

/** Short description of a candidate: "face-api net 0.70 + xception 0.30, flip". */
export function describe(c: Candidate, short: (model: string) => string): string {
  const parts = c.models.map((m, i) => [m, c.weights[i]!] as const).filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]);
  const aligned = candidateMembers(c).some((m) => c.weights[c.models.indexOf(m.model)]! > 0 && loadManifest().models.find((e) => e.id === m.model)?.alignment === 'arcface5');
  const text = parts.length === 1 ? `${short(parts[0]![0])} alone` : parts.map(([m, w]) => `${short(m)} ${w.toFixed(2)}`).join(' + ');
  return `${text}${aligned && !c.align ? ', no alignment' : ''}${c.flip ? ', flip' : ''}`;
}
