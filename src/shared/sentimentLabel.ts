/** VADER's published convention for labelling a compound score, used by the engine and every view of it. Pure. */
import type { SentimentLabel } from './annotationDocument';

export const POSITIVE_THRESHOLD = 0.05;
export const NEGATIVE_THRESHOLD = -0.05;

export function sentimentLabel(compound: number): SentimentLabel {
  if (compound >= POSITIVE_THRESHOLD) return 'positive';
  if (compound <= NEGATIVE_THRESHOLD) return 'negative';
  return 'neutral';
}
