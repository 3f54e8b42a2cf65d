/**
 * Emotion Lens's extension host entry: registrations only. Nothing heavy happens here; the engine starts in
 * a child process when a command runs, and models are looked at only then.
 */
import * as vscode from 'vscode';
import { useFixNames } from '../core/fixNames';
import { analyzeCommand } from './analyzeCommand';
import { analyzeFolderCommand } from './analyzeFolderCommand';
import { chooseVoskModelCommand } from './chooseVoskModelCommand';
import { registerComparePanelSerializer } from './compare/comparePanel';
import { compareReviewsCommand } from './compare/compareReviewsCommand';
import { registerCommand } from './commandRegistration';
import { COMMAND_IDS, OUTPUT_CHANNEL_NAME } from './contributionIds';
import { registerReviewEditor } from './editor/reviewEditorProvider';
import type { ExtensionServices } from './extensionServices';
import { createServices } from './extensionServices';
import { exportCommand } from './exportCommand';
import { VSCODE_FIX_NAMES } from './fixNamesForVsCode';
import { learnFromCorrectionsCommand } from './learnFromCorrectionsCommand';
import { registerNotebookRendererLinks } from './notebookRendererLinks';
import { openReviewCommand } from './openReviewCommand';
import { setupModelsCommand } from './setupModelsCommand';
import { showLogCommand } from './showLogCommand';
import { downloadVoskModelCommand } from './voskModelDownloadCommand';

let services: ExtensionServices | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // This host also runs core code itself (ffmpeg and model checks): its errors' hints name settings and commands.
  useFixNames(VSCODE_FIX_NAMES);
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const shared = createServices(context, log);
  services = shared;
  context.subscriptions.push(
    log,
    registerCommand(COMMAND_IDS.analyze, (clicked, selected) => analyzeCommand(shared, clicked, selected), shared),
    registerCommand(COMMAND_IDS.analyzeFolder, (clicked, selected) => analyzeFolderCommand(shared, clicked, selected), shared),
    registerCommand(COMMAND_IDS.export, (clicked, selected) => exportCommand(shared, clicked, selected), shared),
    registerCommand(COMMAND_IDS.openReview, (clicked, selected) => openReviewCommand(shared, clicked, selected), shared),
    registerCommand(COMMAND_IDS.learnFromCorrections, (target) => learnFromCorrectionsCommand(shared, target), shared),
    registerCommand(COMMAND_IDS.compareReviews, (clicked, selected) => compareReviewsCommand(shared, clicked, selected), shared),
    registerCommand(COMMAND_IDS.showLog, () => showLogCommand(shared), shared),
    registerCommand(COMMAND_IDS.setupModels, () => setupModelsCommand(shared), shared),
    registerCommand(COMMAND_IDS.chooseVoskModel, () => chooseVoskModelCommand(shared), shared),
    registerCommand(COMMAND_IDS.downloadVoskModel, () => downloadVoskModelCommand(shared), shared),
    registerReviewEditor(context, { log: (line) => log.info(line) }),
    registerComparePanelSerializer(context.extensionUri, { log: (line) => log.info(line), memory: context.workspaceState }),
    registerNotebookRendererLinks({ log: (line) => log.info(line) }),
  );
}

/** A running analysis stops with the window: its child process cleans up and exits. */
export function deactivate(): void {
  services?.running?.controller.abort();
  services = undefined;
}
