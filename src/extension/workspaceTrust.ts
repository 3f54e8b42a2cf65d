/**
 * Workspace trust for settings: which settings a workspace may not choose until it is trusted (they name a
 * program or a folder), the notice that says so, and where a value the user picks is saved. Pure.
 */

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

export function isRestrictedSetting(key: string): key is RestrictedSetting {
  return (RESTRICTED_SETTINGS as readonly string[]).includes(key);
}

/** The one-time restricted-mode explanation, naming the settings that were actually ignored. */
export function restrictedModeNotice(ignored: readonly RestrictedSetting[]): string {
  const names = ignored.map((key) => RESTRICTED_LABELS[key]);
  const list = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const verb = names.length === 1 ? 'setting is' : 'settings are';
  return `Restricted mode: this workspace's ${list} ${verb} ignored until you trust this workspace (your user settings still apply).`;
}

/** What vscode.WorkspaceConfiguration.inspect() reports, reduced to the levels that matter here. */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
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
