/**
 * Writing an adaptation into a document: a suggestion for every face, from the face's stored distribution.
 * Corrections are never touched; corrected faces get a suggestion too (exports and the review queue compare
 * them), but their human label keeps precedence everywhere.
 */
import type { Adaptation, AnnotationDocument, Suggestion } from '../../shared/annotationDocument';
import type { AdaptationFit } from './learnAdaptation';
import { sameLabels } from './learnAdaptation';
import type { RecalibrationParameters } from './recalibration';
import { argmax } from '../../shared/probabilityVectors';
import { recalibrate } from './recalibration';
import { faceKey } from '../../shared/labelPrecedence';

/** The adapted label and probability of every face of the document. */
export function suggestionsFor(document: AnnotationDocument, parameters: RecalibrationParameters): Suggestion[] {
  return document.frames.flatMap((frame) =>
    frame.faces.map((face): Suggestion => {
      const adapted = recalibrate(parameters, face.smoothedProbs ?? face.probs);
      const best = argmax(adapted);
      return { frameIndex: frame.index, trackId: face.trackId, label: document.labels[best]!, confidence: round(adapted[best]!) };
    }),
  );
}

/** The document with the fit as its adaptation (replacing any earlier one), and how many uncorrected faces change label. */
export function withAdaptation(document: AnnotationDocument, fit: AdaptationFit, createdAt: Date): { document: AnnotationDocument; changedLabels: number } {
  const suggestions = suggestionsFor(document, fit.parameters);
  const adaptation: Adaptation = {
    method: 'recalibration',
    form: fit.form,
    createdAt: createdAt.toISOString(),
    trainedOn: { corrections: fit.corrections, documents: fit.documents },
    crossValidation: { folds: fit.folds, baseAccuracy: round(fit.baseAccuracy), adaptedAccuracy: round(fit.adaptedAccuracy) },
    regularisation: fit.penalty,
    weights: fit.parameters.weights.map((row) => row.map(round)),
    bias: fit.parameters.bias.map(round),
    suggestions,
  };
  return { document: { ...document, adaptation }, changedLabels: changedLabels(document, suggestions) };
}

/**
 * After a re-analysis: the same adaptation, suggesting again from the new probabilities (its parameters are
 * kept whole for this). Dropped when the labels changed (another expression model), as it no longer fits.
 */
export function carriedAdaptation(previous: AnnotationDocument, next: AnnotationDocument): Adaptation | undefined {
  const adaptation = previous.adaptation;
  if (!adaptation || !sameLabels(previous.labels, next.labels)) return undefined;
  return { ...adaptation, suggestions: suggestionsFor(next, { weights: adaptation.weights, bias: adaptation.bias }) };
}

/** Faces without a human label whose adapted label differs from the model's. */
export function changedLabels(document: AnnotationDocument, suggestions: readonly Suggestion[]): number {
  const corrected = new Set(document.corrections.map((c) => faceKey(c.frameIndex, c.trackId)));
  const modelLabel = new Map<string, string>(document.frames.flatMap((frame) => frame.faces.map((face) => [faceKey(frame.index, face.trackId), face.label] as const)));
  return suggestions.filter((s) => {
    const key = faceKey(s.frameIndex, s.trackId);
    return !corrected.has(key) && modelLabel.get(key) !== s.label;
  }).length;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
