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
  /** The gain at the safeguard's one-sided bound; with it the effect is given as a range. */
  gainLowerBound?: number;
}

/**
 * "about +5 to +12 points on the faces you have not reviewed; more corrections of fearful would help most". A
 * range when the lower bound is known: on the dev sets an accepted adaptation's cross-validated gain said +12
 * points on average and gave about +7 on the faces nobody reviewed (docs/adaptation.md), so the point alone oversells.
 */
export function expectedEffectText(evidence: AdaptationEvidence): string {
  const points = Math.round(100 * (evidence.adaptedAccuracy - evidence.baseAccuracy));
  const low = evidence.gainLowerBound === undefined ? undefined : Math.max(0, Math.round(100 * evidence.gainLowerBound));
  const signed = (p: number) => `${p > 0 ? '+' : p < 0 ? '\u2212' : ''}${Math.abs(p)}`;
  const effect = points === 0
    ? 'about the same accuracy as the model on the faces you have not reviewed'
    : low !== undefined && points > 0 && low < points
      ? `about ${low === 0 ? '0' : signed(low)} to ${signed(points)} points on the faces you have not reviewed`
      : `about ${signed(points)} points on the faces you have not reviewed`;
  return evidence.weakestLabel ? `${effect}; more corrections of ${evidence.weakestLabel} would help most` : effect;
}
