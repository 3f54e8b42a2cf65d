/** The timeline's numbers from labels: rounding for storage, and each expression's valence and arousal. */

/** Rounds for storage: six decimals keep probabilities exact enough and documents a third of the size. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Valence of each expression, placed on the pleasant-unpleasant axis of Russell's circumplex model of
 * affect (approximate positions; surprise is nearly neutral because it can go either way).
 */
const LABEL_VALENCE: Record<string, number> = {
  angry: -0.7,
  disgust: -0.7,
  fearful: -0.6,
  happy: 0.9,
  neutral: 0,
  sad: -0.8,
  surprised: 0.2,
  contempt: -0.5,
};

/** Expected valence of a face, -1..1, from its probabilities (unknown labels count as neutral). */
export function faceValence(labels: readonly string[], probs: readonly number[]): number {
  let valence = 0;
  labels.forEach((label, i) => (valence += (LABEL_VALENCE[label] ?? 0) * (probs[i] ?? 0)));
  return valence;
}

/**
 * Arousal of each expression, on the activated-deactivated axis of the same circumplex (approximate
 * positions: anger, fear and surprise are highly activated, sadness deactivated, a neutral face neither).
 */
const LABEL_AROUSAL: Record<string, number> = {
  angry: 0.8,
  disgust: 0.35,
  fearful: 0.8,
  happy: 0.5,
  neutral: 0,
  sad: -0.4,
  surprised: 0.8,
  contempt: 0.2,
};

/** Expected arousal of a face, -1..1, from its probabilities (unknown labels count as neutral). */
export function faceArousal(labels: readonly string[], probs: readonly number[]): number {
  let arousal = 0;
  labels.forEach((label, i) => (arousal += (LABEL_AROUSAL[label] ?? 0) * (probs[i] ?? 0)));
  return arousal;
}
