/**
 * Measuring and fitting how far probabilities can be trusted: negative log-likelihood, expected calibration
 * error, and a temperature fitted to held-out labels (Guo et al. 2017, "On calibration of modern neural
 * networks": one scalar per model, which keeps its ranking of the classes and fixes over- or under-confidence).
 */
import { argmax } from '../../shared/probabilityVectors';

/** One labelled prediction: the probabilities (any order, as long as `label` indexes it). */
export interface LabelledProbs {
  probs: readonly number[];
  label: number;
}

const FLOOR = 1e-12;

/** Probabilities re-tempered: softmax(log p / t). t > 1 softens, t < 1 sharpens; the argmax never changes. */
export function temper(probs: readonly number[], t: number): number[] {
  const logits = probs.map((p) => Math.log(Math.max(p, FLOOR)) / t);
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Mean negative log-likelihood of the true labels (nats). */
export function negativeLogLikelihood(samples: readonly LabelledProbs[]): number {
  if (samples.length === 0) return 0;
  return samples.reduce((s, { probs, label }) => s - Math.log(Math.max(probs[label] ?? 0, FLOOR)), 0) / samples.length;
}

/** Share of samples whose most likely class is the label. */
export function accuracy(samples: readonly LabelledProbs[]): number {
  if (samples.length === 0) return 0;
  return samples.filter(({ probs, label }) => argmax(probs) === label).length / samples.length;
}

/**
 * Expected calibration error over `bins` equal-width confidence bins: the sample-weighted mean gap between
 * the confidence (top probability) and the accuracy inside each bin. 0 means "70 % confident" is right 70 %
 * of the time.
 */
export function expectedCalibrationError(samples: readonly LabelledProbs[], bins = 15): number {
  if (samples.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (const { probs, label } of samples) {
    const best = argmax(probs);
    const p = probs[best] ?? 0;
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]!++;
    confidence[bin]! += p;
    if (best === label) correct[bin]!++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(correct[b]! - confidence[b]!) / samples.length;
  return ece;
}

/**
 * The temperature minimising the NLL of held-out samples (golden-section search on log t over [1/20, 20]:
 * the NLL is unimodal in it). Returns 1 for an empty set.
 */
export function fitTemperature(samples: readonly LabelledProbs[]): number {
  if (samples.length === 0) return 1;
  const loss = (logT: number): number => negativeLogLikelihood(samples.map((s) => ({ probs: temper(s.probs, Math.exp(logT)), label: s.label })));
  let lo = Math.log(1 / 20), hi = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
  let la = loss(a), lb = loss(b);
  for (let i = 0; i < 60 && hi - lo > 1e-4; i++) {
    if (la < lb) {
      hi = b; b = a; lb = la; a = hi - ratio * (hi - lo); la = loss(a);
    } else {
      lo = a; a = b; la = lb; b = lo + ratio * (hi - lo); lb = loss(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
