/**
 * Every analysis setting, once: its type, default, accepted range, what it does and which face offers it.
 * The engine's defaults (analysisRequest.ts), the CLI's options and usage text (cli/analyzeOptions.ts) and the
 * extension's settings reading (extension/extensionSettings.ts) are made from this table; package.json, the
 * static manifest VS Code reads, declares the same settings, and a unit test keeps the two in step.
 */
import type { AnalysisSettings } from '../../shared/annotationDocument';
import { loadManifest } from '../models/modelManifest';

const manifestEnsemble = loadManifest().defaultEnsemble;

/**
 * The default expression ensemble and its weights: the manifest's defaultEnsemble, chosen by measurement on the
 * development sets of every kind of face (`npm run eval` prints the tables it was chosen from;
 * docs/expression-models.md says how). Without one in the manifest: face-api's network alone.
 */
export const DEFAULT_ENSEMBLE: readonly { id: string; weight: number }[] = manifestEnsemble?.models ?? [{ id: 'fer_faceapi_vladmandic', weight: 1 }];
/** The temperature the default ensemble's average is calibrated with (averaging calibrated models softens them). */
export const DEFAULT_ENSEMBLE_TEMPERATURE = manifestEnsemble?.temperature ?? 1;
/** The default's own weighting of small still face crops (the kind of face faceKind.ts tells apart), if any. */
export const DEFAULT_SMALL_CROPS = manifestEnsemble?.smallCrops;
/** The default's models: those every face gets, then those only small face crops get (weight 0 for the others). */
export const DEFAULT_EXPRESSION_MODELS: readonly string[] = [...new Set([...DEFAULT_ENSEMBLE, ...(DEFAULT_SMALL_CROPS?.models ?? [])].map((m) => m.id))];

interface SettingFaces {
  /** What it does, in a few words (the CLI's usage text; VS Code's longer description is package.json's). */
  description: string;
  /** The CLI's option without its dashes; a yes/no setting's option turns its default over (`no-speech`). Absent: not offered. */
  cli?: string;
  /** The CLI option's value in the usage text (`N`, `SEC`). */
  cliValue?: string;
  /** Offered in VS Code as `emotionLens.<name>` (the name is the setting's key). */
  vscode: boolean;
}

export interface NumberSetting extends SettingFaces {
  type: 'number';
  default: number;
  min: number;
  max: number;
}

export interface BooleanSetting extends SettingFaces {
  type: 'boolean';
  default: boolean;
}

/**
 * One of a few words. The CLI offers it as yes/no options, each setting one word (`--speakers` = on,
 * `--no-speakers` = off), so an option that once was yes/no keeps its meaning; VS Code offers an enum.
 */
export interface ChoiceSetting<V extends string = string> extends SettingFaces {
  type: 'choice';
  default: V;
  /** Every word, with what it means (VS Code's enumDescriptions say the same at more length). */
  choices: { readonly [K in V]: string };
  /** The CLI's options, without their dashes, and the word each one sets (instead of `cli`). */
  cliFlags: { readonly [option: string]: V };
}

/** Expression model ids from the manifest (the CLI also takes a weight per model). */
export interface ModelListSetting extends SettingFaces {
  type: 'modelList';
  default: readonly string[];
}

/**
 * The settings a user may choose: the ensemble's weights, temperature and small-crop weighting follow from its
 * models (ensembleOf),
 * and the analysis size and segment length are fixed (analysisRequest.ts).
 */
export type ChosenSettings = Omit<AnalysisSettings, 'expressionWeights' | 'ensembleTemperature' | 'smallCrops' | 'maxAnalysisSide' | 'segmentSec'>;
// Not distributed over a union (a choice's words are one setting).
export type SettingSpec<V> = [V] extends [number] ? NumberSetting : [V] extends [boolean] ? BooleanSetting : [V] extends [string] ? ChoiceSetting<V> : ModelListSetting;

/** In the order the CLI's usage text lists them. */
export const ANALYSIS_SETTINGS: { readonly [K in keyof ChosenSettings]: SettingSpec<ChosenSettings[K]> } = {
  sampleFps: { type: 'number', default: 5, min: 0, max: 240, cli: 'sample-fps', cliValue: 'N', vscode: true, description: 'frames analysed per second; 0 or "all" = every frame' },
  expressionModels: {
    type: 'modelList',
    default: DEFAULT_EXPRESSION_MODELS,
    cli: 'expression-model',
    cliValue: 'ID[:W]',
    vscode: true,
    description: 'expression model id from the manifest; repeat to average several, each with weight W (without weights: equal, or the default ensemble\'s)',
  },
  alignFaces: { type: 'boolean', default: true, cli: 'no-align', vscode: false, description: 'classify a plain crop of each face box (no 5-point alignment)' },
  flipAverage: { type: 'boolean', default: false, cli: 'flip', vscode: true, description: 'average each face with its mirror image' },
  smoothingSec: { type: 'number', default: 0.4, min: 0, max: 60, cli: 'smoothing', cliValue: 'SEC', vscode: true, description: 'temporal smoothing per face track, seconds; 0 = off' },
  minFaceScore: { type: 'number', default: 0.6, min: 0, max: 1, cli: 'min-face-score', cliValue: 'X', vscode: true, description: 'detector score threshold' },
  minFaceSize: { type: 'number', default: 20, min: 0, max: 10000, cli: 'min-face-size', cliValue: 'PX', vscode: true, description: 'ignore faces smaller than this, in pixels' },
  speech: { type: 'boolean', default: true, cli: 'no-speech', vscode: true, description: 'skip transcription and sentiment' },
  voice: { type: 'boolean', default: true, cli: 'no-voice', vscode: true, description: 'skip the voice measures (pitch, loudness, voice quality, arousal)' },
  geometry: {
    type: 'boolean',
    default: true,
    cli: 'no-geometry',
    vscode: true,
    description: 'skip the face geometry (478-point mesh and its sidecar, head pose, gaze, blendshapes, action-unit estimates)',
  },
  speakers: {
    type: 'choice',
    default: 'auto',
    choices: {
      auto: 'when two or more faces are on screen during the speech',
      on: 'always (also checks a voice-over on a single face)',
      off: 'never',
    },
    cliFlags: { speakers: 'on', 'no-speakers': 'off' },
    vscode: true,
    description: 'tell who speaks in a video with faces, from mouth-voice synchrony (an extra pass: about 15 CPU s per minute of speech per face)',
  },
  utterancePauseSec: { type: 'number', default: 0.6, min: 0.05, max: 60, cli: 'pause', cliValue: 'SEC', vscode: false, description: 'a pause this long ends an utterance' },
};

export type SettingName = keyof ChosenSettings;
export const SETTING_NAMES = Object.keys(ANALYSIS_SETTINGS) as SettingName[];

/** The default of every chosen setting. */
export function settingDefaults(): ChosenSettings {
  return Object.fromEntries(SETTING_NAMES.map((name) => {
    const spec = ANALYSIS_SETTINGS[name];
    return [name, spec.type === 'modelList' ? [...spec.default] : spec.default];
  })) as unknown as ChosenSettings;
}

/** Whether a number is in the setting's range (a finite number from min to max). */
export function inRange(spec: NumberSetting, value: number): boolean {
  return Number.isFinite(value) && value >= spec.min && value <= spec.max;
}
