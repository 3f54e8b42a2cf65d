// Choosing the default ensemble: every weighting of the models on a grid over the simplex, scored on the
// tuning set only (top-1, ties broken by the negative log-likelihood).
import { accuracy, negativeLogLikelihood } from '../../src/core/calibration/calibrationMath';
import type { LabelledProbs } from '../../src/core/calibration/calibrationMath';
import { weightedAverage } from '../../src/shared/probabilityVectors';

export interface Candidate {
  weights: number[];
  top1: number;
  nll: number;
}

/** All weight vectors of `n` models in steps of `step` that sum to 1 (models with weight 0 are left out). */
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

/**
 * Scores each weighting of the per-model samples (same images in the same order in every list, each model's
 * probabilities already calibrated), best first.
 */
export function rankWeightings(perModel: readonly (readonly LabelledProbs[])[], grid: readonly number[][]): Candidate[] {
  const count = perModel[0]?.length ?? 0;
  const candidates = grid.map((weights): Candidate => {
    const combined = Array.from({ length: count }, (_, i): LabelledProbs => ({ probs: weightedAverage(perModel.map((m) => m[i]!.probs), weights), label: perModel[0]![i]!.label }));
    return { weights, top1: accuracy(combined), nll: negativeLogLikelihood(combined) };
  });
  return candidates.sort((a, b) => b.top1 - a.top1 || a.nll - b.nll);
}
