/**
 * The model manifest (`models/manifest.json`): metadata for every model the engine can use — files with
 * sha256 and download URL, and for vision models the exact input preprocessing and label order. The
 * vision code is driven by these entries, so a user adds a model by adding an entry.
 */
import { readFileSync } from 'node:fs';
import { EmotionLensError } from '../errors';

export type ModelRole = 'faceDetector' | 'expression' | 'speech' | 'vad' | 'faceMesh' | 'blendshapes';
export type ColorOrder = 'RGB' | 'BGR' | 'GRAY';
/** letterbox: whole frame resized into the input; arcface5: 5-point similarity to the ArcFace template; box: square crop. */
/** letterbox: detectors; arcface5: 5-point similarity to the ArcFace template; box: square crop around the box; paddedBox: face-api's crop padded to a square with black. */
export type AlignmentKind = 'letterbox' | 'arcface5' | 'box' | 'paddedBox';
export type DetectorDecoder = 'yunet';

export interface ModelFileEntry {
  name: string;
  bytes: number;
  sha256: string;
  /** Where the exact bytes can be downloaded; absent when no public copy exists. */
  url?: string;
}

export interface ModelNormalization {
  /** Applied to the 0..255 pixel value first. */
  scale: number;
  /** Per channel (one value for GRAY): value = (pixel * scale - mean) / std. */
  mean: number[];
  std: number[];
}

/**
 * How a detector's input H and W are chosen. fixed (the default): always `shape`'s H x W. dynamic: the
 * model is fully convolutional, so the frame is letterboxed to fit `maxSide` and each side is rounded up
 * to a multiple of `multipleOf` (its largest stride); one input size per video, at the frame's aspect ratio.
 */
export type SpatialInput = { kind: 'fixed' } | { kind: 'dynamic'; multipleOf: number; maxSide: number };

export interface ModelInput {
  name: string;
  /** [N, C, H, W]; N may be 1 even when the model accepts batches. With dynamic `spatial`, H and W are the export size. */
  shape: number[];
  colorOrder: ColorOrder;
  layout: 'NCHW';
  normalization: ModelNormalization;
  /** Detectors only; absent means fixed. */
  spatial?: SpatialInput;
}

export interface ModelOutput {
  name: string;
  kind: 'logits' | 'probabilities';
}

export interface ModelEntry {
  id: string;
  role: ModelRole;
  runtime?: 'onnxruntime' | 'sherpa-onnx';
  files: ModelFileEntry[];
  licence: string;
  source: { text: string; url: string };
  notes?: string;
  input?: ModelInput;
  alignment?: AlignmentKind;
  /** For 'box' alignment: extra margin on each side, as a fraction of the box side. */
  boxMargin?: number;
  output?: ModelOutput;
  /** Class names in the model's own output order. */
  labels?: string[];
  decoder?: DetectorDecoder;
  /** ONNX Runtime graph optimisation (default 'all'); some int8 graphs run faster with 'basic'. */
  graphOptimization?: GraphOptimization;
  /** Expression models: the temperature their logits are divided by, fitted so confidences mean what they say. */
  calibration?: ModelCalibration;
  /** Files made by a project script from a package's weights or a local model bundle (no download exists). */
  build?: { script: string; from: string };
  /** faceMesh and blendshapes models: every graph input and output, described (the engine checks the names). */
  tensors?: { inputs: TensorSpec[]; outputs: TensorSpec[] };
}

/** One graph input or output: its name, shape ("N" for the batch) and what it holds. */
export interface TensorSpec {
  name: string;
  shape: (number | string)[];
  description: string;
}

export interface ModelCalibration {
  /** > 1 softens over-confident outputs, < 1 sharpens timid ones. */
  temperature: number;
  /** What it was fitted on (a held-out set, never data a figure is reported on). */
  fittedOn: string;
}

export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface ModelManifest {
  manifestVersion: 1;
  models: ModelEntry[];
  /** The expression models a default analysis averages, with their weights (chosen by `npm run eval`). */
  defaultEnsemble?: DefaultEnsemble;
}

export interface DefaultEnsemble {
  /** The models every face is labelled with (unless a kind below has its own), with their weights. */
  models: EnsembleMember[];
  /** The weighted average's calibration temperature (default 1). */
  temperature?: number;
  /** Small still face crops (src/core/vision/faceKind.ts) are labelled with these models and weights instead. */
  smallCrops?: { models: EnsembleMember[]; temperature?: number };
  /** What the weights were chosen on and how well the ensemble did there. */
  chosenOn: string;
}

export interface EnsembleMember {
  id: string;
  weight: number;
}

/** The label order of every `probs` array the engine produces. */
export const CANONICAL_LABELS = ['angry', 'disgust', 'fearful', 'happy', 'neutral', 'sad', 'surprised'] as const;
export type CanonicalLabel = (typeof CANONICAL_LABELS)[number];

const LABEL_SYNONYMS: Record<string, CanonicalLabel> = {
  angry: 'angry', anger: 'angry', mad: 'angry',
  disgust: 'disgust', disgusted: 'disgust',
  fearful: 'fearful', fear: 'fearful', afraid: 'fearful', scared: 'fearful',
  happy: 'happy', happiness: 'happy', joy: 'happy',
  neutral: 'neutral', calm: 'neutral',
  sad: 'sad', sadness: 'sad',
  surprised: 'surprised', surprise: 'surprised',
};

/**
 * The labels of the probabilities produced with this expression model: always the canonical order, because
 * the classifier re-orders every model's output into it.
 */
export function canonicalLabelsOf(_entry?: ModelEntry): string[] {
  return [...CANONICAL_LABELS];
}

/** Canonical name for a model's label, or undefined when it has none (e.g. FER+ "contempt"). */
export function canonicalLabel(label: string): CanonicalLabel | undefined {
  return LABEL_SYNONYMS[label.trim().toLowerCase()];
}

/** For each canonical label, the index of the model output that holds it (-1 when the model lacks it). */
export function labelPermutation(modelLabels: readonly string[]): number[] {
  const canonical = modelLabels.map(canonicalLabel);
  return CANONICAL_LABELS.map((name) => canonical.indexOf(name));
}

/**
 * Re-orders model probabilities into the canonical order. Classes without a canonical name are dropped and
 * the rest renormalised, so the result still sums to 1.
 */
export function toCanonicalOrder(probs: ArrayLike<number>, permutation: readonly number[]): number[] {
  const out = permutation.map((i) => (i >= 0 ? (probs[i] ?? 0) : 0));
  const sum = out.reduce((a, b) => a + b, 0);
  return sum > 0 ? out.map((p) => p / sum) : out;
}

/** Numerically stable softmax. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? -Infinity);
  const exps: number[] = [];
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] ?? 0) - max);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}

let bundled: ModelManifest | undefined;

/**
 * Loads and validates a manifest file; without a file, the one shipped with the tool (esbuild inlines the
 * JSON into the bundle, tsx reads it from the repo).
 */
export function loadManifest(file?: string): ModelManifest {
  if (!file) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    bundled ??= validateManifest(require('../../../models/manifest.json') as unknown, 'models/manifest.json');
    return bundled;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EmotionLensError('document-invalid', `cannot read the model manifest (${(error as Error).message})`, file, 'Fix the JSON or remove the file.');
  }
  return validateManifest(json, file);
}

/** Entries of `extra` replace same-id entries of `base`; new ids are appended. */
export function mergeManifests(base: ModelManifest, extra: ModelManifest): ModelManifest {
  const byId = new Map(base.models.map((m) => [m.id, m]));
  for (const m of extra.models) byId.set(m.id, m);
  return { manifestVersion: 1, models: [...byId.values()] };
}

export function findModel(manifest: ModelManifest, id: string): ModelEntry {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry) {
    const known = manifest.models.map((m) => m.id).join(', ');
    throw new EmotionLensError('model-missing', `unknown model id "${id}"`, undefined, `Known models: ${known}; or add an entry to the model manifest.`);
  }
  return entry;
}

/** Checks everything the engine relies on and throws one line naming the entry and the field. */
export function validateManifest(json: unknown, file: string): ModelManifest {
  const fail = (what: string): never => {
    throw new EmotionLensError('document-invalid', `invalid model manifest: ${what}`, file, 'Fix the entry (see models/manifest.json for examples).');
  };
  if (!isObject(json) || !Array.isArray(json.models)) return fail('expected { "models": [...] }');
  const ids = new Set<string>();
  for (const [i, raw] of json.models.entries()) {
    if (!isObject(raw)) return fail(`models[${i}] is not an object`);
    const id = typeof raw.id === 'string' && /^[\w.-]+$/.test(raw.id) ? raw.id : fail(`models[${i}].id must be a folder-safe name`);
    if (ids.has(id)) fail(`duplicate id "${id}"`);
    ids.add(id);
    validateEntry(raw, id, fail);
  }
  const ensemble = json.defaultEnsemble;
  if (ensemble !== undefined) validateEnsemble(ensemble, ids, json.models as ModelEntry[], fail);
  return { manifestVersion: 1, models: json.models as ModelEntry[], ...(ensemble !== undefined ? { defaultEnsemble: ensemble as DefaultEnsemble } : {}) };
}

function validateEnsemble(raw: unknown, ids: Set<string>, models: readonly ModelEntry[], fail: (what: string) => never): void {
  if (!isObject(raw) || typeof raw.chosenOn !== 'string') return fail('defaultEnsemble needs models [{ id, weight }] and chosenOn');
  validateMembers(raw, 'defaultEnsemble', ids, models, fail);
  if (raw.smallCrops !== undefined) validateMembers(raw.smallCrops, 'defaultEnsemble.smallCrops', ids, models, fail);
}

/** A list of weighted expression models and the temperature of their average. */
function validateMembers(raw: unknown, at: string, ids: Set<string>, models: readonly ModelEntry[], fail: (what: string) => never): void {
  if (!isObject(raw) || !Array.isArray(raw.models) || raw.models.length === 0) return fail(`${at} needs models [{ id, weight }]`);
  if (raw.temperature !== undefined && !(typeof raw.temperature === 'number' && raw.temperature > 0 && Number.isFinite(raw.temperature))) fail(`${at}.temperature must be a positive number`);
  for (const m of raw.models as unknown[]) {
    if (!isObject(m) || typeof m.id !== 'string' || !ids.has(m.id)) fail(`${at} names an unknown model ${JSON.stringify(isObject(m) ? m.id : m)}`);
    const entry = models.find((e) => e.id === (m as { id: string }).id);
    if (entry?.role !== 'expression') fail(`${at}: ${String((m as { id: string }).id)} is not an expression model`);
    if (typeof (m as { weight?: unknown }).weight !== 'number' || !((m as { weight: number }).weight > 0)) fail(`${at}: ${String((m as { id: string }).id)} needs a positive weight`);
  }
}

function validateEntry(raw: Record<string, unknown>, id: string, fail: (what: string) => never): void {
  const at = (field: string) => `${id}.${field}`;
  if (!['faceDetector', 'expression', 'speech', 'vad', 'faceMesh', 'blendshapes'].includes(raw.role as string)) fail(`${at('role')} must be faceDetector, expression, speech, vad, faceMesh or blendshapes`);
  if (!Array.isArray(raw.files) || raw.files.length === 0) return fail(`${at('files')} must list at least one file`);
  for (const f of raw.files as unknown[]) {
    if (!isObject(f) || typeof f.name !== 'string' || f.name.includes('/') || f.name.includes('\\')) fail(`${at('files')}: each file needs a plain "name"`);
    const file = f as Record<string, unknown>;
    if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(file.sha256)) fail(`${at('files')}: "${String(file.name)}" needs a 64-hex sha256`);
    if (typeof file.bytes !== 'number' || file.bytes <= 0) fail(`${at('files')}: "${String(file.name)}" needs its size in bytes`);
    if (file.url !== undefined && (typeof file.url !== 'string' || !/^https?:\/\//.test(file.url))) fail(`${at('files')}: "${String(file.name)}" url must be http(s)`);
  }
  if (raw.graphOptimization !== undefined && !['disabled', 'basic', 'extended', 'all'].includes(raw.graphOptimization as string)) {
    fail(`${at('graphOptimization')} must be disabled, basic, extended or all`);
  }
  if (raw.role === 'faceDetector' || raw.role === 'expression') validateVisionEntry(raw, at, fail);
  if (raw.role === 'faceMesh' || raw.role === 'blendshapes') validateTensors(raw.tensors, at, fail);
}

function validateTensors(raw: unknown, at: (f: string) => string, fail: (what: string) => never): void {
  if (!isObject(raw) || !Array.isArray(raw.inputs) || !Array.isArray(raw.outputs) || raw.inputs.length === 0 || raw.outputs.length === 0) {
    return fail(`${at('tensors')} needs inputs and outputs`);
  }
  for (const t of [...raw.inputs, ...raw.outputs] as unknown[]) {
    const ok = isObject(t) && typeof t.name === 'string' && typeof t.description === 'string' && Array.isArray(t.shape)
      && t.shape.every((d) => (typeof d === 'number' && Number.isInteger(d) && d > 0) || typeof d === 'string');
    if (!ok) fail(`${at('tensors')}: each tensor needs a name, a shape (positive integers or a symbol) and a description`);
  }
}

function validateVisionEntry(raw: Record<string, unknown>, at: (f: string) => string, fail: (what: string) => never): void {
  const input = raw.input;
  if (!isObject(input) || typeof input.name !== 'string') return fail(`${at('input')} needs a name`);
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((n) => Number.isInteger(n) && n > 0)) fail(`${at('input.shape')} must be [N, C, H, W]`);
  if (!['RGB', 'BGR', 'GRAY'].includes(input.colorOrder as string)) fail(`${at('input.colorOrder')} must be RGB, BGR or GRAY`);
  if (input.layout !== 'NCHW') fail(`${at('input.layout')} must be NCHW`);
  const channels = (shape as number[])[1];
  if (channels !== (input.colorOrder === 'GRAY' ? 1 : 3)) fail(`${at('input.shape')} channel count does not match colorOrder`);
  const norm = input.normalization;
  if (!isObject(norm) || typeof norm.scale !== 'number' || !isNumberList(norm.mean, channels) || !isNumberList(norm.std, channels)) {
    fail(`${at('input.normalization')} needs scale and one mean/std per channel`);
  }
  if ((norm as { std: number[] }).std.some((s) => s === 0)) fail(`${at('input.normalization.std')} must not be 0`);
  if (input.spatial !== undefined) validateSpatial(input.spatial, raw.role === 'faceDetector', at, fail);
  if (raw.role === 'faceDetector') {
    if (raw.decoder !== 'yunet') fail(`${at('decoder')} must be "yunet" (the only detector decoder implemented)`);
    if (raw.alignment !== undefined && raw.alignment !== 'letterbox') fail(`${at('alignment')} must be letterbox for a detector`);
    return;
  }
  if (raw.alignment !== 'arcface5' && raw.alignment !== 'box' && raw.alignment !== 'paddedBox') fail(`${at('alignment')} must be arcface5, box or paddedBox`);
  if (raw.alignment === 'paddedBox' && input.colorOrder === 'GRAY') fail(`${at('alignment')} paddedBox needs an RGB or BGR input`);
  if (raw.boxMargin !== undefined && (typeof raw.boxMargin !== 'number' || raw.boxMargin < 0 || raw.boxMargin > 1)) fail(`${at('boxMargin')} must be 0..1`);
  if (raw.calibration !== undefined) {
    const c = raw.calibration;
    if (!isObject(c) || typeof c.temperature !== 'number' || !(c.temperature > 0) || !Number.isFinite(c.temperature) || typeof c.fittedOn !== 'string') {
      fail(`${at('calibration')} needs a positive temperature and fittedOn`);
    }
  }
  const output = raw.output;
  if (!isObject(output) || typeof output.name !== 'string' || (output.kind !== 'logits' && output.kind !== 'probabilities')) {
    fail(`${at('output')} needs a name and kind logits|probabilities`);
  }
  if (!Array.isArray(raw.labels) || !raw.labels.every((l) => typeof l === 'string')) return fail(`${at('labels')} must list the class names`);
  if (!raw.labels.some((l) => canonicalLabel(l as string))) fail(`${at('labels')} has no known expression label`);
}

function validateSpatial(spatial: unknown, detector: boolean, at: (f: string) => string, fail: (what: string) => never): void {
  if (!isObject(spatial) || (spatial.kind !== 'fixed' && spatial.kind !== 'dynamic')) return fail(`${at('input.spatial.kind')} must be fixed or dynamic`);
  if (spatial.kind === 'fixed') return;
  if (!detector) fail(`${at('input.spatial')} dynamic is only supported for face detectors`);
  const { multipleOf, maxSide } = spatial;
  if (!Number.isInteger(multipleOf) || (multipleOf as number) < 1) fail(`${at('input.spatial.multipleOf')} must be a positive integer`);
  if (!Number.isInteger(maxSide) || (maxSide as number) < (multipleOf as number)) fail(`${at('input.spatial.maxSide')} must be an integer >= multipleOf`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumberList(value: unknown, length: number | undefined): boolean {
  return Array.isArray(value) && value.length === length && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}
