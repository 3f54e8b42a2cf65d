/**
 * "Emotion Lens: Compare reviews…": two or more `*.emotion.json` reviews of one media (the Explorer's
 * multi-selection, else picked from the workspace's documents, else an open dialog), read and compared, then
 * shown side by side in the compare panel. A bad document or other media is one error line naming the file.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgreementInput } from '../../core/agreement/annotatorAgreement';
import { DOCUMENT_SUFFIX } from '../../shared/annotationDocument';
import { errorMessage } from '../../core/errors';
import { readDocumentForExport } from '../../core/export/exportFormats';
import { classifyUri, commandUris, describeIgnored } from '../analysisTargets';
import type { ExtensionServices } from '../extensionServices';
import { activeTabUri, hasUnsavedChanges } from '../workspaceTabs';
import { openComparePanel } from './comparePanel';

const TITLE = 'Compare reviews';
/** Enough for any study folder; the open dialog reaches the rest. */
const MAX_WORKSPACE_DOCUMENTS = 500;

export async function compareReviewsCommand(services: ExtensionServices, clicked?: unknown, selected?: unknown): Promise<void> {
  const given = commandUris(clicked, selected);
  const ignored = given.filter((u) => classifyUri(u) !== 'document').map((u) => ({ path: u.fsPath, reason: `is not an annotation document (*${DOCUMENT_SUFFIX})` }));
  if (ignored.length > 0) void vscode.window.showWarningMessage(`${TITLE}: ignored ${describeIgnored(ignored)}.`);
  let files = given.filter((u) => classifyUri(u) === 'document').map((u) => u.fsPath);
  if (files.length < 2) {
    const active = activeTabUri();
    const preselected = files.length > 0 ? files : active && classifyUri(active) === 'document' ? [active.fsPath] : [];
    files = (await pickDocuments(preselected)) ?? [];
    if (files.length === 0) return;
  }
  if (files.length < 2) {
    void vscode.window.showWarningMessage(`${TITLE} needs two or more reviews (*${DOCUMENT_SUFFIX}) of the same media: select them together in the Explorer (Ctrl+click), or pick more than one.`);
    return;
  }
  const inputs: AgreementInput[] = [];
  for (const file of files) {
    try {
      inputs.push({ file, document: await readDocumentForExport(file) });
    } catch (error) {
      void vscode.window.showErrorMessage(`${TITLE}: ${errorMessage(error)}`);
      return;
    }
  }
  const unsaved = files.filter(hasUnsavedChanges);
  if (unsaved.length > 0) void vscode.window.showInformationMessage(`${TITLE}: ${unsaved.map((f) => path.basename(f)).join(', ')} has unsaved corrections; the comparison uses the saved file.`);
  try {
    openComparePanel(services.context.extensionUri, inputs, { log: (line) => services.log.info(line), memory: services.context.workspaceState });
  } catch (error) {
    // Other media, or fewer than two: the core's one-line message names the files.
    void vscode.window.showErrorMessage(`${TITLE}: ${errorMessage(error)}`);
  }
}

/** The workspace's documents in a multi-select quick pick (the given ones ticked), else an open dialog. */
async function pickDocuments(given: readonly string[]): Promise<string[] | undefined> {
  let preselected = given;
  const found = await vscode.workspace.findFiles(`**/*${DOCUMENT_SUFFIX}`, '**/node_modules/**', MAX_WORKSPACE_DOCUMENTS);
  const paths = [...new Set([...preselected, ...found.filter((u) => u.scheme === 'file').map((u) => u.fsPath)])].sort();
  if (paths.length >= 2) {
    const items = paths.map((file) => ({ label: path.basename(file), description: vscode.workspace.asRelativePath(path.dirname(file)), picked: preselected.includes(file), file }));
    const browse = { label: '$(folder-opened) Browse…', description: 'choose documents outside the workspace', picked: false, file: '' };
    const picked = await vscode.window.showQuickPick([...items, browse], { title: TITLE, placeHolder: 'Pick two or more reviews of the same media', canPickMany: true, matchOnDescription: true });
    if (!picked) return undefined;
    if (!picked.includes(browse)) return picked.map((p) => p.file);
    preselected = picked.filter((p) => p !== browse).map((p) => p.file);
  }
  const chosen = await vscode.window.showOpenDialog({
    title: TITLE,
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: 'Compare',
    filters: { 'Emotion Lens reviews': ['json'] },
    ...(preselected[0] && { defaultUri: vscode.Uri.file(path.dirname(preselected[0])) }),
  });
  return chosen ? [...new Set([...preselected, ...chosen.filter((u) => u.scheme === 'file').map((u) => u.fsPath)])] : undefined;
}
