/**
 * Sentence sentiment with VADER (negation, intensifiers and "but" handled), labelled with VADER's own
 * thresholds. Text is lower-cased first: ASR output is often ALL CAPS, which VADER reads as emphasis and
 * which also defeats its (case-sensitive) negation check ("I AM NOT HAPPY" would score positive).
 */
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import type { Sentiment } from '../../shared/annotationDocument';
import { sentimentLabel } from '../../shared/sentimentLabel';

export function scoreSentiment(text: string): Sentiment {
  const scores = SentimentIntensityAnalyzer.polarity_scores(text.toLowerCase());
  return { compound: scores.compound, pos: scores.pos, neu: scores.neu, neg: scores.neg, label: sentimentLabel(scores.compound) };
}
