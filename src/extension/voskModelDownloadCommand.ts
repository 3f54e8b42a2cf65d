/** Downloads the small English Vosk model into the extension's storage, verified file by file, and selects it. */
import path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage, isCancelled } from '../core/errors';
import { VOSK_SMALL_EN_ID } from '../core/models/speechModelSelection';
import { downloadVoskModel } from '../core/models/voskModelDownload';
import type { ExtensionServices } from './extensionServices';
import { formatBytes } from '../shared/textFormat';
import { updateSetting } from './settings';

export async function downloadVoskModelCommand(services: ExtensionServices): Promise<boolean> {
  if (services.running) {
    void vscode.window.showInformationMessage(`Emotion Lens is busy (${services.running.what}); try again when it has finished.`);
    return false;
  }
  const destination = path.join(services.modelCacheDir, VOSK_SMALL_EN_ID);
  const controller = new AbortController();
  services.running = { what: 'downloading the Vosk model', controller };
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Emotion Lens: downloading ${VOSK_SMALL_EN_ID} (40 MB)`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        await downloadVoskModel(destination, {
          signal: controller.signal,
          onProgress: (p) => {
            const percent = p.totalBytes ? (100 * p.receivedBytes) / p.totalBytes : 0;
            progress.report({ message: `${formatBytes(p.receivedBytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}`, increment: Math.max(0, percent - reported) });
            reported = Math.max(reported, percent);
          },
        });
      },
    );
    await updateSetting('voskModelFolder', destination);
    services.log.info(`Downloaded and verified ${VOSK_SMALL_EN_ID} into ${destination}; emotionLens.voskModelFolder set`);
    void vscode.window.showInformationMessage(`Transcripts will use ${VOSK_SMALL_EN_ID} from the next analysis.`);
    return true;
  } catch (error) {
    if (isCancelled(error)) {
      services.log.info('Vosk model download cancelled');
      return false;
    }
    services.log.error(`Vosk model download failed: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Emotion Lens: ${errorMessage(error)}`);
    return false;
  } finally {
    services.running = undefined;
  }
}
