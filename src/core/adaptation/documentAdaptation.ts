/**
 * Writing an adaptation into a document: a suggestion for every face, from the face's stored distribution.
 * Corrections are never touched; corrected faces get a suggestion too (exports and the review queue compare
 * them), but their human label keeps precedence everywhere.
 */
import type { Adaptation, AnnotationDocument, Suggestion } from '../../shared/annotationDocument';
import type { AdaptationFit } from './learnAdaptation';
import { adaptedProbs, sameLabels } from './learnAdaptation';
import { argmax } from '../../shared/probabilityVectors';
import { faceFeatures } from './stackedModel';
import { faceKey } from '../../shared/labelPrecedence';

/** What suggesting needs of an adaptation: its recalibration, and the stacked form's weights when it has them. */
type AdaptationParameters = Pick<AdaptationFit, 'parameters' | 'stacked'>;

/** The adapted label and probability of every face of the document (a face without features keeps the default's). */
export function suggestionsFor(document: AnnotationDocument, fit: AdaptationParameters): Suggestion[] {
  const classes = document.labels.length;
  return document.frames.flatMap((frame) =>
    frame.faces.map((face): Suggestion => {
      const probs = face.smoothedProbs ?? face.probs;
      const features = fit.stacked ? faceFeatures(face, classes) : undefined;
      const adapted = adaptedProbs(fit, { probs, ...(features && features.length === fit.stacked?.featureWeights[0]?.length && { features }) });
      const best = argmax(adapted);
      return { frameIndex: frame.index, trackId: face.trackId, label: document.labels[best]!, confidence: round(adapted[best]!) };
    }),
  );
}

/** The document with the fit as its adaptation (replacing any earlier one), and how many uncorrected faces change label. */
export function withAdaptation(document: AnnotationDocument, fit: AdaptationFit, createdAt: Date): { document: AnnotationDocument; changedLabels: number } {
  const suggestions = suggestionsFor(document, fit);
  const adaptation: Adaptation = {
    method: fit.stacked ? 'stacked' : 'recalibration',
    form: fit.form,
    createdAt: createdAt.toISOString(),
    trainedOn: { corrections: fit.corrections, documents: fit.documents },
    crossValidation: { folds: fit.folds, baseAccuracy: round(fit.baseAccuracy), adaptedAccuracy: round(fit.adaptedAccuracy), ...(fit.weakestLabel && { weakestLabel: fit.weakestLabel }), ...(fit.folds > 0 && { gainLowerBound: round(fit.gainLowerBound) }) },
    regularisation: fit.penalty,
    weights: fit.parameters.weights.map((row) => row.map(round)),
    bias: (fit.stacked?.bias ?? fit.parameters.bias).map(round),
    ...(fit.stacked && { features: fit.stacked.features, featureWeights: fit.stacked.featureWeights.map((row) => row.map(round)) }),
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
  const parameters = { weights: adaptation.weights, bias: adaptation.bias };
  const stacked = adaptation.featureWeights && { bias: adaptation.bias, featureWeights: adaptation.featureWeights, features: adaptation.features ?? [] };
  return { ...adaptation, suggestions: suggestionsFor(next, { parameters, ...(stacked && { stacked }) }) };
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
