/** "Choose Vosk model folder": a folder picker that saves emotionLens.voskModelFolder. */
import path from 'node:path';
import * as vscode from 'vscode';
import { voskModelProblem } from '../core/models/speechModelSelection';
import { VOSK_MODELS_PAGE } from './contributionIds';
import type { ExtensionServices } from './extensionServices';
import { readSettings, updateSetting } from './settings';

export async function chooseVoskModelCommand(services: ExtensionServices): Promise<void> {
  for (;;) {
    const current = readSettings().settings.voskModelFolder;
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Use This Vosk Model',
      title: 'Choose an unzipped Vosk model folder (for example vosk-model-small-en-us-0.15)',
      ...(current && path.isAbsolute(current) ? { defaultUri: vscode.Uri.file(current) } : {}),
    });
    const folder = picked?.[0];
    if (!folder) return;
    // The same layout check the engine makes before it loads the model.
    const problem = voskModelProblem(folder.fsPath);
    if (problem) {
      const choice = await vscode.window.showWarningMessage(
        `${folder.fsPath}: ${problem}. Unzip a model from the Vosk models page and choose the folder inside.`,
        { modal: true },
        'Choose Another…',
        'Open Vosk Models Page',
      );
      if (choice === 'Choose Another…') continue;
      if (choice === 'Open Vosk Models Page') await vscode.env.openExternal(vscode.Uri.parse(VOSK_MODELS_PAGE));
      return;
    }
    await updateSetting('voskModelFolder', folder.fsPath);
    services.log.info(`emotionLens.voskModelFolder set to ${folder.fsPath}`);
    void vscode.window.showInformationMessage(`Transcripts will use the Vosk model in ${folder.fsPath} from the next analysis.`);
    return;
  }
}
