// Word error rate as ASR papers report it: (substitutions + deletions + insertions) / reference words.

export interface WordErrorRate {
  /** Edit operations at word level. */
  errors: number;
  /** Words in the reference. */
  words: number;
  /** errors / words (0 when both are empty, errors when the reference is empty). */
  rate: number;
}

/** Lower-cases, drops punctuation (keeping apostrophes inside words) and splits on white space. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, '$1')
    .split(/\s+/)
    .filter(Boolean);
}

export function wordErrorRate(reference: string, hypothesis: string): WordErrorRate {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  const errors = editDistance(ref, hyp);
  return { errors, words: ref.length, rate: ref.length > 0 ? errors / ref.length : errors };
}

/** Levenshtein distance over words, two rows of memory. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
