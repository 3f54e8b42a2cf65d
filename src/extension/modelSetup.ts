/**
 * Getting the face models in place from VS Code: a cheap presence check before the first analysis, a
 * sha256-checked download into the extension's global storage, or a folder the user already has.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { errorMessage, isCancelled } from '../core/errors';
import { loadManifest } from '../core/models/modelManifest';
import { listModels, resolveModel } from '../core/models/modelResolver';
import type { ExtensionServices } from './extensionServices';
import type { ModelSetupPlan } from './modelSetupPlan';
import { modelSetupPlan, modelSetupQuestion, neededModelIds } from './modelSetupPlan';
import { formatBytes } from '../shared/textFormat';
import { readSettings, updateSetting, workspaceRequestContext } from './settings';
import { resolveSettingPath } from './settingPaths';

export interface ModelLocation {
  /** The user's models folder (setting), searched first. */
  modelsDir?: string;
  /** The extension's cache (global storage). */
  cacheDir: string;
  expressionModels: string[];
}

const DOWNLOAD = 'Download Models';
const CHOOSE = 'Choose Models Folder…';

/** Where models are looked for according to the settings, when no particular video is involved. */
export function currentModelLocation(services: ExtensionServices): ModelLocation {
  const { settings } = readSettings();
  const { context, fallbackDir } = workspaceRequestContext(services);
  const modelsDir = resolveSettingPath(settings.modelsFolder, fallbackDir, context);
  return { ...(modelsDir ? { modelsDir } : {}), cacheDir: services.modelCacheDir, expressionModels: settings.expressionModels };
}

/** `verify` hashes every file found (a second or so); without it the check only looks for files. */
export async function planModels(location: ModelLocation, verify: boolean): Promise<ModelSetupPlan> {
  const statuses = await listModels({ modelsDir: location.modelsDir, cacheDir: location.cacheDir, verify });
  return modelSetupPlan(statuses, neededModelIds(location.expressionModels), loadManifest());
}

/**
 * Before an analysis: true when the needed models are present (or were just fetched), false to stop. On a
 * first run this is where the user is offered the download or a folder.
 */
export async function ensureModels(location: ModelLocation, services: ExtensionServices): Promise<boolean> {
  const plan = await planModels(location, false);
  if (plan.ready) return true;
  services.log.info(`Models needed before analysing: ${modelSetupQuestion(plan)}`);
  if (plan.unknown.length > 0) {
    // No download or folder helps with a misspelt id: the setting has to change.
    const choice = await vscode.window.showErrorMessage(modelSetupQuestion({ ...plan, downloadable: [], manual: [], damagedElsewhere: [] }), 'Open Settings');
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'emotionLens.expressionModels');
    return false;
  }
  const canDownload = plan.downloadable.length > 0 && plan.manual.length === 0;
  const choice = await vscode.window.showInformationMessage(
    'Emotion Lens needs its face models',
    { modal: true, detail: `${modelSetupQuestion(plan)}\n\nModels are looked for in ${location.modelsDir ?? '(no emotionLens.modelsFolder set)'} and then in ${location.cacheDir}.` },
    ...(canDownload ? [DOWNLOAD, CHOOSE] : [CHOOSE]),
  );
  if (choice === DOWNLOAD) return downloadModels(location, services);
  if (choice === CHOOSE) return chooseModelsFolder(services, location);
  return false;
}

/** Downloads the missing (or damaged, in our own cache) models, with progress; true when all are ready. */
export async function downloadModels(location: ModelLocation, services: ExtensionServices): Promise<boolean> {
  if (services.running) {
    void vscode.window.showInformationMessage(`Emotion Lens is busy (${services.running.what}); try again when it has finished.`);
    return false;
  }
  const plan = await planModels(location, true);
  if (plan.ready) {
    void vscode.window.showInformationMessage('The face models are present and their sha256 checks out.');
    return true;
  }
  if (plan.downloadable.length === 0) {
    const choice = await vscode.window.showWarningMessage(modelSetupQuestion(plan), CHOOSE);
    return choice === CHOOSE ? chooseModelsFolder(services, location) : false;
  }
  for (const damaged of plan.damagedInCache) {
    services.log.warn(`Deleting damaged model file (sha256 mismatch) before downloading it again: ${damaged}`);
    await fs.rm(damaged, { force: true });
  }
  const controller = new AbortController();
  services.running = { what: 'downloading models', controller };
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Emotion Lens: downloading models', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        const received = new Map<string, number>();
        let reportedPercent = 0;
        for (const [i, id] of plan.downloadable.entries()) {
          services.log.info(`Downloading ${id} into ${location.cacheDir}`);
          await resolveModel(id, {
            modelsDir: location.modelsDir,
            cacheDir: location.cacheDir,
            allowDownload: true,
            signal: controller.signal,
            onProgress: (p) => {
              received.set(`${p.modelId}/${p.file}`, p.receivedBytes);
              const done = [...received.values()].reduce((a, b) => a + b, 0);
              const percent = plan.downloadBytes > 0 ? Math.min(100, (100 * done) / plan.downloadBytes) : 0;
              progress.report({
                message: `${p.file} (${i + 1} of ${plan.downloadable.length}): ${formatBytes(p.receivedBytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}`,
                increment: Math.max(0, percent - reportedPercent),
              });
              reportedPercent = Math.max(reportedPercent, percent);
            },
          });
          services.log.info(`Downloaded and verified ${id}`);
        }
      },
    );
    void vscode.window.showInformationMessage(`Models downloaded and verified (${formatBytes(plan.downloadBytes)}).`);
    return true;
  } catch (error) {
    if (isCancelled(error) || controller.signal.aborted) {
      services.log.info('Model download cancelled');
      vscode.window.setStatusBarMessage('Emotion Lens: model download cancelled', 4000);
      return false;
    }
    services.log.error(`Model download failed: ${errorMessage(error)}`);
    const choice = await vscode.window.showErrorMessage(`Model download failed: ${errorMessage(error)}`, CHOOSE, 'Open Log');
    if (choice === CHOOSE) return chooseModelsFolder(services, location);
    if (choice === 'Open Log') services.log.show(true);
    return false;
  } finally {
    services.running = undefined;
  }
}

/** Lets the user pick a folder that holds the models and saves it as emotionLens.modelsFolder. */
export async function chooseModelsFolder(services: ExtensionServices, location: ModelLocation = currentModelLocation(services)): Promise<boolean> {
  for (;;) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Use This Models Folder',
      title: 'Folder with the Emotion Lens models (<folder>/<model id>/<file> or <folder>/<file>)',
      ...(location.modelsDir ? { defaultUri: vscode.Uri.file(location.modelsDir) } : {}),
    });
    const folder = picked?.[0];
    if (!folder) return false;
    const plan = await planModels({ ...location, modelsDir: folder.fsPath }, false);
    if (!plan.ready) {
      const choice = await vscode.window.showWarningMessage(
        `${folder.fsPath} does not hold every model needed. ${modelSetupQuestion(plan)}`,
        { modal: true },
        'Use Anyway',
        'Choose Another…',
      );
      if (choice === 'Choose Another…') continue;
      if (choice !== 'Use Anyway') return false;
    }
    await updateSetting('modelsFolder', folder.fsPath);
    services.log.info(`emotionLens.modelsFolder set to ${folder.fsPath}`);
    return plan.ready;
  }
}
