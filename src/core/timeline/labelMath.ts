/** Small numeric helpers over probability vectors in label order. */

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Element-wise mean of equally long vectors; an empty list gives an empty vector. */
export function meanVector(vectors: readonly (readonly number[])[]): number[] {
  const first = vectors[0];
  if (!first) return [];
  const sum = new Array<number>(first.length).fill(0);
  for (const vector of vectors) for (let i = 0; i < sum.length; i++) sum[i]! += vector[i]!;
  return sum.map((value) => value / vectors.length);
}

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
