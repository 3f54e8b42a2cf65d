/**
 * The stacked adaptation: which expression model to trust, learnt from the corrections. Logits are the default
 * ensemble's log-probabilities plus a bias and a linear function of the face's features: every member's own
 * calibrated log-probabilities (centred per member) and its geometry (blendshapes, head pose),
 *   adapted = softmax(log p + b + V f).
 * b = 0, V = 0 is the default as it is, and an L2 penalty on b and V pulls every fit toward it, so a handful of
 * corrections moves it a little. Fitted by bounded-Hessian steps (convex); K x (F + 1) parameters,
 * 7 x 69 with the default's two models and geometry.
 */
import type { FaceRecord } from '../../shared/annotationDocument';
import { BLENDSHAPES, geometryMeasured } from '../../shared/faceGeometry';
import { choleskyFactor, solveFactored } from './choleskySolve';
import { softmax } from '../models/modelManifest';

/** A face for the stacked fit: the default's distribution, its features, the human's label (index). */
export interface FeatureFace {
  probs: readonly number[];
  features: readonly number[];
  label: number;
  /** How much the face counts in the fit (default 1): a fit across sets gives each set the same total. */
  weight?: number;
}

export interface StackedParameters {
  bias: number[];
  /** K x F: label k's logit gains featureWeights[k] . features. */
  featureWeights: number[][];
}

/** Member probabilities below this are clamped before the log (they are stored with 3 decimals). */
const MIN_MEMBER_PROB = 1e-3;
const MIN_PROB = 1e-6;
const MAX_STEPS = 300;
const CONVERGED_STEP = 1e-5;
/** Head angles are divided by this, so a turned head weighs like a blendshape at full strength. */
const ANGLE_SCALE_DEG = 30;

/** The feature names, for `members` expression models: what the document's adaptation lists. */
export function featureNames(members: readonly string[], labels: readonly string[]): string[] {
  return [
    ...members.flatMap((m) => labels.map((l) => `${m}:${l}`)),
    ...BLENDSHAPES.map((b) => `blendshape:${b}`),
    'pose:yaw', 'pose:pitch', 'pose:roll',
  ];
}

/**
 * A face's features, or undefined when it has no member probabilities (a document from a single model or an
 * older engine). A face without geometry gets zeros there: no shift from the default.
 */
export function faceFeatures(face: FaceRecord, classes: number): number[] | undefined {
  if (!face.memberProbs || face.memberProbs.length < 2) return undefined;
  const members = face.memberProbs.flatMap((probs) => {
    const logs = Array.from({ length: classes }, (_, k) => Math.log(Math.max(probs[k] ?? 0, MIN_MEMBER_PROB)));
    const mean = logs.reduce((a, b) => a + b, 0) / classes;
    return logs.map((v) => v - mean);
  });
  const geometry = geometryMeasured(face.geometry) ? face.geometry : undefined;
  const blendshapes = BLENDSHAPES.map((_, i) => geometry?.blendshapes[i] ?? 0);
  const pose = [0, 1, 2].map((i) => (geometry?.pose[i] ?? 0) / ANGLE_SCALE_DEG);
  return [...members, ...blendshapes, ...pose];
}

/** The adapted distribution of one face. */
export function stackedProbs(parameters: StackedParameters, probs: readonly number[], features: readonly number[]): number[] {
  return softmax(logits(parameters.bias, parameters.featureWeights, probs, features));
}

/**
 * Minimises  sum_i w_i (-log q_i[y_i]) + penalty * (|b|^2 + |V|^2)  by Böhning's bounded-Hessian steps: the softmax
 * Hessian never exceeds 1/2 (I - 11^T/K) (x) X^T X, a fixed matrix factored once, so every step costs one
 * gradient (full Newton needed a new Hessian of some 500 x 500 per step: seconds per fit). Each step lowers the loss.
 */
export function fitStacked(faces: readonly FeatureFace[], classes: number, penalty: number): StackedParameters {
  const width = (faces[0]?.features.length ?? 0) + 1;
  const size = classes * width;
  // Per face: the base logits and the features with a leading 1 (the bias).
  const prepared = faces.map((f) => ({ base: Float64Array.from({ length: classes }, (_, k) => Math.log(Math.max(f.probs[k] ?? 0, MIN_PROB))), x: Float64Array.from([1, ...f.features]), label: f.label, weight: f.weight ?? 1 }));
  const factor = choleskyFactor(boundMatrix(prepared, classes, width, penalty), size);
  let theta = new Float64Array(size);
  for (let step = 0; step < MAX_STEPS; step++) {
    const move = solveFactored(factor, gradient(theta, prepared, classes, width, penalty), size);
    theta = theta.map((value, i) => value - move[i]!);
    if (Math.max(...move.map(Math.abs)) < CONVERGED_STEP) break;
  }
  return {
    bias: Array.from({ length: classes }, (_, k) => theta[k * width]!),
    featureWeights: Array.from({ length: classes }, (_, k) => Array.from(theta.subarray(k * width + 1, (k + 1) * width))),
  };
}

interface Prepared {
  base: Float64Array;
  x: Float64Array;
  label: number;
  weight: number;
}

function logits(bias: readonly number[], weights: readonly (readonly number[])[], probs: readonly number[], features: readonly number[]): number[] {
  return bias.map((b, k) => {
    let z = Math.log(Math.max(probs[k] ?? 0, MIN_PROB)) + b;
    const row = weights[k]!;
    for (let f = 0; f < features.length; f++) z += row[f]! * features[f]!;
    return z;
  });
}

function thetaLogits(theta: Float64Array, face: Prepared, classes: number, width: number): Float64Array {
  const z = Float64Array.from(face.base);
  for (let k = 0; k < classes; k++) {
    let sum = 0;
    for (let f = 0; f < width; f++) sum += theta[k * width + f]! * face.x[f]!;
    z[k]! += sum;
  }
  return z;
}

function gradient(theta: Float64Array, faces: readonly Prepared[], classes: number, width: number, penalty: number): Float64Array {
  const g = theta.map((t) => 2 * penalty * t);
  for (const face of faces) {
    const q = softmax(thetaLogits(theta, face, classes, width));
    for (let k = 0; k < classes; k++) {
      const residual = face.weight * (q[k]! - (k === face.label ? 1 : 0));
      for (let f = 0; f < width; f++) g[k * width + f]! += residual * face.x[f]!;
    }
  }
  return g;
}

/** 1/2 (I - 11^T/K) (x) sum x x^T, plus the penalty's 2 lambda I: never below the loss's Hessian. */
function boundMatrix(faces: readonly Prepared[], classes: number, width: number, penalty: number): Float64Array {
  const scatter = new Float64Array(width * width);
  for (const face of faces) for (let f = 0; f < width; f++) for (let g = 0; g < width; g++) scatter[f * width + g]! += face.weight * face.x[f]! * face.x[g]!;
  const size = classes * width;
  const bound = new Float64Array(size * size);
  for (let k = 0; k < classes; k++) {
    for (let l = 0; l < classes; l++) {
      const c = 0.5 * ((k === l ? 1 : 0) - 1 / classes);
      for (let f = 0; f < width; f++) for (let g = 0; g < width; g++) bound[(k * width + f) * size + l * width + g] = c * scatter[f * width + g]!;
    }
  }
  for (let m = 0; m < size; m++) bound[m * size + m]! += 2 * penalty;
  return bound;
}
