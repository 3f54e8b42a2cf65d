/** What the open tabs say: the active file (also for media and custom editors) and unsaved documents. */
import path from 'node:path';
import * as vscode from 'vscode';
import { REVIEW_VIEW_TYPE } from './contributionIds';

/** The active tab's file. `activeTextEditor` is undefined for the media preview and custom editors. */
export function activeTabUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return undefined;
}

function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' || process.platform === 'darwin' ? path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase() : path.resolve(a) === path.resolve(b);
}

/** True when the file has unsaved changes in the review editor or a text editor. */
export function hasUnsavedChanges(file: string): boolean {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if ((input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) && samePath(input.uri.fsPath, file) && tab.isDirty) return true;
    }
  }
  return vscode.workspace.textDocuments.some((doc) => doc.isDirty && doc.uri.scheme === 'file' && samePath(doc.uri.fsPath, file));
}

/** Saves the open editor of the file; false when it could not be saved. */
export async function saveOpenDocument(file: string): Promise<boolean> {
  const saved = await vscode.workspace.save(vscode.Uri.file(file));
  return saved !== undefined;
}

export async function openInReviewEditor(documentPath: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(documentPath), REVIEW_VIEW_TYPE);
}

export async function openAsText(documentPath: string): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(documentPath), 'default');
}
