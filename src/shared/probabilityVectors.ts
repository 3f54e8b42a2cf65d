/**
 * Probability vectors in label order, as every part handles them: the most probable label, a mean, the
 * weighted average of an expression ensemble. Pure.
 */

/** Index of the largest value (the first of equal ones); 0 for an empty vector. */
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
