/**
 * Path settings as absolute paths: `~` is the home folder, `${workspaceFolder}` and relative paths start at
 * the workspace folder holding the video (else at its own folder); where each video's document goes.
 */
import os from 'node:os';
import path from 'node:path';
import { documentPathFor } from '../core/document/annotationFile';
import type { ExtensionSettings } from './extensionSettings';

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
export function resolveExecutableSetting(value: string, fallbackDir: string, context: RequestContext): string | undefined {
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
