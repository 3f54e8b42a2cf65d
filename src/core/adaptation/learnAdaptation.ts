/**
 * Learning an adaptation from the human corrections of a set of documents, and deciding whether to use it.
 *
 * The training data is every corrected face: the base model's distribution (what the document stored) and the
 * label the human chose. Candidates are the four recalibration forms (recalibration.ts); the one that predicts
 * the corrections best in cross-validation is fitted on all of them. Whether to apply it is decided by an outer
 * cross-validation of that whole procedure (the choice of form included, so the figure is not flattered by the
 * choice): the adaptation is refused unless it beats the base model there.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { assignFolds } from './foldAssignment';
import type { LabelledFace, RecalibrationForm, RecalibrationParameters } from './recalibration';
import { argmax, fitRecalibration, RECALIBRATION_FORMS, recalibrate } from './recalibration';

/** Fewer corrections than this say too little to adapt on (and cannot fill the folds). */
export const MIN_CORRECTIONS = 10;
const FOLDS = 5;
/** Pseudo-observations of "the base model is right": the pull toward the identity (tuned on fer2013-val). */
export const PENALTY = 10;

export interface CorrectedFace extends LabelledFace {
  /** Cross-validation keeps a group together: the document and track. */
  group: string;
  timeSec: number;
}

export interface AdaptationFit {
  /** Human corrections used (one per face), and the documents they came from. */
  corrections: number;
  documents: number;
  /** Corrections per label name. */
  labelCounts: Record<string, number>;
  /** Corrections that confirm the model's own label (a reviewer who only fixes mistakes confirms none). */
  confirmations: number;
  folds: number;
  /** Accuracy on the corrections, each predicted without having been seen: the base model, and the adaptation. */
  baseAccuracy: number;
  adaptedAccuracy: number;
  form: RecalibrationForm;
  penalty: number;
  parameters: RecalibrationParameters;
  /** Why the adaptation must not be applied; absent when it may. */
  refusal?: string;
}

export class AdaptationInputError extends Error {
  override readonly name = 'AdaptationInputError';
}

/** The corrected faces of the documents; they must share one label set (in one order). */
export function correctedFaces(documents: readonly { name: string; document: AnnotationDocument }[]): { labels: string[]; faces: CorrectedFace[]; documents: number } {
  const first = documents[0];
  if (!first) throw new AdaptationInputError('no documents given');
  const labels = first.document.labels;
  const faces: CorrectedFace[] = [];
  let used = 0;
  for (const { name, document } of documents) {
    if (document.labels.join('\n') !== labels.join('\n')) {
      throw new AdaptationInputError(`${name}: its labels (${document.labels.join(', ')}) differ from ${first.name}'s (${labels.join(', ')}); adapt documents analysed with the same expression models together`);
    }
    const before = faces.length;
    const faceAt = new Map(document.frames.flatMap((frame) => frame.faces.map((face) => [`${frame.index}:${face.trackId}`, face] as const)));
    const latest = new Map(document.corrections.map((c) => [`${c.frameIndex}:${c.trackId}`, c] as const));
    for (const [key, correction] of latest) {
      const face = faceAt.get(key);
      const label = labels.indexOf(correction.label);
      if (!face || label < 0) continue;
      faces.push({ probs: face.smoothedProbs ?? face.probs, label, group: `${name}#${correction.trackId}`, timeSec: correction.timeSec });
    }
    if (faces.length > before) used++;
  }
  return { labels, faces, documents: used };
}

export function learnAdaptation(labels: readonly string[], faces: readonly CorrectedFace[], documents: number): AdaptationFit {
  const classes = labels.length;
  const labelCounts = Object.fromEntries(labels.map((l, k) => [l, faces.filter((f) => f.label === k).length] as const).filter(([, n]) => n > 0));
  const confirmations = faces.filter((f) => argmax(f.probs) === f.label).length;
  const common = { corrections: faces.length, documents, labelCounts, confirmations, penalty: PENALTY };
  const base = (faces: readonly LabelledFace[]) => accuracy(faces, (f) => argmax(f.probs));
  if (faces.length < MIN_CORRECTIONS) {
    return { ...common, folds: 0, baseAccuracy: base(faces), adaptedAccuracy: base(faces), form: 'bias', parameters: fitRecalibration([], classes, PENALTY, 'bias'), refusal: `${faces.length} correction(s); adaptation needs at least ${MIN_CORRECTIONS}` };
  }
  if (Object.keys(labelCounts).length < 2) {
    const only = Object.keys(labelCounts)[0] ?? '';
    return { ...common, folds: 0, baseAccuracy: base(faces), adaptedAccuracy: base(faces), form: 'bias', parameters: fitRecalibration([], classes, PENALTY, 'bias'), refusal: `every correction says '${only}'; an adaptation would learn to say it everywhere (correct faces of other labels too)` };
  }
  const folds = Math.min(FOLDS, faces.length);
  const fold = assignFolds(faces.map((f) => ({ group: f.group, order: f.timeSec })), folds);
  let adaptedRight = 0;
  for (let k = 0; k < folds; k++) {
    const train = faces.filter((_, i) => fold[i] !== k);
    const test = faces.filter((_, i) => fold[i] === k);
    if (test.length === 0 || train.length === 0) continue;
    const { parameters } = chooseAndFit(train, classes);
    adaptedRight += test.filter((f) => argmax(recalibrate(parameters, f.probs)) === f.label).length;
  }
  const { form, parameters } = chooseAndFit(faces, classes);
  const baseAccuracy = base(faces);
  const adaptedAccuracy = adaptedRight / faces.length;
  const refusal =
    adaptedAccuracy > baseAccuracy
      ? undefined
      : `in cross-validation on the corrections the adaptation was right on ${percent(adaptedAccuracy)} against the model's ${percent(baseAccuracy)}: no better, so the model's labels stay`;
  return { ...common, folds, baseAccuracy, adaptedAccuracy, form, parameters, ...(refusal !== undefined && { refusal }) };
}

/** The form with the best inner cross-validated log-likelihood (ties: the simpler), fitted on all the faces given. */
function chooseAndFit(faces: readonly CorrectedFace[], classes: number): { form: RecalibrationForm; parameters: RecalibrationParameters } {
  const folds = Math.min(FOLDS, faces.length);
  const fold = assignFolds(faces.map((f) => ({ group: f.group, order: f.timeSec })), folds);
  let best: { form: RecalibrationForm; score: number } = { form: 'bias', score: -Infinity };
  for (const form of RECALIBRATION_FORMS) {
    let score = 0;
    for (let k = 0; k < folds; k++) {
      const train = faces.filter((_, i) => fold[i] !== k);
      const test = faces.filter((_, i) => fold[i] === k);
      if (test.length === 0 || train.length === 0) continue;
      const parameters = fitRecalibration(train, classes, PENALTY, form);
      for (const f of test) score += Math.log(Math.max(recalibrate(parameters, f.probs)[f.label]!, 1e-9));
    }
    if (score > best.score + 1e-9) best = { form, score };
  }
  return { form: best.form, parameters: fitRecalibration(faces, classes, PENALTY, best.form) };
}

function accuracy(faces: readonly LabelledFace[], predict: (face: LabelledFace) => number): number {
  return faces.length === 0 ? 0 : faces.filter((f) => predict(f) === f.label).length / faces.length;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}
