/**
 * "Learn from my corrections": fits an adaptation of the expression model to the human corrections of the
 * open review document (its unsaved ones included), or of every document in its folder, in a worker thread
 * with a cancellable progress notification; then applies it to the open document as one undoable edit, or
 * says why it was refused. Corrections are never changed by it.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { withAdaptation } from '../core/adaptation/documentAdaptation';
import type { CorrectedFace } from '../core/adaptation/learnAdaptation';
import { correctedFaces, sameLabels } from '../core/adaptation/learnAdaptation';
import { errorMessage } from '../core/errors';
import { AdaptationCancelledError, folderDocuments, learnInWorker, learntMessage, refusalMessage } from './editor/adaptationRun';
import type { ReviewDocument } from './editor/reviewDocument';
import type { ReviewEditorProvider } from './editor/reviewEditorProvider';
import { registeredReviewEditor } from './editor/reviewEditorProvider';
import type { ExtensionServices } from './extensionServices';

type Scope = 'document' | 'folder';

export async function learnFromCorrectionsCommand(services: ExtensionServices, target?: unknown): Promise<void> {
  const provider = registeredReviewEditor();
  const document = provider && (target instanceof vscode.Uri ? provider.documentFor(target) : provider.activeDocument());
  if (!provider || !document) {
    void vscode.window.showInformationMessage('Learn from my corrections: open an annotation document (*.emotion.json) in the review editor first.');
    return;
  }
  const content = document.content;
  if (content.kind === 'invalid') {
    void vscode.window.showErrorMessage(`${document.fileName} is not a valid annotation document, so there is nothing to learn from: ${content.message}`);
    return;
  }
  const scope = await pickScope(document);
  if (!scope) return;
  const labels = content.model.document.labels;
  const inline = inlineFaces(provider, document, scope);
  let files: string[] = [];
  if (scope === 'folder') {
    const folder = path.dirname(document.uri.fsPath);
    const open = new Set(inline.names.map((name) => path.join(folder, name)));
    files = (await folderDocuments(folder)).filter((file) => !open.has(file));
  }
  services.log.info(`Learning from corrections of ${document.fileName}${scope === 'folder' ? ` and ${files.length} more document(s) in its folder` : ''}`);
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Emotion Lens: learning from corrections', cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return learnInWorker({ labels, faces: inline.faces, documents: inline.documents, files }, { signal: controller.signal, onProgress: (text) => progress.report({ message: text }) });
      },
    );
  } catch (error) {
    if (error instanceof AdaptationCancelledError) {
      services.log.info('Learning from corrections cancelled');
      void vscode.window.showInformationMessage('Learning from corrections cancelled; nothing was changed.');
      return;
    }
    services.log.error(`Learning from corrections failed: ${errorMessage(error)}`);
    void vscode.window.showErrorMessage(`Emotion Lens: learning from corrections failed: ${errorMessage(error)}`);
    return;
  }
  const { fit, documents, skipped } = result;
  for (const note of skipped) services.log.warn(`Learn from corrections: skipped ${note}`);
  if (fit.refusal) {
    const text = refusalMessage(fit, documents, skipped);
    services.log.info(text);
    void vscode.window.showInformationMessage(text);
    return;
  }
  // The reviewer may have gone on correcting while the fit ran: the suggestions are made for the document as it is now.
  const now = document.content;
  if (now.kind === 'invalid') {
    void vscode.window.showWarningMessage(`${document.fileName} changed while learning and is no longer valid; the adaptation was not applied.`);
    return;
  }
  const { document: adapted, changedLabels } = withAdaptation(now.model.document, fit, new Date());
  provider.applyAdaptation(document, adapted.adaptation!, `Learn from ${fit.corrections} corrections`);
  const text = learntMessage(fit, documents, changedLabels, skipped);
  services.log.info(`${document.fileName}: ${text} (form ${fit.form})`);
  void vscode.window.showInformationMessage(text);
}

async function pickScope(document: ReviewDocument): Promise<Scope | undefined> {
  const items: (vscode.QuickPickItem & { scope: Scope })[] = [
    { label: 'This document', description: document.fileName, detail: 'Its corrections, unsaved ones included', scope: 'document' },
  ];
  if (document.uri.scheme === 'file') {
    items.push({ label: "This folder's documents", description: path.basename(path.dirname(document.uri.fsPath)), detail: 'Every *.emotion.json beside it analysed with the same labels (documents with other labels are skipped)', scope: 'folder' });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Learn from my corrections', placeHolder: 'Which corrections should the model learn from?' });
  return picked?.scope;
}

/**
 * The corrected faces of the documents open in review editors, as they are now (unsaved corrections included):
 * the target, and with `folder` the other open documents of its folder.
 */
function inlineFaces(provider: ReviewEditorProvider, target: ReviewDocument, scope: Scope): { faces: CorrectedFace[]; documents: number; names: string[] } {
  const folder = path.dirname(target.uri.fsPath);
  const open = [target];
  if (scope === 'folder') {
    for (const other of provider.openDocuments()) {
      if (other !== target && other.uri.scheme === 'file' && path.dirname(other.uri.fsPath) === folder) open.push(other);
    }
  }
  const labels = target.content.kind === 'valid' ? target.content.model.document.labels : [];
  const faces: CorrectedFace[] = [];
  let documents = 0;
  const names: string[] = [];
  for (const document of open) {
    const content = document.content;
    // Others with other labels or invalid: left to the worker, which reads the saved file and says why it skips it.
    if (content.kind === 'invalid' || !sameLabels(content.model.document.labels, labels)) continue;
    const part = correctedFaces([{ name: document.fileName, document: content.model.document }]);
    faces.push(...part.faces);
    documents += part.documents;
    names.push(document.fileName);
  }
  return { faces, documents, names };
}
