/**
 * The adaptation's model: a multinomial logistic regression on the base model's log-probabilities,
 * adapted = softmax(W · log p + b). With W = I and b = 0 it returns p unchanged, and every fit is pulled toward
 * exactly that (an L2 penalty on W - I and on b), so a few corrections move the model a little and many move it
 * further. Four nested forms, from 7 to 56 parameters for seven labels, let cross-validation pick how much the
 * corrections can support: `bias` (a shift of each label's prior), `scale-bias` (plus one temperature),
 * `diagonal` (a temperature per label) and `full` (labels borrowing evidence from each other).
 * Fitted by Newton's method with backtracking: the problem is small and strictly convex.
 */
import { choleskySolve } from './choleskySolve';
import { softmax } from '../models/modelManifest';

/** One human-labelled face: the base model's distribution and the index of the label the human chose. */
export interface LabelledFace {
  probs: readonly number[];
  label: number;
}

export type RecalibrationForm = 'bias' | 'scale-bias' | 'diagonal' | 'full';
export const RECALIBRATION_FORMS: readonly RecalibrationForm[] = ['bias', 'scale-bias', 'diagonal', 'full'];

/** How many numbers a form fits, for `classes` labels. */
export function parameterCount(form: RecalibrationForm, classes: number): number {
  return directionsOf(form, classes).length;
}

export interface RecalibrationParameters {
  /** K x K, row k gives label k's logit from the K log-probabilities. */
  weights: number[][];
  bias: number[];
}

/** Probabilities below this are clamped before the log (some models output exact zeros). */
const MIN_PROB = 1e-6;
const MAX_NEWTON_STEPS = 50;
const CONVERGED_STEP = 1e-9;

export function identityParameters(classes: number): RecalibrationParameters {
  return {
    weights: Array.from({ length: classes }, (_, k) => Array.from({ length: classes }, (_, j) => (k === j ? 1 : 0))),
    bias: new Array<number>(classes).fill(0),
  };
}

/**
 * A parameter moves the logits away from log p along a direction that depends on the face: logit k gets
 * theta_m * direction_m(x)[k]. Each form is a list of such directions; theta = 0 is the base model.
 */
type Direction = (x: Float64Array, k: number) => number;

function directionsOf(form: RecalibrationForm, classes: number): Direction[] {
  const bias = Array.from({ length: classes }, (_, c): Direction => (_x, k) => (k === c ? 1 : 0));
  switch (form) {
    case 'bias':
      return bias;
    case 'scale-bias':
      return [...bias, (x, k) => x[k]!];
    case 'diagonal':
      return [...bias, ...Array.from({ length: classes }, (_, c): Direction => (x, k) => (k === c ? x[k]! : 0))];
    case 'full':
      return [...bias, ...Array.from({ length: classes * classes }, (_, m): Direction => {
        const row = Math.floor(m / classes);
        const column = m % classes;
        return (x, k) => (k === row ? x[column]! : 0);
      })];
  }
}

/**
 * Minimises  sum_i -log q_i[y_i]  +  penalty * |theta|^2  (theta = 0 is the base model): the penalty weighs
 * like that many pseudo-observations of "the base model is right as it is".
 */
export function fitRecalibration(faces: readonly LabelledFace[], classes: number, penalty: number, form: RecalibrationForm = 'full'): RecalibrationParameters {
  const directions = directionsOf(form, classes);
  // Per face, the base logits (log p) and each parameter's direction as a K-vector: computed once.
  const prepared = faces.map((face) => {
    const x = logProbs(face.probs, classes);
    return { base: x, basis: directions.map((direction) => Float64Array.from({ length: classes }, (_, k) => direction(x, k))), label: face.label };
  });
  return expand(fitDirections(prepared, classes, penalty, directions.length), form, classes);
}

/** A face for `fitDirections`: its base logits, one K-vector per parameter (how it moves the logits), the label. */
export interface DirectionFace {
  base: Float64Array;
  basis: readonly Float64Array[];
  label: number;
}

/**
 * Minimises  sum_i -log softmax(base_i + sum_m theta_m basis_im)[y_i]  +  penalty * |theta|^2  by Newton's method
 * with backtracking; theta = 0 is the base model (`size` parameters). Shared by the recalibrations and the member weights.
 */
export function fitDirections(faces: readonly DirectionFace[], classes: number, penalty: number, size: number): Float64Array {
  // Most directions touch one logit only; the Hessian loop visits just the logits a direction touches.
  const prepared = faces.map((face) => ({ x: face.base, basis: face.basis, touched: face.basis.map((b) => Array.from(b.keys()).filter((k) => b[k] !== 0)), label: face.label }));
  let theta = new Float64Array(size);
  let loss = objective(theta, prepared, classes, penalty);
  for (let step = 0; step < MAX_NEWTON_STEPS; step++) {
    const { gradient, hessian } = derivatives(theta, prepared, classes, penalty, size);
    const direction = choleskySolve(hessian, gradient, size);
    // Backtracking keeps every step a descent even far from the optimum (Newton alone can overshoot there).
    let scale = 1;
    for (let tries = 0; tries < 30; tries++, scale /= 2) {
      const candidate = theta.map((value, i) => value - scale * direction[i]!);
      const candidateLoss = objective(candidate, prepared, classes, penalty);
      if (candidateLoss <= loss) {
        theta = candidate;
        loss = candidateLoss;
        break;
      }
    }
    if (Math.max(...direction.map((d) => Math.abs(d * scale))) < CONVERGED_STEP) break;
  }
  return theta;
}

/** The adapted distribution of one face. */
export function recalibrate(parameters: RecalibrationParameters, probs: readonly number[]): number[] {
  const x = logProbs(probs, parameters.bias.length);
  return softmax(parameters.weights.map((row, k) => row.reduce((sum, w, j) => sum + w * x[j]!, parameters.bias[k]!)));
}

interface PreparedFace {
  x: Float64Array;
  basis: readonly Float64Array[];
  /** Per direction, the logits it is not zero on. */
  touched: number[][];
  label: number;
}

function logProbs(probs: readonly number[], classes: number): Float64Array {
  return Float64Array.from({ length: classes }, (_, j) => Math.log(Math.max(probs[j] ?? 0, MIN_PROB)));
}

function logitsOf(theta: Float64Array, face: PreparedFace, classes: number): Float64Array {
  const z = Float64Array.from(face.x);
  theta.forEach((t, m) => {
    if (t === 0) return;
    const b = face.basis[m]!;
    for (let k = 0; k < classes; k++) z[k]! += t * b[k]!;
  });
  return z;
}

function objective(theta: Float64Array, faces: readonly PreparedFace[], classes: number, penalty: number): number {
  let loss = 0;
  for (const face of faces) {
    const z = logitsOf(theta, face, classes);
    let max = -Infinity;
    for (const v of z) max = Math.max(max, v);
    let total = 0;
    for (const v of z) total += Math.exp(v - max);
    loss += max + Math.log(total) - z[face.label]!;
  }
  for (const t of theta) loss += penalty * t * t;
  return loss;
}

function derivatives(theta: Float64Array, faces: readonly PreparedFace[], classes: number, penalty: number, size: number): { gradient: Float64Array; hessian: Float64Array } {
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const mean = new Float64Array(size);
  for (const face of faces) {
    const q = softmax(logitsOf(theta, face, classes));
    // E_q[direction_m] per parameter, then gradient = E_q[d] - d[y], Hessian = Cov_q(d_m, d_n).
    for (let m = 0; m < size; m++) {
      const b = face.basis[m]!;
      let expected = 0;
      for (let k = 0; k < classes; k++) expected += q[k]! * b[k]!;
      mean[m] = expected;
      gradient[m]! += expected - b[face.label]!;
    }
    for (let m = 0; m < size; m++) {
      const bm = face.basis[m]!;
      const touched = face.touched[m]!;
      for (let n = m; n < size; n++) {
        const bn = face.basis[n]!;
        let second = 0;
        for (const k of touched) second += q[k]! * bm[k]! * bn[k]!;
        hessian[m * size + n]! += second - mean[m]! * mean[n]!;
      }
    }
  }
  for (let m = 0; m < size; m++) {
    for (let n = 0; n < m; n++) hessian[m * size + n] = hessian[n * size + m]!;
    gradient[m]! += 2 * penalty * theta[m]!;
    hessian[m * size + m]! += 2 * penalty;
  }
  return { gradient, hessian };
}

/** theta back to W and b: the directions above, written out. */
function expand(theta: Float64Array, form: RecalibrationForm, classes: number): RecalibrationParameters {
  const { weights, bias } = identityParameters(classes);
  for (let k = 0; k < classes; k++) bias[k] = theta[k]!;
  if (form === 'scale-bias') for (let k = 0; k < classes; k++) weights[k]![k]! += theta[classes]!;
  if (form === 'diagonal') for (let k = 0; k < classes; k++) weights[k]![k]! += theta[classes + k]!;
  if (form === 'full') for (let m = 0; m < classes * classes; m++) weights[Math.floor(m / classes)]![m % classes]! += theta[classes + m]!;
  return { weights, bias };
}
