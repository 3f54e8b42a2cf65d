import os from 'node:os';
import path from 'node:path';
import type { AnalysisSettings, EnsembleWeighting, MediaKind, ModelRef, TranscriptStatus, VoiceStatus } from '../../shared/annotationDocument';
import { documentPathFor } from '../document/annotationFile';
import { DEFAULT_ENSEMBLE, DEFAULT_ENSEMBLE_TEMPERATURE, DEFAULT_EXPRESSION_MODELS, DEFAULT_SMALL_CROPS, settingDefaults } from './analysisSettingsTable';

/** Everything one analysis needs; plain data so it can cross into the analysis child process unchanged. */
export interface AnalysisRequest {
  /** A video or still image. */
  input: string;
  /** Folder for the document; beside the input when absent. */
  outDir?: string;
  /** Output file name relative to outDir (used by batch runs to mirror folder structure). */
  outName?: string;
  settings: AnalysisSettings;
  models: ModelOptions;
  speech: SpeechOptions;
  ffmpeg: { ffmpegPath?: string; ffprobePath?: string };
  /** Worker threads for face analysis. */
  threads: number;
  /**
   * What to do when a document already exists: `merge` keeps its human corrections (the default),
   * `replace` overwrites it (corrections are still kept aside as unplaced, never silently lost).
   */
  existingDocument: 'merge' | 'replace';
}

export interface ModelOptions {
  /** Folder holding the models (flag, setting or EMOTION_LENS_MODELS). */
  modelsDir?: string;
  /** User model cache; downloads land here. */
  cacheDir?: string;
  /** Fetch missing models from their source URL (never in tests or offline runs). */
  allowDownload: boolean;
  detectorId: string;
}

export interface SpeechOptions {
  /** A Vosk model folder: selects the Vosk engine. */
  voskModelDir?: string;
  /** Any speech model folder (Vosk or sherpa-onnx transducer). */
  speechModelDir?: string;
}

export const DEFAULT_DETECTOR_ID = 'face_detection_yunet_2023mar';
/** Finds where someone speaks, for the voice measures (bundled with the default models). */
export const VAD_MODEL_ID = 'silero_vad';

const chosen = settingDefaults();

/** A weighting of the models given by id, in the order of `models` (0 for those it lacks), summing to 1. */
function weightsOver(models: readonly string[], members: readonly { id: string; weight: number }[]): number[] {
  return normalised(models.map((id) => members.find((m) => m.id === id)?.weight ?? 0));
}

/** The default's rule for small face crops, over the models given (the default's own). */
function defaultSmallCrops(models: readonly string[]): EnsembleWeighting | undefined {
  const crops = DEFAULT_SMALL_CROPS;
  return crops ? { weights: weightsOver(models, crops.models), temperature: crops.temperature ?? 1 } : undefined;
}

/**
 * The settings' defaults (analysisSettingsTable.ts), with the default ensemble's weights and the two fixed
 * settings, in the order documents record them.
 */
export const defaultSettings: AnalysisSettings = {
  sampleFps: chosen.sampleFps,
  maxAnalysisSide: 1280,
  minFaceScore: chosen.minFaceScore,
  minFaceSize: chosen.minFaceSize,
  expressionModels: chosen.expressionModels,
  expressionWeights: weightsOver(DEFAULT_EXPRESSION_MODELS, DEFAULT_ENSEMBLE),
  ensembleTemperature: DEFAULT_ENSEMBLE_TEMPERATURE,
  ...defined({ smallCrops: defaultSmallCrops(DEFAULT_EXPRESSION_MODELS) }),
  alignFaces: chosen.alignFaces,
  flipAverage: chosen.flipAverage,
  smoothingSec: chosen.smoothingSec,
  utterancePauseSec: chosen.utterancePauseSec,
  segmentSec: 1,
  speech: chosen.speech,
  voice: chosen.voice,
  geometry: chosen.geometry,
  speakers: chosen.speakers,
};

export interface RequestOverrides {
  outDir?: string;
  outName?: string;
  settings?: Partial<AnalysisSettings>;
  models?: Partial<ModelOptions>;
  speech?: SpeechOptions;
  ffmpeg?: AnalysisRequest['ffmpeg'];
  threads?: number;
  existingDocument?: AnalysisRequest['existingDocument'];
}

/**
 * The weights of an expression ensemble, summing to 1, and the temperature of its average: the given weights
 * (one per model) with temperature 1 unless given; else the default ensemble's when the models are its models,
 * with its own weighting of small face crops; else equal weights and 1.
 */
export function ensembleOf(models: readonly string[], given?: readonly number[], givenTemperature?: number): { weights: number[]; temperature: number; smallCrops?: EnsembleWeighting } {
  const isDefault = models.length === DEFAULT_EXPRESSION_MODELS.length && models.every((id) => DEFAULT_EXPRESSION_MODELS.includes(id));
  const valid = given && given.length === models.length && given.every((w) => w >= 0) && given.some((w) => w > 0);
  const useDefault = !valid && isDefault;
  const weights = valid ? normalised(given) : useDefault ? weightsOver(models, DEFAULT_ENSEMBLE) : normalised(models.map(() => 1));
  const temperature = givenTemperature ?? (useDefault ? DEFAULT_ENSEMBLE_TEMPERATURE : 1);
  return { weights, temperature, ...defined({ smallCrops: useDefault ? defaultSmallCrops(models) : undefined }) };
}

/** Non-negative weights scaled to sum to 1 (rounded to 6 decimals, as documents store them). */
function normalised(weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.round((w / sum) * 1e6) / 1e6);
}

/** A request with defaults filled in for everything not given (undefined counts as not given). */
export function makeRequest(input: string, overrides: RequestOverrides = {}): AnalysisRequest {
  const { smallCrops: _defaultCrops, ...base } = defaultSettings;
  const settings: AnalysisSettings = { ...base, ...defined(overrides.settings ?? {}) };
  const ensemble = ensembleOf(settings.expressionModels, overrides.settings?.expressionWeights, overrides.settings?.ensembleTemperature);
  settings.expressionWeights = ensemble.weights;
  settings.ensembleTemperature = ensemble.temperature;
  // Small crops keep the weighting given with the settings (a document's own), else the default's rule when it applies.
  const smallCrops = overrides.settings?.smallCrops ?? ensemble.smallCrops;
  if (smallCrops) settings.smallCrops = smallCrops;
  return {
    input,
    ...defined({ outDir: overrides.outDir, outName: overrides.outName }),
    settings,
    models: { allowDownload: false, detectorId: DEFAULT_DETECTOR_ID, ...defined(overrides.models ?? {}) },
    speech: defined(overrides.speech ?? {}),
    ffmpeg: defined(overrides.ffmpeg ?? {}),
    threads: overrides.threads ?? defaultThreads(),
    existingDocument: overrides.existingDocument ?? 'merge',
  };
}

/** Where the request's document goes: `outName` under outDir, else `<input>.emotion.json` beside it or in outDir. */
export function outputPathOf(request: AnalysisRequest): string {
  const input = path.resolve(request.input);
  return request.outName
    ? path.join(path.resolve(request.outDir ?? path.dirname(input)), request.outName)
    : documentPathFor(input, request.outDir && path.resolve(request.outDir));
}

/** The object without its undefined properties, so spreading it never erases a default. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One face-analysis worker per core, up to four: ffmpeg decodes in its own process beside them. */
function defaultThreads(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Progress as the engine reports it; faces and speech run at the same time and report separately. */
export type AnalysisProgress =
  | { kind: 'stage'; stage: 'probe' | 'models' | 'analyse' | 'timeline' | 'write'; message: string }
  | { kind: 'faces'; framesDone: number; framesTotal: number; mediaSec: number; durationSec: number }
  | { kind: 'speech'; audioSecDone: number; audioSecTotal: number }
  | { kind: 'download'; file: string; receivedBytes: number; totalBytes?: number }
  | { kind: 'warning'; message: string };

/** What a finished analysis reports back (the document itself is on disk). */
export interface AnalysisOutcome {
  input: string;
  outputPath: string;
  frames: number;
  facesFound: number;
  tracks: { id: number; dominantLabel: string; meanConfidence: number; frameCount: number }[];
  transcript: { status: TranscriptStatus; reason?: string; words: number; utterances: number };
  /** The media's kind (a speech recording has no frames), and its voice: segments found and seconds of speech. */
  kind: MediaKind;
  voice: { status: VoiceStatus; segments: number; speechSec: number };
  corrections: { kept: number; unplaced: number };
  /** The models the document records (detector, expression, speech, VAD), for the log. */
  models: ModelRef[];
  warnings: string[];
  elapsedSec: number;
}
