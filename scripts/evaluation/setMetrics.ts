// How right a set's labels are: top-1, macro-F1 and expected calibration error over the faces whose label a
// model can output. A face labelled "contempt" (UNSCORED: no model has the label) is analysed and counted in
// "faces found" but left out of these three, since every answer would be wrong by construction. An image with
// no face found counts as wrong (a user gets no label for it).
import { expectedCalibrationError } from '../../src/core/calibration/calibrationMath';
import type { LabelledProbs } from '../../src/core/calibration/calibrationMath';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import { argmax } from '../../src/shared/probabilityVectors';
import { UNSCORED } from './labelledImages';

/** One labelled face: its probabilities in canonical order, absent when no face was found. */
export interface Prediction {
  label: number;
  probs?: readonly number[] | undefined;
}

/** The predicted label, or undefined when there is no face. */
function predicted(p: Prediction): number | undefined {
  return p.probs && p.probs.length > 0 ? argmax(p.probs) : undefined;
}

export function scoredOnly<T extends Prediction>(items: readonly T[]): T[] {
  return items.filter((p) => p.label !== UNSCORED);
}

export function top1(items: readonly Prediction[]): number {
  const scored = scoredOnly(items);
  return scored.length === 0 ? 0 : scored.filter((p) => predicted(p) === p.label).length / scored.length;
}

/** The mean F1 over the labels the set has (a label with no face of it has no recall to average). */
export function macroF1(items: readonly Prediction[]): number {
  const scored = scoredOnly(items);
  const f1s: number[] = [];
  for (let c = 0; c < CANONICAL_LABELS.length; c++) {
    const support = scored.filter((p) => p.label === c).length;
    if (support === 0) continue;
    const hits = scored.filter((p) => p.label === c && predicted(p) === c).length;
    const said = scored.filter((p) => predicted(p) === c).length;
    f1s.push(hits === 0 ? 0 : (2 * hits) / (support + said));
  }
  return f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length;
}

/** Scored faces that have probabilities, as calibration samples. */
export function calibrationSamples(items: readonly Prediction[]): LabelledProbs[] {
  return scoredOnly(items).filter((p) => p.probs && p.probs.length > 0).map((p) => ({ probs: p.probs!, label: p.label }));
}

export function calibrationError(items: readonly Prediction[]): number {
  return expectedCalibrationError(calibrationSamples(items));
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The expected calibration error a perfectly calibrated model would still show on these samples (the median of
 * 200 draws in which each face is right with exactly its stated confidence): on a small set, empty and thin
 * bins alone make it large (about 0.12 on 87 faces), so an ECE near it says no more than "calibrated".
 */
export function calibratedErrorFloor(items: readonly Prediction[], draws = 200): number {
  const samples = calibrationSamples(items);
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const errors: number[] = [];
  for (let d = 0; d < draws; d++) {
    errors.push(expectedCalibrationError(samples.map((s) => {
      const best = argmax(s.probs);
      return { probs: s.probs, label: random() < s.probs[best]! ? best : (best + 1) % s.probs.length };
    })));
  }
  return errors.sort((a, b) => a - b)[Math.floor(draws / 2)]!;
}
