/**
 * Learning an adaptation from the human corrections of a set of documents, and deciding whether to use it.
 *
 * The training data is every corrected face: the base model's distribution (what the document stored) and the
 * label the human chose. Candidates are the four recalibration forms (recalibration.ts) and, when the faces carry
 * every model's probabilities, the member weights (memberWeights.ts) and the stacked model (stackedModel.ts); the
 * one that predicts the corrections best in cross-validation is fitted on all of them. Whether to apply it is decided by an outer
 * cross-validation of that whole procedure (the choice of form included, so the figure is not flattered by the
 * choice): the adaptation is refused unless it beats the base model there.
 */
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { assignFolds } from './foldAssignment';
import type { LabelledFace, RecalibrationForm, RecalibrationParameters } from './recalibration';
import { argmax } from '../../shared/probabilityVectors';
import { fitRecalibration, identityParameters, parameterCount, RECALIBRATION_FORMS, recalibrate } from './recalibration';
import { formatShare } from '../../shared/textFormat';
import { faceKey } from '../../shared/labelPrecedence';
import type { FeatureFace, StackedParameters } from './stackedModel';
import { faceFeatures, featureNames, fitStacked, stackedProbs } from './stackedModel';
import type { MemberForm } from './memberWeights';
import { fitMemberWeights, MEMBER_FORMS, memberParameterCount } from './memberWeights';

/** Fewer corrections than this say too little to adapt on (and cannot fill the folds). */
export const MIN_CORRECTIONS = 10;
const FOLDS = 5;
/** Choosing the form is a cross-validation inside each outer fold: fewer folds, and at most this many faces (an even spread), keep it to seconds. */
const INNER_FOLDS = 3;
/**
 * The safeguard: the faces only the adaptation gets right must outnumber those only the model gets right by
 * more than this many standard deviations (McNemar). Chosen by the simulation on the dev sets
 * (scripts/evaluation/adaptationSafeguard.ts; docs/adaptation.md has the rates).
 */
export const SAFEGUARD_Z = 1.645;

/** Whether the cross-validated evidence lets an adaptation be applied, at `z` standard deviations. */
export function safeguardAccepts(onlyAdapted: number, onlyBase: number, z: number = SAFEGUARD_Z): boolean {
  return onlyAdapted - onlyBase > z * Math.sqrt(onlyAdapted + onlyBase);
}
/**
 * A form is a candidate only with this many corrections per parameter it fits (the bias alone always is): the
 * events-per-variable rule of logistic regression. Without it, the 56-parameter form won the inner choice on
 * 48 faces of fer2013-val and lost points on the 1,140 nobody corrected.
 */
const MIN_FACES_PER_PARAMETER = 2;
const MAX_SELECTION_FACES = 1000;
/** The final fit's faces (an even spread of them): beyond a few thousand, more corrections no longer move 56 parameters. */
const MAX_FIT_FACES = 5000;
/** Pseudo-observations per parameter of "the base model is right": the pull toward the identity, chosen per fit. */
export const PENALTIES = [1, 10] as const;
/** The stacked model's pulls toward the default (its ~480 parameters need a firmer one than the recalibrations). */
export const STACKED_PENALTIES = [3, 30] as const;
/**
 * The member weights' pulls (memberWeights.ts). Chosen with the rest by the simulation over all dev sets at once
 * (scripts/evaluation/adaptationVariants.ts): wider grids here or for the stacked model ([0.3 ... 10], [1 ... 30])
 * let the inner choice chase noise and lost up to 3 points on a draw.
 */
export const MEMBER_PENALTIES = [1, 10] as const;

export type AdaptationForm = RecalibrationForm | MemberForm | 'stacked';

/** What `learnAdaptation` tries and how it decides; the defaults are what the product ships. */
export interface LearnSettings {
  /** Recalibration forms tried (each at every penalty of `penalties`). */
  forms: readonly RecalibrationForm[];
  penalties: readonly number[];
  /** Member-weight forms (memberWeights.ts), each at every penalty of `memberPenalties`. */
  memberForms: readonly MemberForm[];
  memberPenalties: readonly number[];
  /** The stacked model's penalties (empty: not tried). */
  stackedPenalties: readonly number[];
  /** Whether the stacked model's features are standardised (on the training faces) before the penalty applies. */
  standardise: boolean;
  safeguardZ: number;
}

export const SHIPPED_SETTINGS: LearnSettings = {
  forms: RECALIBRATION_FORMS,
  penalties: PENALTIES,
  memberForms: MEMBER_FORMS,
  memberPenalties: MEMBER_PENALTIES,
  stackedPenalties: STACKED_PENALTIES,
  standardise: false,
  safeguardZ: SAFEGUARD_Z,
};

export interface CorrectedFace extends LabelledFace {
  /** Cross-validation keeps a group together: the document and track. */
  group: string;
  timeSec: number;
  /** The stacked model's features (members' log-probabilities, geometry); absent without member probabilities. */
  features?: number[];
  /** The expression models the features come from (the document's, in order): features of different models never mix. */
  members?: string[];
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
  form: AdaptationForm;
  penalty: number;
  /** The recalibration (identity for the stacked form). */
  parameters: RecalibrationParameters;
  /** The stacked form's bias and feature weights, and the features' names. */
  stacked?: StackedParameters & { features: string[] };
  /** Cross-validated: corrected faces only the adaptation got right, and only the model (the safeguard's evidence). */
  onlyAdapted: number;
  onlyBase: number;
  /**
   * Cross-validated: how far the adaptation's log-likelihood of the human labels is above the model's, in
   * standard errors (per group of faces: a track's near copies count once). Uses the whole distribution, so it
   * tells a real gain from luck on fewer corrections than McNemar's count of right and wrong.
   */
  likelihoodZ: number;
  /**
   * The cross-validated gain in accuracy at the safeguard's bound, (onlyAdapted - onlyBase - z sqrt(onlyAdapted +
   * onlyBase)) / corrections: what the corrections show at the least. The point estimate (adapted minus base
   * accuracy) is optimistic for an adaptation the safeguard accepted, since it was accepted for a high one.
   */
  gainLowerBound: number;
  /** The label whose corrected faces the adaptation, cross-validated, gets wrong most often: more of it would help most. */
  weakestLabel?: string;
  /** Why the adaptation must not be applied; absent when it may. */
  refusal?: string;
}

export class AdaptationInputError extends Error {
  override readonly name = 'AdaptationInputError';
}

/** Two documents can share an adaptation when they name the same labels in the same order (their probability vectors line up). */
export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

/**
 * Corrected faces gathered document by document, so a dataset's documents need not all be in memory at once;
 * every document must name the first one's labels, in its order.
 */
export class CorrectionSet {
  readonly faces: CorrectedFace[] = [];
  /** Documents that gave at least one corrected face. */
  documents = 0;
  private reference: { name: string; labels: string[] } | undefined;

  get labels(): string[] {
    if (!this.reference) throw new AdaptationInputError('no documents given');
    return this.reference.labels;
  }

  add(name: string, document: AnnotationDocument): void {
    this.reference ??= { name, labels: document.labels };
    const { labels } = this.reference;
    const members = document.provenance.settings.expressionModels;
    if (!sameLabels(document.labels, labels)) {
      throw new AdaptationInputError(`${name}: its labels (${document.labels.join(', ')}) differ from ${this.reference.name}'s (${labels.join(', ')}); adapt documents analysed with the same expression models together`);
    }
    const before = this.faces.length;
    const faceAt = new Map(document.frames.flatMap((frame) => frame.faces.map((face) => [faceKey(frame.index, face.trackId), face] as const)));
    const latest = new Map(document.corrections.map((c) => [faceKey(c.frameIndex, c.trackId), c] as const));
    for (const [key, correction] of latest) {
      const face = faceAt.get(key);
      const label = labels.indexOf(correction.label);
      if (!face || label < 0) continue;
      const features = faceFeatures(face, labels.length);
      this.faces.push({ probs: face.smoothedProbs ?? face.probs, label, group: `${name}#${correction.trackId}`, timeSec: correction.timeSec, ...(features && { features, members }) });
    }
    if (this.faces.length > before) this.documents++;
  }
}

/** The corrected faces of the documents; they must share one label set (in one order). */
export function correctedFaces(documents: readonly { name: string; document: AnnotationDocument }[]): { labels: string[]; faces: CorrectedFace[]; documents: number } {
  const set = new CorrectionSet();
  for (const { name, document } of documents) set.add(name, document);
  return { labels: set.labels, faces: set.faces, documents: set.documents };
}

/** The stacked model's feature names when every face has features of the same expression models, else undefined. */
function stackedFeatureNames(labels: readonly string[], faces: readonly CorrectedFace[]): string[] | undefined {
  const members = faces[0]?.members;
  if (!members || !faces.every((f) => f.features && f.members && sameLabels(f.members, members))) return undefined;
  return featureNames(members, labels);
}

/** The adapted distribution of a corrected (or any) face under a fit's parameters. */
export function adaptedProbs(fit: Pick<AdaptationFit, 'parameters' | 'stacked'>, face: { probs: readonly number[]; features?: readonly number[] }): number[] {
  if (fit.stacked && face.features) return stackedProbs(fit.stacked, face.probs, face.features);
  return recalibrate(fit.parameters, face.probs);
}

/** The stacked form is a candidate when every face has features of the same expression models. */
export function learnAdaptation(labels: readonly string[], faces: readonly CorrectedFace[], documents: number, settings: LearnSettings = SHIPPED_SETTINGS): AdaptationFit {
  const features = stackedFeatureNames(labels, faces);
  const classes = labels.length;
  const labelCounts = Object.fromEntries(labels.map((l, k) => [l, faces.filter((f) => f.label === k).length] as const).filter(([, n]) => n > 0));
  const confirmations = faces.filter((f) => argmax(f.probs) === f.label).length;
  const common = { corrections: faces.length, documents, labelCounts, confirmations, onlyAdapted: 0, onlyBase: 0, likelihoodZ: 0, gainLowerBound: 0 };
  const none = { folds: 0, form: 'bias' as const, penalty: PENALTIES[PENALTIES.length - 1]!, parameters: identityParameters(classes) };
  const base = (faces: readonly LabelledFace[]) => accuracy(faces, (f) => argmax(f.probs));
  if (faces.length < MIN_CORRECTIONS) {
    return { ...common, ...none, baseAccuracy: base(faces), adaptedAccuracy: base(faces), refusal: `${faces.length} correction(s); adaptation needs at least ${MIN_CORRECTIONS}` };
  }
  if (Object.keys(labelCounts).length < 2) {
    const only = Object.keys(labelCounts)[0] ?? '';
    return { ...common, ...none, baseAccuracy: base(faces), adaptedAccuracy: base(faces), refusal: `every correction says '${only}'; an adaptation would learn to say it everywhere (correct faces of other labels too)` };
  }
  const folds = Math.min(FOLDS, faces.length);
  const fold = assignFolds(faces.map((f) => ({ group: f.group, order: f.timeSec })), folds);
  // Faces only the adaptation gets right, and faces only the model gets right: the adaptation must win by more
  // than chance (McNemar's comparison, one-sided at 5 %: the difference above 1.645 standard deviations, the
  // standard deviation being the square root of their sum). A looser rule let noise through on 60 corrections.
  let adaptedRight = 0;
  let onlyAdapted = 0;
  let onlyBase = 0;
  const missed = new Array<number>(classes).fill(0);
  const likelihoodGain = new Map<string, number>();
  for (let k = 0; k < folds; k++) {
    const train = faces.filter((_, i) => fold[i] !== k);
    const test = faces.filter((_, i) => fold[i] === k);
    if (test.length === 0 || train.length === 0) continue;
    const chosen = chooseAndFit(train, classes, settings, features);
    for (const f of test) {
      const probs = adaptedProbs(chosen, f);
      likelihoodGain.set(f.group, (likelihoodGain.get(f.group) ?? 0) + logOf(probs[f.label]!) - logOf(f.probs[f.label]!));
      const adapted = argmax(probs) === f.label;
      const model = argmax(f.probs) === f.label;
      if (adapted) adaptedRight++;
      else missed[f.label]!++;
      if (adapted && !model) onlyAdapted++;
      if (model && !adapted) onlyBase++;
    }
  }
  const { form, penalty, parameters, stacked } = chooseAndFit(faces, classes, settings, features);
  const baseAccuracy = base(faces);
  const adaptedAccuracy = adaptedRight / faces.length;
  const clearlyBetter = safeguardAccepts(onlyAdapted, onlyBase, settings.safeguardZ);
  const refusal = clearlyBetter
    ? undefined
    : `in cross-validation on the corrections the adaptation was right on ${formatShare(adaptedAccuracy)} against the model's ${formatShare(baseAccuracy)} (${onlyAdapted} faces only it got right, ${onlyBase} only the model): not clearly better, so the model's labels stay`;
  const weakest = missed.indexOf(Math.max(...missed));
  const weakestLabel = missed[weakest]! > 0 ? labels[weakest] : undefined;
  const likelihoodZ = standardScore([...likelihoodGain.values()]);
  const gainLowerBound = (onlyAdapted - onlyBase - settings.safeguardZ * Math.sqrt(onlyAdapted + onlyBase)) / faces.length;
  return { ...common, onlyAdapted, onlyBase, likelihoodZ, gainLowerBound, folds, baseAccuracy, adaptedAccuracy, form, penalty, parameters, ...(stacked && { stacked }), ...(weakestLabel && { weakestLabel }), ...(refusal !== undefined && { refusal }) };
}

/**
 * The form and penalty with the best inner cross-validated log-likelihood (ties: the earlier, simpler one),
 * fitted on all the faces given. The weaker penalty lets many consistent corrections move the model far (a
 * researcher whose "surprised" the model calls happy); the stronger one keeps a few noisy ones from moving it.
 */
function chooseAndFit(all: readonly CorrectedFace[], classes: number, settings: LearnSettings, features?: readonly string[]): Chosen {
  const faces = evenSample(all, MAX_SELECTION_FACES);
  const folds = Math.min(INNER_FOLDS, faces.length);
  const fold = assignFolds(faces.map((f) => ({ group: f.group, order: f.timeSec })), folds);
  const enough = (count: number) => all.length >= MIN_FACES_PER_PARAMETER * count;
  const forms = settings.forms.filter((form) => form === 'bias' || enough(parameterCount(form, classes)));
  const candidates: { form: AdaptationForm; penalty: number }[] = [...settings.penalties].reverse().flatMap((penalty) => forms.map((form) => ({ form, penalty })));
  if (features) {
    const members = all[0]?.members?.length ?? 0;
    const memberForms = settings.memberForms.filter((form) => enough(memberParameterCount(form, classes, members)));
    candidates.push(...[...settings.memberPenalties].reverse().flatMap((penalty) => memberForms.map((form) => ({ form, penalty }))));
    // The stacked model is held back by its penalty rather than by a count of faces per parameter.
    candidates.push(...[...settings.stackedPenalties].reverse().map((penalty) => ({ form: 'stacked' as const, penalty })));
  }
  let best = { ...candidates[0]!, score: -Infinity };
  for (const candidate of candidates) {
    let score = 0;
    for (let k = 0; k < folds; k++) {
      const train = faces.filter((_, i) => fold[i] !== k);
      const test = faces.filter((_, i) => fold[i] === k);
      if (test.length === 0 || train.length === 0) continue;
      const fitted = fitCandidate(train, classes, candidate, settings, features);
      for (const f of test) score += logOf(adaptedProbs(fitted, f)[f.label]!);
    }
    if (score > best.score + 1e-9) best = { ...candidate, score };
  }
  return { form: best.form, penalty: best.penalty, ...fitCandidate(evenSample(all, MAX_FIT_FACES), classes, best, settings, features) };
}

interface Chosen {
  form: AdaptationForm;
  penalty: number;
  parameters: RecalibrationParameters;
  stacked?: StackedParameters & { features: string[] };
}

function fitCandidate(faces: readonly CorrectedFace[], classes: number, candidate: { form: AdaptationForm; penalty: number }, settings: LearnSettings, features?: readonly string[]): Pick<Chosen, 'parameters' | 'stacked'> {
  const { form, penalty } = candidate;
  if (!features || (form !== 'stacked' && !isMemberForm(form))) return { parameters: fitRecalibration(faces, classes, penalty, isRecalibrationForm(form) ? form : 'bias') };
  const featureFaces = faces.map((f) => ({ probs: f.probs, features: f.features ?? [], label: f.label }));
  const stacked = isMemberForm(form)
    ? fitMemberWeights(featureFaces, classes, faces[0]?.members?.length ?? 0, penalty, form)
    : settings.standardise ? fitStandardised(featureFaces, classes, penalty) : fitStacked(featureFaces, classes, penalty);
  return { parameters: identityParameters(classes), stacked: { ...stacked, features: [...features] } };
}

function isMemberForm(form: AdaptationForm): form is MemberForm {
  return (MEMBER_FORMS as readonly string[]).includes(form);
}

function isRecalibrationForm(form: AdaptationForm): form is RecalibrationForm {
  return (RECALIBRATION_FORMS as readonly string[]).includes(form);
}

/**
 * The stacked fit on features scaled to unit spread over the training faces (so the penalty weighs a blendshape
 * and a log-probability alike), written back in the raw features' terms: V f = V' (f - mean) / spread.
 */
export function fitStandardised(faces: readonly FeatureFace[], classes: number, penalty: number): StackedParameters {
  const width = faces[0]?.features.length ?? 0;
  const mean = Array.from({ length: width }, (_, j) => faces.reduce((sum, f) => sum + f.features[j]!, 0) / faces.length);
  const spread = mean.map((m, j) => Math.sqrt(faces.reduce((sum, f) => sum + (f.features[j]! - m) ** 2, 0) / faces.length));
  // A feature that never varies (no geometry, say) keeps its raw scale: it cannot be fitted anyway.
  const scale = spread.map((s) => (s > 1e-6 ? s : 1));
  const scaled = faces.map((f) => ({ ...f, features: f.features.map((v, j) => (v - mean[j]!) / scale[j]!) }));
  const fit = fitStacked(scaled, classes, penalty);
  const featureWeights = fit.featureWeights.map((row) => row.map((w, j) => w / scale[j]!));
  const bias = fit.bias.map((b, k) => b - featureWeights[k]!.reduce((sum, w, j) => sum + w * mean[j]!, 0));
  return { bias, featureWeights };
}

/** At most `max` of the items, spread evenly over them (deterministic: the same corrections give the same fit). */
function evenSample<T>(items: readonly T[], max: number): readonly T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

/** Log of a probability, floored (a model may give a label exactly zero). */
function logOf(p: number): number {
  return Math.log(Math.max(p, 1e-9));
}

/** The mean of the values over its standard error (0 when they do not vary). */
export function standardScore(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return variance > 0 ? mean / Math.sqrt(variance / n) : 0;
}

function accuracy(faces: readonly LabelledFace[], predict: (face: LabelledFace) => number): number {
  return faces.length === 0 ? 0 : faces.filter((f) => predict(f) === f.label).length / faces.length;
}
