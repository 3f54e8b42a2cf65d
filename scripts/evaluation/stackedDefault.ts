// Issue 21's experiment: a stacked default fitted across the development sets (each set counting equally), in
// the form `emotion-lens adapt` already fits from corrections (src/core/adaptation/stackedModel.ts):
//   softmax(log p + b + V f),  p the default's distribution, f every member's centred log-probabilities plus the
//   face's blendshapes and head pose.
// Judged leave one set out: fitted on four dev sets, scored on the fifth, against the rule's own leave-one-set-out
// figures (docs/expression-models.md). The faces are the product's documents (`emotion-lens analyze` on each set,
// the adaptation simulation's cache: memberProbs and geometry per face), nothing is classified again here.
import path from 'node:path';
import { readdirSync } from 'node:fs';
import type { AnnotationDocument, FaceRecord } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { temper } from '../../src/core/calibration/calibrationMath';
import type { FeatureFace, StackedParameters } from '../../src/core/adaptation/stackedModel';
import { faceFeatures, fitStacked, stackedProbs } from '../../src/core/adaptation/stackedModel';
import { smoothTrack } from '../../src/core/tracking/temporalSmoothing';
import { faceKind } from '../../src/core/vision/faceKind';
import type { FaceKind } from '../../src/core/vision/faceKind';
import { facesByTrack } from '../../src/core/timeline/frameRecords';
import { argmax, weightedAverage } from '../../src/shared/probabilityVectors';
import { analysedSet } from './adaptationSimulation';
import type { ImageSet } from './labelledImages';
import { imageSets, meadClips, UNSCORED } from './labelledImages';
import { mainFace } from './productRuns';
import { calibratedErrorFloor, calibrationError, mean } from './setMetrics';
import { percent, table } from './tables';

const FACE_API = 'fer_faceapi_vladmandic';
const XCEPTION = 'fer_xception_fer2013_oarriaga';
/** Pulls toward the default tried (each set's faces weigh 1 in all, so a pull of 0.01 is a hundredth of a set per parameter). */
export const STACKED_DEFAULT_PENALTIES = [0.001, 0.01, 0.1, 0.3, 1, 3] as const;
/** Member log-probabilities of the two default models come first in the features (2 x 7). */
const MEMBER_FEATURES = 14;

/** One analysed face: its document's distribution, the members', its features, its kind and time. */
interface Face {
  probs: number[];
  members: Record<string, number[]>;
  features: number[];
  kind: FaceKind;
  timeSec: number;
}

/** An image (one face) or a clip (its main track's frames), with its true label (UNSCORED: contempt). */
interface Unit {
  label: number;
  faces: Face[];
}

export interface DevFaces {
  name: string;
  video: boolean;
  units: Unit[];
  smoothingSec: number;
}

/** The kind of variant: which features the stacked fit sees. */
type Variant = 'members+geometry' | 'members' | 'geometry';

const VARIANT_TEXT: Record<Variant, string> = {
  'members+geometry': "the two members' log-probabilities, 51 blendshapes and head pose (the form `adapt` fits)",
  members: "the two members' log-probabilities only",
  geometry: 'the 51 blendshapes and head pose only',
};

/** The documents of every dev set, analysed by the CLI (cached as the adaptation simulation caches them). */
export async function loadDevFaces(cli: string, mediaDir: string, env: NodeJS.ProcessEnv): Promise<DevFaces[]> {
  const sets: DevFaces[] = [];
  for (const set of imageSets(mediaDir).filter((s) => s.role === 'tune')) sets.push(await imageSetFaces(analysedSet(cli, set, env, false), set));
  const mead: ImageSet = { name: 'mead-dev', role: 'tune', kind: 'MEAD talking heads', folder: path.join(mediaDir, 'clips', 'mead-dev'), images: meadClips(mediaDir) };
  if (mead.images.length > 0) sets.push(await clipSetFaces(analysedSet(cli, mead, env, false), mead));
  return sets;
}

async function documentsOf(folder: string): Promise<AnnotationDocument[]> {
  const names = readdirSync(folder).filter((n) => n.endsWith('.emotion.json')).sort();
  return Promise.all(names.map((n) => readAnnotationDocument(path.join(folder, n))));
}

function faceOf(doc: AnnotationDocument, face: FaceRecord, timeSec: number, still: boolean): Face {
  const models = doc.provenance.settings.expressionModels;
  const members = Object.fromEntries(models.map((m, i) => [m, face.memberProbs?.[i] ?? face.probs]));
  const features = faceFeatures(face, doc.labels.length);
  if (!features || !members[FACE_API] || !members[XCEPTION]) throw new Error(`${doc.media.path}: no member probabilities of ${FACE_API} and ${XCEPTION} (the default's two models)`);
  const kind = faceKind({ width: doc.media.width ?? 0, height: doc.media.height ?? 0, still }, face);
  return { probs: face.probs, members, features, kind, timeSec };
}

/** The folder's documents of the set's inputs, each with its true label, as units of the faces `facesOf` picks. */
function labelledUnits(docs: readonly AnnotationDocument[], set: ImageSet, facesOf: (doc: AnnotationDocument) => Face[]): Unit[] {
  const truth = new Map(set.images.map((image) => [path.basename(image.file), image.label]));
  return docs.flatMap((doc): Unit[] => {
    const label = truth.get(path.basename(doc.media.path));
    return label === undefined ? [] : [{ label, faces: facesOf(doc) }];
  });
}

async function imageSetFaces(folder: string, set: ImageSet): Promise<DevFaces> {
  const units = labelledUnits(await documentsOf(folder), set, (doc) => {
    const face = mainFace(doc);
    return face ? [faceOf(doc, face, 0, true)] : [];
  });
  return { name: set.name, video: false, units, smoothingSec: 0 };
}

/** Each clip's main track (the one with most frames), every sampled frame a face of the take's label. */
async function clipSetFaces(folder: string, set: ImageSet): Promise<DevFaces> {
  const docs = await documentsOf(folder);
  const units = labelledUnits(docs, set, (doc) => {
    const main = [...facesByTrack(doc.frames).values()].sort((a, b) => b.length - a.length)[0] ?? [];
    return main.map(({ face, timeSec }) => faceOf(doc, face, timeSec, false));
  });
  return { name: set.name, video: true, units, smoothingSec: docsSmoothing(docs) };
}

function docsSmoothing(docs: readonly AnnotationDocument[]): number {
  return docs[0]?.provenance.settings.smoothingSec ?? 0;
}

/**
 * The distribution the rule gives a face when `leftOut` was not there to choose it (the rule's own
 * leave-one-set-out choices, docs/expression-models.md): without fer2013-val no small crop is left to choose for,
 * so they get face-api alone; without MEAD other faces get face-api 0.75 + xception 0.25. Otherwise the shipped
 * default, as the document has it. Rebuilt from the members' calibrated probabilities (3 decimals) at the
 * general temperature: the same top-1 as the rule's choice up to ties.
 */
export type BaseRule = (face: Face, leftOut: string) => number[];

export const RULE_WITHOUT_LEFT_OUT: BaseRule = (face, leftOut) => {
  if (leftOut === 'fer2013-val' && face.kind === 'smallCrop') return temper(face.members[FACE_API]!, GENERAL_TEMPERATURE);
  if (leftOut === 'mead-dev' && face.kind === 'face') return temper(weightedAverage([face.members[FACE_API]!, face.members[XCEPTION]!], [0.75, 0.25]), GENERAL_TEMPERATURE);
  return face.probs;
};
export const SHIPPED_DEFAULT: BaseRule = (face) => face.probs;
const GENERAL_TEMPERATURE = 0.915;

function featuresOf(face: Face, variant: Variant): number[] {
  if (variant === 'members') return face.features.slice(0, MEMBER_FEATURES);
  return variant === 'geometry' ? face.features.slice(MEMBER_FEATURES) : face.features;
}

/** The training faces of these sets, each set weighing 1 in all (clips: every frame of the scored takes). */
function trainingFaces(sets: readonly DevFaces[], base: (f: Face) => number[], variant: Variant): FeatureFace[] {
  return sets.flatMap((set) => {
    const scored = set.units.filter((u) => u.label !== UNSCORED);
    const count = scored.reduce((n, u) => n + u.faces.length, 0);
    return scored.flatMap((u) => u.faces.map((face) => ({ probs: base(face), features: featuresOf(face, variant), label: u.label, weight: 1 / count })));
  });
}

/** Per unit: the probabilities of its faces (a clip's smoothed along the track, as documents give them). */
function unitPredictions(set: DevFaces, base: (f: Face) => number[], parameters: StackedParameters | undefined, variant: Variant): number[][][] {
  return set.units.map((unit) => {
    const raw = unit.faces.map((face) => (parameters ? stackedProbs(parameters, base(face), featuresOf(face, variant)) : base(face)));
    return set.video && set.smoothingSec > 0 ? smoothTrack(unit.faces.map((f) => f.timeSec), raw, set.smoothingSec) : raw;
  });
}

/** Per scored unit: the share of its faces labelled right (an image: 0 or 1; no face found: 0). */
function unitHits(set: DevFaces, predictions: readonly number[][][]): number[] {
  return set.units.flatMap((unit, u) => {
    if (unit.label === UNSCORED) return [];
    const faces = predictions[u]!;
    return [faces.length === 0 ? 0 : faces.filter((p) => argmax(p) === unit.label).length / faces.length];
  });
}

interface SetScore {
  hits: number[];
  predictions: { label: number; probs: number[] }[];
}

function scoreSet(set: DevFaces, base: (f: Face) => number[], parameters: StackedParameters | undefined, variant: Variant): SetScore {
  const predictions = unitPredictions(set, base, parameters, variant);
  const flat = set.units.flatMap((unit, u) => predictions[u]!.map((probs) => ({ label: unit.label, probs })));
  return { hits: unitHits(set, predictions), predictions: flat };
}

/** The pull chosen on the training sets alone: leave each of them out in turn, best mean top-1 (Infinity: no stacking). */
function choosePenalty(train: readonly DevFaces[], base: (f: Face) => number[], variant: Variant): { penalty: number; inner: Map<number, number> } {
  const inner = new Map<number, number>();
  inner.set(Infinity, mean(train.map((held) => mean(scoreSet(held, base, undefined, variant).hits))));
  for (const penalty of STACKED_DEFAULT_PENALTIES) {
    inner.set(penalty, mean(train.map((held) => {
      const parameters = fitStacked(trainingFaces(train.filter((s) => s !== held), base, variant), 7, penalty);
      return mean(scoreSet(held, base, parameters, variant).hits);
    })));
  }
  // The firmest pull among equals: the default as it is wins a tie.
  const best = [...inner.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
  return { penalty: best[0], inner };
}

export interface FoldResult {
  leftOut: string;
  penalty: number;
  before: SetScore;
  after: SetScore;
  /** Top-1 on the left-out set at every fixed pull (reported, not chosen on). */
  atPenalty: Map<number, number>;
}

/** Leave one set out: for each set, the pull chosen and the stacked model fitted on the other four, scored on it. */
export function leaveOneSetOut(sets: readonly DevFaces[], rule: BaseRule, variant: Variant, log: (line: string) => void = () => undefined): FoldResult[] {
  return sets.map((held) => {
    const base = (f: Face) => rule(f, held.name);
    const train = sets.filter((s) => s !== held);
    const { penalty } = choosePenalty(train, base, variant);
    const atPenalty = new Map<number, number>();
    let chosen: StackedParameters | undefined;
    for (const p of STACKED_DEFAULT_PENALTIES) {
      const parameters = fitStacked(trainingFaces(train, base, variant), 7, p);
      atPenalty.set(p, mean(scoreSet(held, base, parameters, variant).hits));
      if (p === penalty) chosen = parameters;
    }
    const before = scoreSet(held, base, undefined, variant);
    const after = chosen ? scoreSet(held, base, chosen, variant) : before;
    log(`  ${variant}, ${held.name} left out: pull ${penalty} chosen on the other four; ${percent(mean(before.hits))} -> ${percent(mean(after.hits))}`);
    return { leftOut: held.name, penalty, before, after, atPenalty };
  });
}

/**
 * Fitted on all five and scored on the same five, at every pull: what the form can learn on sets it has seen
 * (optimistic, in-sample), beside what carries to a set it has not.
 */
export function inSampleTable(sets: readonly DevFaces[], rule: BaseRule, variant: Variant): string {
  const base = (f: Face) => rule(f, '');
  const fits = STACKED_DEFAULT_PENALTIES.map((p) => fitStacked(trainingFaces(sets, base, variant), 7, p));
  const rows = sets.map((set) => [set.name, percent(mean(scoreSet(set, base, undefined, variant).hits)), ...fits.map((fit) => percent(mean(scoreSet(set, base, fit, variant).hits)))]);
  rows.push(['mean', ...[undefined, ...fits].map((fit) => percent(mean(sets.map((set) => mean(scoreSet(set, base, fit, variant).hits)))))]);
  return table(['set', 'default', ...STACKED_DEFAULT_PENALTIES.map((p) => `pull ${p}`)], rows);
}

/** The standard error of a mean of paired per-unit differences. */
function pairedError(a: readonly number[], b: readonly number[]): number {
  const d = a.map((v, i) => b[i]! - v);
  const m = mean(d);
  return d.length < 2 ? 0 : Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / (d.length - 1) / d.length);
}

/** The leave-one-set-out table: per set before, after, gain with its standard error, the pull chosen, ECE before and after. */
export function foldTable(folds: readonly FoldResult[]): string {
  const rows = folds.map((f) => {
    const before = mean(f.before.hits);
    const after = mean(f.after.hits);
    return [f.leftOut, percent(before), percent(after), points(after - before), points(pairedError(f.before.hits, f.after.hits)).replace('+', '±'), Number.isFinite(f.penalty) ? String(f.penalty) : 'none', percent(calibrationError(f.before.predictions)), percent(calibrationError(f.after.predictions)), percent(calibratedErrorFloor(f.after.predictions)), ...STACKED_DEFAULT_PENALTIES.map((p) => percent(f.atPenalty.get(p) ?? 0))];
  });
  const gains = folds.map((f) => mean(f.after.hits) - mean(f.before.hits));
  const meanError = Math.sqrt(folds.reduce((s, f) => s + pairedError(f.before.hits, f.after.hits) ** 2, 0)) / folds.length;
  rows.push(['mean', percent(mean(folds.map((f) => mean(f.before.hits)))), percent(mean(folds.map((f) => mean(f.after.hits)))), points(mean(gains)), points(meanError).replace('+', '±'), '', '', '', '', ...STACKED_DEFAULT_PENALTIES.map((p) => percent(mean(folds.map((f) => f.atPenalty.get(p) ?? 0))))]);
  return table(['left out', 'before', 'stacked', 'gain', 'SE', 'pull', 'ECE before', 'ECE after', 'ECE floor', ...STACKED_DEFAULT_PENALTIES.map((p) => `pull ${p}`)], rows);
}

function points(difference: number): string {
  const value = 100 * difference;
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)} pt`;
}

/**
 * `npm run eval -- --only stacked`: the experiment's tables, printed as each is done (about 4 minutes each on
 * two cores). Two baselines: the rule as its own leave-one-set-out choice would have it (the honest comparison
 * for a kind never seen; every feature set), and the shipped default (what the stacked part adds to today's
 * labels; that default was itself chosen on all five sets), then the fit on all five scored on them (in-sample).
 */
export async function printStackedDefault(cli: string, mediaDir: string, env: NodeJS.ProcessEnv, print: (text: string) => void): Promise<void> {
  const sets = await loadDevFaces(cli, mediaDir, env);
  print(`A stacked default fitted across the dev sets (${sets.map((s) => `${s.name} ${s.units.filter((u) => u.label !== UNSCORED).length}${s.video ? ' clips' : ''}`).join(', ')}; each set counting equally), left out one set at a time: the pull chosen by leaving each of the four training sets out in turn ("none": the default as it is), top-1 per set (clips: frames right per take, smoothed as documents give them, each take counting once), SE of the gain paired per image or take; the columns "pull x" give the left-out set's top-1 at each fixed pull (reported, not chosen on)`);
  const configurations: [string, BaseRule, Variant][] = [
    ['the rule as chosen without the left-out set', RULE_WITHOUT_LEFT_OUT, 'members+geometry'],
    ['the rule as chosen without the left-out set', RULE_WITHOUT_LEFT_OUT, 'members'],
    ['the rule as chosen without the left-out set', RULE_WITHOUT_LEFT_OUT, 'geometry'],
    ['the shipped default (chosen on all five)', SHIPPED_DEFAULT, 'members+geometry'],
  ];
  for (const [name, rule, variant] of configurations) {
    const folds = leaveOneSetOut(sets, rule, variant, (line) => console.error(line));
    print(`\nOn top of ${name}; features: ${VARIANT_TEXT[variant]}:\n${foldTable(folds)}`);
  }
  print(`\nFitted on all five and scored on them (in-sample), on top of the shipped default; features: ${VARIANT_TEXT['members+geometry']}:\n${inSampleTable(sets, SHIPPED_DEFAULT, 'members+geometry')}`);
}
