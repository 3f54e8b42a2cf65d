import type { ErrorObject } from 'ajv';
import type { Adaptation, AnnotationDocument } from '../../shared/annotationDocument';
import { faceKey } from '../../shared/labelPrecedence';
import { schemaValidator } from './schemaValidator';

/**
 * Problems with a parsed annotation document: JSON Schema violations first, then the cross-references a
 * schema cannot express (probability vectors match `labels`, labels are known, corrections point at faces).
 * An empty list means the document is valid.
 */
export function annotationProblems(value: unknown): string[] {
  const validate = schemaValidator();
  if (!validate(value)) return (validate.errors ?? []).map(describeSchemaError);
  return crossReferenceProblems(value as AnnotationDocument);
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || '(document)';
  const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params.additionalProperty)}'` : '';
  return `${where} ${error.message ?? 'is invalid'}${extra}`;
}

function crossReferenceProblems(doc: AnnotationDocument): string[] {
  const problems: string[] = [];
  const { expressionModels, expressionWeights, smallCrops } = doc.provenance.settings;
  if (expressionWeights.length !== expressionModels.length) problems.push(`/provenance/settings/expressionWeights has ${expressionWeights.length} weights for ${expressionModels.length} models`);
  if (smallCrops && smallCrops.weights.length !== expressionModels.length) problems.push(`/provenance/settings/smallCrops/weights has ${smallCrops.weights.length} weights for ${expressionModels.length} models`);
  const labels = new Set(doc.labels);
  const faceKeys = new Set<string>();
  doc.frames.forEach((frame, f) => {
    if (f > 0 && frame.timeSec < doc.frames[f - 1]!.timeSec) problems.push(`/frames/${f} is earlier than the frame before it`);
    frame.faces.forEach((face, i) => {
      const where = `/frames/${f}/faces/${i}`;
      if (face.probs.length !== doc.labels.length) problems.push(`${where}/probs has ${face.probs.length} values for ${doc.labels.length} labels`);
      if (face.smoothedProbs && face.smoothedProbs.length !== doc.labels.length) problems.push(`${where}/smoothedProbs does not match labels`);
      if (face.memberProbs && (face.memberProbs.length !== doc.provenance.settings.expressionModels.length || face.memberProbs.some((p) => p.length !== doc.labels.length))) {
        problems.push(`${where}/memberProbs does not match the expression models and labels`);
      }
      if (!labels.has(face.label)) problems.push(`${where}/label '${face.label}' is not one of labels`);
      faceKeys.add(faceKey(frame.index, face.trackId));
    });
  });
  doc.corrections.forEach((correction, i) => {
    if (!labels.has(correction.label)) problems.push(`/corrections/${i}/label '${correction.label}' is not one of labels`);
    if (!faceKeys.has(faceKey(correction.frameIndex, correction.trackId))) {
      problems.push(`/corrections/${i} points at frame ${correction.frameIndex} track ${correction.trackId}, which has no face`);
    }
  });
  if (doc.adaptation) problems.push(...adaptationProblems(doc, labels, faceKeys));
  return problems;
}

/**
 * What is wrong with an adaptation for this document: parameters the wrong size, suggestions of unknown labels
 * or of faces the document does not have. Also used by the review editor before it applies one.
 */
export function adaptationProblemsOf(doc: AnnotationDocument, adaptation: Adaptation): string[] {
  const faceKeys = new Set(doc.frames.flatMap((frame) => frame.faces.map((face) => faceKey(frame.index, face.trackId))));
  return adaptationProblems({ ...doc, adaptation }, new Set(doc.labels), faceKeys);
}

function adaptationProblems(doc: AnnotationDocument, labels: Set<string>, faceKeys: Set<string>): string[] {
  const { weights, bias, suggestions } = doc.adaptation!;
  const size = doc.labels.length;
  const problems: string[] = [];
  if (bias.length !== size || weights.length !== size || weights.some((row) => row.length !== size)) {
    problems.push(`/adaptation/weights and bias must be ${size} x ${size} and ${size} (one per label)`);
  }
  suggestions.forEach((suggestion, i) => {
    if (!labels.has(suggestion.label)) problems.push(`/adaptation/suggestions/${i}/label '${suggestion.label}' is not one of labels`);
    if (!faceKeys.has(faceKey(suggestion.frameIndex, suggestion.trackId))) {
      problems.push(`/adaptation/suggestions/${i} points at frame ${suggestion.frameIndex} track ${suggestion.trackId}, which has no face`);
    }
  });
  return problems;
}
