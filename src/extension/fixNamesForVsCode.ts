/**
 * How the core's error hints name fixes inside VS Code: settings by their Settings editor label and id,
 * commands by their Command Palette title (package.json; a unit test keeps these in step with it).
 */
import type { FixNames } from '../core/fixNames';
import { CONFIG_SECTION } from './contributionIds';
import type { SettingKey } from './extensionSettings';

/** "the Emotion Lens: Models Folder setting (emotionLens.modelsFolder)": the label is what the Settings editor shows. */
function setting(key: SettingKey, label: string): string {
  return `the Emotion Lens: ${label} setting (${CONFIG_SECTION}.${key})`;
}

/** A palette command by its category and title. */
function command(title: string): string {
  return `the command “Emotion Lens: ${title}”`;
}

/** No thread setting exists in VS Code (the engine picks the count), so that entry is left out and the hint does without it. */
export const VSCODE_FIX_NAMES: Readonly<FixNames> = Object.freeze({
  ffmpegLocation: setting('ffmpegPath', 'Ffmpeg Path'),
  modelsFolder: setting('modelsFolder', 'Models Folder'),
  modelDownload: command('Download or locate models'),
  speechModelFolder: setting('speechModelFolder', 'Speech Model Folder'),
  voskModelFolder: setting('voskModelFolder', 'Vosk Model Folder'),
  voskDownload: command('Download Vosk model'),
});
