/**
 * Chance-corrected agreement between raters on nominal labels: Cohen's kappa for two raters (from their
 * confusion matrix) and Fleiss' kappa for any number (from how many raters put each subject in each category).
 * Pure counting; degenerate cases give `kappa: null` with the reason instead of NaN or Infinity.
 */

/** Kappa with the two agreements it compares; null where it is undefined (then `reason` says why). */
export interface KappaResult {
  method: 'cohen' | 'fleiss';
  /** (observed - expected) / (1 - expected); null when there is nothing to compare or expected agreement is 1. */
  kappa: number | null;
  /** Cohen: share of subjects both raters put in the same category. Fleiss: P̄, the mean of the per-subject P_i. */
  observed: number | null;
  /** Agreement expected by chance. Cohen: Σ_k p_A(k) p_B(k). Fleiss: P̄e = Σ_j p_j². */
  expected: number | null;
  /** Subjects (faces) compared. */
  subjects: number;
  reason?: string;
}

/** Within this of 1, expected agreement counts as 1: every rating fell in one category. */
const EPSILON = 1e-12;

/**
 * Cohen's kappa from a square confusion matrix: `matrix[a][b]` = subjects rater A put in category a and rater B
 * in category b (same category order on both axes).
 */
export function cohenKappa(matrix: readonly (readonly number[])[], categories?: readonly string[]): KappaResult {
  const k = matrix.length;
  if (matrix.some((row) => row.length !== k)) throw new Error(`the confusion matrix must be square (${k} rows)`);
  const total = sum(matrix.map(sum));
  if (total === 0) return { method: 'cohen', kappa: null, observed: null, expected: null, subjects: 0, reason: 'no face was labelled by both annotators' };
  const diagonal = sum(matrix.map((row, i) => row[i]!));
  const rows = matrix.map(sum);
  const columns = matrix.map((_, j) => sum(matrix.map((row) => row[j]!)));
  const observed = diagonal / total;
  const expected = sum(rows.map((r, i) => (r / total) * (columns[i]! / total)));
  return finish('cohen', observed, expected, total, categoryOfAll(rows, categories));
}

/** What Fleiss' kappa is computed from, per subject and category, and its intermediate figures as Fleiss defines them. */
export interface FleissResult extends KappaResult {
  method: 'fleiss';
  /** Raters per subject (n). */
  raters: number;
  /** p_j: the share of all ratings in category j. */
  categoryShares: number[];
  /** P_i: the extent to which the raters agree on subject i, (Σ_j n_ij² - n) / (n (n - 1)). */
  subjectAgreement: number[];
}

/**
 * Fleiss' kappa from `counts[i][j]`: how many raters put subject i in category j. Every subject must have the
 * same number of ratings (n ≥ 2).
 */
export function fleissKappa(counts: readonly (readonly number[])[], categories?: readonly string[]): FleissResult {
  const subjects = counts.length;
  const width = counts[0]?.length ?? categories?.length ?? 0;
  const raters = counts[0] ? sum(counts[0]) : 0;
  for (const [i, row] of counts.entries()) {
    if (row.length !== width) throw new Error(`subject ${i + 1} has ${row.length} categories, not ${width}`);
    if (sum(row) !== raters) throw new Error(`subject ${i + 1} has ${sum(row)} ratings, not ${raters}: every subject needs the same number`);
  }
  const empty = { method: 'fleiss' as const, kappa: null, observed: null, expected: null, subjects, raters, categoryShares: new Array<number>(width).fill(0), subjectAgreement: [] };
  if (subjects === 0) return { ...empty, reason: 'no face was labelled by every annotator' };
  if (raters < 2) return { ...empty, reason: 'each face needs at least two ratings' };
  const totals = Array.from({ length: width }, (_, j) => sum(counts.map((row) => row[j]!)));
  const categoryShares = totals.map((t) => t / (subjects * raters));
  const subjectAgreement = counts.map((row) => (sum(row.map((n) => n * n)) - raters) / (raters * (raters - 1)));
  const observed = sum(subjectAgreement) / subjects;
  const expected = sum(categoryShares.map((p) => p * p));
  const result = finish('fleiss', observed, expected, subjects, categoryOfAll(totals, categories));
  return { ...result, method: 'fleiss', raters, categoryShares, subjectAgreement };
}

function finish(method: 'cohen' | 'fleiss', observed: number, expected: number, subjects: number, onlyCategory: string | undefined): KappaResult {
  if (expected >= 1 - EPSILON) {
    const which = onlyCategory === undefined ? 'one label' : `"${onlyCategory}"`;
    return { method, kappa: null, observed, expected: 1, subjects, reason: `every label is ${which}: agreement expected by chance is 1, so kappa is undefined` };
  }
  return { method, kappa: (observed - expected) / (1 - expected), observed, expected, subjects };
}

/** The one category every rating fell in, when that is so (for the reason of an undefined kappa). */
function categoryOfAll(totals: readonly number[], categories: readonly string[] | undefined): string | undefined {
  const used = totals.flatMap((t, i) => (t > 0 ? [i] : []));
  return used.length === 1 && categories ? categories[used[0]!] : undefined;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
