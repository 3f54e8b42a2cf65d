/**
 * "Open full review" in a notebook output: the annotation renderer (src/notebook) posts the document's path
 * as the output names it; this checks the message strictly (it comes from a notebook file's data), resolves
 * the path against the notebook's folder, and opens the existing *.emotion.json in the review editor.
 */
import * as vscode from 'vscode';
import type { HostToRendererMessage, OpenReviewRequest } from '../notebook/rendererProtocol';
import { isAbsolutePath, parseOpenReviewMessage } from '../notebook/rendererProtocol';
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';
import { NOTEBOOK_RENDERER_ID, REVIEW_VIEW_TYPE } from './contributionIds';

export interface RendererLinkOptions {
  log(line: string): void;
}

export function registerNotebookRendererLinks(options: RendererLinkOptions): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(NOTEBOOK_RENDERER_ID);
  return messaging.onDidReceiveMessage(({ editor, message }) => {
    void answer(messaging, editor, message, options);
  });
}

async function answer(messaging: vscode.NotebookRendererMessaging, editor: vscode.NotebookEditor, message: unknown, options: RendererLinkOptions): Promise<void> {
  const request = parseOpenReviewMessage(message);
  if ('error' in request) {
    // Not a request this extension's renderer makes: nothing to answer (there is no trustworthy request id).
    options.log(`notebook renderer: ignored a message from ${editor.notebook.uri.toString(true)}: ${request.error}`);
    return;
  }
  const reply = (ok: boolean, text: string): void => {
    const result: HostToRendererMessage = { type: 'openReviewResult', requestId: request.requestId, ok, message: text };
    void messaging.postMessage(result, editor);
  };
  const target = resolveDocument(request, editor.notebook.uri);
  if ('error' in target) {
    reply(false, target.error);
    void vscode.window.showWarningMessage(`Emotion Lens: cannot open the review: ${target.error}`);
    return;
  }
  const shown = target.uri.scheme === 'file' ? target.uri.fsPath : target.uri.toString(true);
  try {
    const stat = await vscode.workspace.fs.stat(target.uri);
    if ((stat.type & vscode.FileType.File) === 0) throw new Error('not a file');
  } catch {
    const why = request.from === 'documentPath'
      ? `${shown} does not exist (the output's documentPath, relative to the notebook's folder)`
      : `${shown} does not exist (media.path + ${DOCUMENT_SUFFIX}, beside the notebook); add "documentPath" to the output to name the document`;
    reply(false, why);
    void vscode.window.showWarningMessage(`Emotion Lens: cannot open the review: ${why}.`);
    return;
  }
  try {
    await vscode.commands.executeCommand('vscode.openWith', target.uri, REVIEW_VIEW_TYPE, { viewColumn: vscode.ViewColumn.Beside });
    options.log(`notebook renderer: opened ${shown} in the review editor`);
    reply(true, `Opened ${baseName(target.uri.path)} in the review editor.`);
  } catch (error) {
    const why = `could not open ${shown}: ${(error as Error).message}`;
    reply(false, why);
    void vscode.window.showErrorMessage(`Emotion Lens: ${why}`);
  }
}

/** The document's URI: an absolute path as it is, a relative one against the notebook's folder. */
function resolveDocument(request: OpenReviewRequest, notebook: vscode.Uri): { uri: vscode.Uri } | { error: string } {
  const slashed = request.path.replace(/\\/g, '/');
  if (isAbsolutePath(request.path)) {
    return { uri: notebook.scheme === 'file' ? vscode.Uri.file(request.path) : notebook.with({ path: slashed.startsWith('/') ? slashed : `/${slashed}` }) };
  }
  // An unsaved notebook has no folder: the first workspace folder stands in for it.
  const folder = notebook.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(notebook, '..');
  if (!folder) return { error: 'the notebook is not saved and no folder is open, so a relative path has nothing to start from' };
  return { uri: vscode.Uri.joinPath(folder, ...slashed.split('/').filter((part) => part.length > 0 && part !== '.')) };
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
