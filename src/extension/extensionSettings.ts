/**
 * The `emotionLens.*` settings as plain data: the analysis settings VS Code offers (from the one table,
 * core/engine/analysisSettingsTable.ts) and the extension's own, read with workspace-trust rules and checked
 * (settings.json is hand-edited). No vscode import: settings.ts feeds it VS Code's configuration.
 */
import type { SpeakersMode } from '../shared/annotationDocument';
import { speakersModeOfFlag } from '../shared/annotationDocument';
import { ANALYSIS_SETTINGS, inRange, SETTING_NAMES } from '../core/engine/analysisSettingsTable';
import type { ChoiceSetting, NumberSetting } from '../core/engine/analysisSettingsTable';
import { isRestrictedSetting } from './workspaceTrust';
import type { InspectedSetting, RestrictedSetting } from './workspaceTrust';

export interface ExtensionSettings {
  sampleFps: number;
  smoothingSec: number;
  minFaceScore: number;
  minFaceSize: number;
  /** Used by the review panel to flag frames; not an analysis setting. */
  lowConfidenceThreshold: number;
  expressionModels: string[];
  flipAverage: boolean;
  speech: boolean;
  voice: boolean;
  geometry: boolean;
  speakers: SpeakersMode;
  modelsFolder: string;
  voskModelFolder: string;
  speechModelFolder: string;
  ffmpegPath: string;
  /** Empty: documents go beside each video. */
  outputFolder: string;
  /** Who the review panel records as making each correction; empty: the OS user name. Not an analysis setting. */
  annotator: string;
}

export type SettingKey = keyof ExtensionSettings;

/** The analysis settings VS Code offers (`vscode` in the table), each an `emotionLens.<name>` setting of the same name. */
type AnalysisSettingKey = 'sampleFps' | 'smoothingSec' | 'minFaceScore' | 'minFaceSize' | 'expressionModels' | 'flipAverage' | 'speech' | 'voice' | 'geometry' | 'speakers';
export const ANALYSIS_SETTING_KEYS = SETTING_NAMES.filter((name) => ANALYSIS_SETTINGS[name].vscode) as AnalysisSettingKey[];

/** The extension's own number setting (the review panel's threshold); its text settings default to ''. */
export const LOW_CONFIDENCE_THRESHOLD: NumberSetting = { type: 'number', default: 0.5, min: 0, max: 1, vscode: true, description: 'label confidence below which the review panel flags a face' };
const TEXT_KEYS = ['modelsFolder', 'voskModelFolder', 'speechModelFolder', 'ffmpegPath', 'outputFolder', 'annotator'] as const;

/** Longer names are cut: the name is written into every correction. */
export const MAX_ANNOTATOR_LENGTH = 100;

export const SETTING_KEYS: readonly SettingKey[] = [...ANALYSIS_SETTING_KEYS, 'lowConfidenceThreshold', ...TEXT_KEYS];

/** What VS Code falls back to, as package.json declares it (a unit test checks it against the table). */
export const SETTING_DEFAULTS: Readonly<ExtensionSettings> = sanitiseSettings({});

export interface SettingsSource {
  /** The value VS Code resolved over all levels. */
  get(key: SettingKey): unknown;
  inspect(key: SettingKey): InspectedSetting | undefined;
}

export interface ReadSettings {
  settings: ExtensionSettings;
  /** Restricted settings whose workspace value was ignored because the workspace is not trusted. */
  ignored: RestrictedSetting[];
}

/**
 * Reads every setting. In an untrusted workspace a restricted setting takes only the user's own value: a
 * cloned repository's .vscode/settings.json must not choose which program runs or where files go.
 */
export function readSettingsFrom(source: SettingsSource, trusted: boolean): ReadSettings {
  const raw: Partial<Record<SettingKey, unknown>> = {};
  const ignored: RestrictedSetting[] = [];
  for (const key of SETTING_KEYS) {
    if (trusted || !isRestrictedSetting(key)) {
      raw[key] = source.get(key);
      continue;
    }
    const inspected = source.inspect(key) ?? {};
    raw[key] = inspected.globalValue;
    const fromWorkspace = [inspected.workspaceFolderValue, inspected.workspaceValue].find((v) => typeof v === 'string' && v.trim() !== '');
    if (fromWorkspace !== undefined && fromWorkspace !== inspected.globalValue) ignored.push(key);
  }
  return { settings: sanitiseSettings(raw), ignored };
}

/** Settings with wrong types or out-of-range values replaced by their defaults (settings.json is hand-edited). */
export function sanitiseSettings(raw: Partial<Record<SettingKey, unknown>>): ExtensionSettings {
  const number = (key: SettingKey, spec: NumberSetting): number => {
    const value = raw[key];
    return typeof value === 'number' && inRange(spec, value) ? value : spec.default;
  };
  const flag = (key: 'flipAverage' | 'speech' | 'voice' | 'geometry'): boolean => (typeof raw[key] === 'boolean' ? (raw[key] as boolean) : ANALYSIS_SETTINGS[key].default);
  const text = (key: (typeof TEXT_KEYS)[number]): string => (typeof raw[key] === 'string' ? (raw[key] as string).trim() : '');
  const models = Array.isArray(raw.expressionModels)
    ? raw.expressionModels.filter((m): m is string => typeof m === 'string' && m.trim() !== '').map((m) => m.trim())
    : [];
  return {
    sampleFps: number('sampleFps', ANALYSIS_SETTINGS.sampleFps),
    smoothingSec: number('smoothingSec', ANALYSIS_SETTINGS.smoothingSec),
    minFaceScore: number('minFaceScore', ANALYSIS_SETTINGS.minFaceScore),
    minFaceSize: number('minFaceSize', ANALYSIS_SETTINGS.minFaceSize),
    lowConfidenceThreshold: number('lowConfidenceThreshold', LOW_CONFIDENCE_THRESHOLD),
    expressionModels: models.length > 0 ? [...new Set(models)] : [...ANALYSIS_SETTINGS.expressionModels.default],
    flipAverage: flag('flipAverage'),
    speech: flag('speech'),
    voice: flag('voice'),
    geometry: flag('geometry'),
    speakers: choice(raw.speakers, ANALYSIS_SETTINGS.speakers),
    modelsFolder: text('modelsFolder'),
    voskModelFolder: text('voskModelFolder'),
    speechModelFolder: text('speechModelFolder'),
    ffmpegPath: text('ffmpegPath'),
    outputFolder: text('outputFolder'),
    annotator: text('annotator').slice(0, MAX_ANNOTATOR_LENGTH),
  };
}

/**
 * One of the setting's words; a yes/no value, from when the setting was one (`emotionLens.speakers: true`),
 * keeps its meaning: true is `on`, false is `off`. Anything else: the default.
 */
export function choice<V extends string>(value: unknown, spec: ChoiceSetting<V>): V {
  const word = typeof value === 'boolean' ? speakersModeOfFlag(value) : value;
  return typeof word === 'string' && Object.hasOwn(spec.choices, word) ? (word as V) : spec.default;
}

/** The annotator recorded on corrections: the setting, else the OS user name, else "unknown". */
export function annotatorName(setting: string, osUserName: () => string): string {
  if (setting.trim() !== '') return setting.trim().slice(0, MAX_ANNOTATOR_LENGTH);
  try {
    const name = osUserName().trim();
    return name !== '' ? name.slice(0, MAX_ANNOTATOR_LENGTH) : 'unknown';
  } catch {
    // os.userInfo() throws when the user has no name or home (some containers).
    return 'unknown';
  }
}
