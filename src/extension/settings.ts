/** VS Code's side of the settings: reads `emotionLens.*` with trust rules, saves what the user picks. */
import os from 'node:os';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './contributionIds';
import type { ExtensionServices } from './extensionServices';
import { firstTime } from './extensionServices';
import { annotatorName, readSettingsFrom } from './extensionSettings';
import type { ReadSettings, SettingKey } from './extensionSettings';
import type { RequestContext } from './settingPaths';
import { restrictedModeNotice, settingTarget } from './workspaceTrust';
import type { RestrictedSetting } from './workspaceTrust';

/** Settings as they apply to `scope` (a video's folder may have its own). */
export function readSettings(scope?: vscode.Uri): ReadSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return readSettingsFrom({ get: (key) => config.get(key), inspect: (key) => config.inspect(key) }, vscode.workspace.isTrusted);
}

/** Who the review editor records on the corrections made now: `emotionLens.annotator`, else the OS user. */
export function readAnnotator(scope?: vscode.Uri): string {
  return annotatorName(readSettings(scope).settings.annotator, () => os.userInfo().username);
}

/** Where relative setting paths start for this file, and the model cache. */
export function requestContextFor(file: string, services: ExtensionServices): RequestContext {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)) ?? vscode.workspace.workspaceFolders?.[0];
  return { cacheDir: services.modelCacheDir, ...(folder?.uri.scheme === 'file' ? { workspaceFolder: folder.uri.fsPath } : {}) };
}

/** Settings paths when no video is involved: relative to the first workspace folder, else the home folder. */
export function workspaceRequestContext(services: ExtensionServices): { context: RequestContext; fallbackDir: string } {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const context: RequestContext = { cacheDir: services.modelCacheDir, ...(folder ? { workspaceFolder: folder.uri.fsPath } : {}) };
  return { context, fallbackDir: folder?.uri.fsPath ?? os.homedir() };
}

/** Saves a setting where it takes effect: over a trusted workspace value, else in user settings. */
export async function updateSetting(key: SettingKey, value: unknown, scope?: vscode.Uri): Promise<void> {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const target = settingTarget(config.inspect(key), vscode.workspace.isTrusted);
  const targets = { global: vscode.ConfigurationTarget.Global, workspace: vscode.ConfigurationTarget.Workspace, workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder };
  await config.update(key, value, targets[target]);
}

/** Says once per session that workspace values of path settings were ignored, with the way out. */
export function noteIgnoredSettings(ignored: readonly RestrictedSetting[], services: ExtensionServices): void {
  if (ignored.length === 0) return;
  const message = restrictedModeNotice(ignored);
  services.log.warn(message);
  if (!firstTime(services, 'restricted-mode')) return;
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
}
