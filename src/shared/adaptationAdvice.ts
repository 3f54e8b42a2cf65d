/**
 * What an adaptation is expected to do for the faces nobody reviewed, in the words `adapt` prints and the
 * review panel's adaptation bar shows. The estimate is the cross-validated accuracy on the corrections: each
 * corrected face predicted by a fit that never saw it, which is what an unreviewed face is. Pure.
 */

export interface AdaptationEvidence {
  baseAccuracy: number;
  adaptedAccuracy: number;
  /** The label whose corrected faces the adaptation still gets wrong most often. */
  weakestLabel?: string;
}

/** "about +12 points on the faces you have not reviewed; more corrections of fearful would help most". */
export function expectedEffectText(evidence: AdaptationEvidence): string {
  const points = Math.round(100 * (evidence.adaptedAccuracy - evidence.baseAccuracy));
  const effect = points === 0 ? 'about the same accuracy as the model on the faces you have not reviewed' : `about ${points > 0 ? '+' : '\u2212'}${Math.abs(points)} points on the faces you have not reviewed`;
  return evidence.weakestLabel ? `${effect}; more corrections of ${evidence.weakestLabel} would help most` : effect;
}
