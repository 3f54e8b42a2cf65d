/** Shows a notification with its fix-it buttons and carries out the one the user picks. */
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import { locateFfmpeg } from '../core/media/ffmpegTools';
import { COMMAND_IDS } from './contributionIds';
import type { NoticeAction } from './errorActions';
import { ACTION_LABELS } from './errorActions';
import type { ExtensionServices } from './extensionServices';
import type { ModelLocation } from './modelSetup';
import { chooseModelsFolder, currentModelLocation, downloadModels } from './modelSetup';
import { updateSetting } from './settings';
import { downloadVoskModelCommand } from './voskModelDownloadCommand';
import { openAsText } from './workspaceTabs';

export interface NoticeDetails {
  /** The annotation document concerned, for "Open as Text". */
  documentPath?: string;
  /** Where the failed run looked for models. */
  location?: ModelLocation;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * Shows the notification without waiting for it: a notification left in the notification centre keeps its
 * promise pending, and nothing (such as the next analysis) may wait on that.
 */
export function showNotice(severity: Severity, message: string, actions: readonly NoticeAction[], services: ExtensionServices, details: NoticeDetails = {}): void {
  const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(message, ...actions.map((a) => ACTION_LABELS[a])).then(async (choice) => {
    const action = actions.find((a) => ACTION_LABELS[a] === choice);
    if (!action) return;
    try {
      await runNoticeAction(action, services, details);
    } catch (error) {
      services.log.error(`${ACTION_LABELS[action]}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Emotion Lens: ${errorMessage(error)}`);
    }
  });
}

export async function runNoticeAction(action: NoticeAction, services: ExtensionServices, details: NoticeDetails): Promise<void> {
  switch (action) {
    case 'openLog':
      services.log.show(true);
      return;
    case 'chooseFfmpeg':
      await chooseFfmpeg(services);
      return;
    case 'downloadModels':
      await downloadModels(details.location ?? currentModelLocation(services), services);
      return;
    case 'chooseModelsFolder':
      await chooseModelsFolder(services, details.location ?? currentModelLocation(services));
      return;
    case 'chooseVoskFolder':
      await vscode.commands.executeCommand(COMMAND_IDS.chooseVoskModel);
      return;
    case 'downloadVoskModel':
      await downloadVoskModelCommand(services);
      return;
    case 'speechSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${services.context.extension.id} speech`);
      return;
    case 'manageTrust':
      await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    case 'openAsText':
      if (details.documentPath) await openAsText(details.documentPath);
      return;
    default: {
      const unknown: never = action;
      throw new Error(`unknown action ${String(unknown)}`);
    }
  }
}

/** Picks the ffmpeg program, checks that it runs (and that ffprobe is beside it or on PATH), saves the setting. */
export async function chooseFfmpeg(services: ExtensionServices): Promise<boolean> {
  for (;;) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      openLabel: 'Use This ffmpeg',
      title: 'Choose the ffmpeg program (ffprobe is looked for beside it)',
    });
    const file = picked?.[0];
    if (!file) return false;
    try {
      const tools = await locateFfmpeg({ ffmpegPath: file.fsPath });
      await updateSetting('ffmpegPath', file.fsPath);
      services.log.info(`emotionLens.ffmpegPath set to ${tools.ffmpeg} (ffmpeg ${tools.version}, ffprobe ${tools.ffprobe})`);
      void vscode.window.showInformationMessage(`Emotion Lens will use ffmpeg ${tools.version} at ${tools.ffmpeg}.`);
      return true;
    } catch (error) {
      services.log.warn(`Not a usable ffmpeg: ${errorMessage(error)}`);
      const choice = await vscode.window.showErrorMessage(errorMessage(error), 'Choose Another…');
      if (choice !== 'Choose Another…') return false;
    }
  }
}
