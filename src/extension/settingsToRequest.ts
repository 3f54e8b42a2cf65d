/**
 * The `emotionLens.*` settings as plain data: read with workspace-trust rules, checked, and mapped to the
 * engine's AnalysisRequest. No vscode import: settings.ts feeds it VS Code's configuration.
 */
import os from 'node:os';
import path from 'node:path';
import type { AnalysisRequest } from '../core/engine/analysisRequest';
import { defaultSettings, makeRequest } from '../core/engine/analysisRequest';
import { documentPathFor } from '../core/document/annotationFile';

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

export const SETTING_DEFAULTS: Readonly<ExtensionSettings> = {
  sampleFps: 5,
  smoothingSec: 0.4,
  minFaceScore: 0.6,
  minFaceSize: 20,
  lowConfidenceThreshold: 0.5,
  expressionModels: [...defaultSettings.expressionModels],
  flipAverage: false,
  speech: true,
  voice: true,
  modelsFolder: '',
  voskModelFolder: '',
  speechModelFolder: '',
  ffmpegPath: '',
  outputFolder: '',
  annotator: '',
};

export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

type NumberKey = { [K in SettingKey]: ExtensionSettings[K] extends number ? K : never }[SettingKey];

/** Accepted range of each number setting (package.json declares the same minimum and maximum). */
export const SETTING_RANGES: Readonly<Record<NumberKey, { min: number; max: number }>> = {
  sampleFps: { min: 0, max: 240 },
  smoothingSec: { min: 0, max: 60 },
  minFaceScore: { min: 0, max: 1 },
  minFaceSize: { min: 0, max: 10000 },
  lowConfidenceThreshold: { min: 0, max: 1 },
};

/** Settings that name an executable or a folder: a workspace must be trusted before its values for them count. */
export const RESTRICTED_SETTINGS = ['modelsFolder', 'voskModelFolder', 'speechModelFolder', 'ffmpegPath', 'outputFolder'] as const;
export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

const RESTRICTED_LABELS: Record<RestrictedSetting, string> = {
  modelsFolder: 'models folder',
  voskModelFolder: 'Vosk model folder',
  speechModelFolder: 'speech model folder',
  ffmpegPath: 'ffmpeg path',
  outputFolder: 'output folder',
};

/** What vscode.WorkspaceConfiguration.inspect() reports, reduced to the levels that matter here. */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

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

export function isRestrictedSetting(key: string): key is RestrictedSetting {
  return (RESTRICTED_SETTINGS as readonly string[]).includes(key);
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
  const number = (key: NumberKey): number => {
    const value = raw[key];
    const { min, max } = SETTING_RANGES[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : SETTING_DEFAULTS[key];
  };
  const flag = (key: 'flipAverage' | 'speech' | 'voice'): boolean => (typeof raw[key] === 'boolean' ? (raw[key] as boolean) : SETTING_DEFAULTS[key]);
  const text = (key: RestrictedSetting): string => (typeof raw[key] === 'string' ? (raw[key] as string).trim() : '');
  const models = Array.isArray(raw.expressionModels)
    ? raw.expressionModels.filter((m): m is string => typeof m === 'string' && m.trim() !== '').map((m) => m.trim())
    : [];
  return {
    sampleFps: number('sampleFps'),
    smoothingSec: number('smoothingSec'),
    minFaceScore: number('minFaceScore'),
    minFaceSize: number('minFaceSize'),
    lowConfidenceThreshold: number('lowConfidenceThreshold'),
    expressionModels: models.length > 0 ? [...new Set(models)] : [...SETTING_DEFAULTS.expressionModels],
    flipAverage: flag('flipAverage'),
    speech: flag('speech'),
    voice: flag('voice'),
    modelsFolder: text('modelsFolder'),
    voskModelFolder: text('voskModelFolder'),
    speechModelFolder: text('speechModelFolder'),
    ffmpegPath: text('ffmpegPath'),
    outputFolder: text('outputFolder'),
    annotator: typeof raw.annotator === 'string' ? raw.annotator.trim().slice(0, MAX_ANNOTATOR_LENGTH) : '',
  };
}

/** Longer names are cut: the name is written into every correction. */
export const MAX_ANNOTATOR_LENGTH = 100;

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

export interface RequestContext {
  /** The extension's model cache (globalStorageUri/models): downloads land here. */
  cacheDir: string;
  /** The workspace folder holding the video, if any: relative setting paths start there. */
  workspaceFolder?: string;
  homeDir?: string;
}

/**
 * A folder or file setting as an absolute path: `~` is the home folder, `${workspaceFolder}` and relative
 * paths start at the workspace folder (else at `fallbackDir`, the video's folder). Empty means not set.
 */
export function resolveSettingPath(value: string, fallbackDir: string, context: RequestContext): string | undefined {
  if (value === '') return undefined;
  const base = context.workspaceFolder ?? path.resolve(fallbackDir);
  const home = context.homeDir ?? os.homedir();
  let expanded = value.replace(/\$\{workspaceFolder\}/g, base);
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) expanded = path.join(home, expanded.slice(1));
  return path.resolve(base, expanded);
}

/** ffmpeg may be a bare command name looked up in PATH; anything with a separator is a path. */
function resolveExecutableSetting(value: string, fallbackDir: string, context: RequestContext): string | undefined {
  if (value === '' || !/[\\/~]|\$\{/.test(value)) return value || undefined;
  return resolveSettingPath(value, fallbackDir, context);
}

export function outputFolderFor(video: string, settings: ExtensionSettings, context: RequestContext): string | undefined {
  return resolveSettingPath(settings.outputFolder, path.dirname(path.resolve(video)), context);
}

/** Where the video's annotation document is (or will be written). */
export function documentPathForVideo(video: string, settings: ExtensionSettings, context: RequestContext): string {
  return documentPathFor(path.resolve(video), outputFolderFor(video, settings, context));
}

/** The engine request for one video; the models folder from settings is searched before the cache. */
export function requestFromSettings(video: string, settings: ExtensionSettings, context: RequestContext): AnalysisRequest {
  const videoDir = path.dirname(path.resolve(video));
  return makeRequest(path.resolve(video), {
    outDir: outputFolderFor(video, settings, context),
    settings: {
      sampleFps: settings.sampleFps,
      smoothingSec: settings.smoothingSec,
      minFaceScore: settings.minFaceScore,
      minFaceSize: settings.minFaceSize,
      expressionModels: settings.expressionModels,
      flipAverage: settings.flipAverage,
      speech: settings.speech,
      voice: settings.voice,
    },
    models: { modelsDir: resolveSettingPath(settings.modelsFolder, videoDir, context), cacheDir: context.cacheDir, allowDownload: false },
    speech: {
      voskModelDir: resolveSettingPath(settings.voskModelFolder, videoDir, context),
      speechModelDir: resolveSettingPath(settings.speechModelFolder, videoDir, context),
    },
    ffmpeg: { ffmpegPath: resolveExecutableSetting(settings.ffmpegPath, videoDir, context) },
    existingDocument: 'merge',
  });
}

/** The one-time restricted-mode explanation, naming the settings that were actually ignored. */
export function restrictedModeNotice(ignored: readonly RestrictedSetting[]): string {
  const names = ignored.map((key) => RESTRICTED_LABELS[key]);
  const list = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const verb = names.length === 1 ? 'setting is' : 'settings are';
  return `Restricted mode: this workspace's ${list} ${verb} ignored until you trust this workspace (your user settings still apply).`;
}

export type SettingTarget = 'global' | 'workspace' | 'workspaceFolder';

/**
 * Where to save a value the user just chose: over a workspace value when the workspace is trusted (else it
 * would stay shadowed), otherwise in user settings, which count even in restricted mode.
 */
export function settingTarget(inspected: InspectedSetting | undefined, trusted: boolean): SettingTarget {
  if (trusted && inspected?.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (trusted && inspected?.workspaceValue !== undefined) return 'workspace';
  return 'global';
}
