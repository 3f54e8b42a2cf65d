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

/**
 * Probability rows averaged with one weight per row (an expression ensemble); weights that are missing count
 * 0, and when none is positive the rows count equally.
 */
export function weightedAverage(rows: readonly (readonly number[])[], weights: readonly number[]): number[] {
  const given = rows.map((_, i) => Math.max(0, weights[i] ?? 0));
  const total = given.reduce((a, b) => a + b, 0);
  const used = total > 0 ? given : rows.map(() => 1);
  const sum = total > 0 ? total : rows.length;
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, c) => rows.reduce((s, row, i) => s + (row[c] ?? 0) * used[i]!, 0) / sum);
}
