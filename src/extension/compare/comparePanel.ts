/**
 * The "Compare reviews" webview panel: shows the agreement of two or more reviews of one media and opens an
 * annotator's document in the review editor when asked. The host holds the documents and the snapshot; the
 * webview gets the snapshot whenever it says `ready` (it is rebuilt each time it is shown again).
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgreementInput } from '../../core/agreement/annotatorAgreement';
import { annotatorAgreement } from '../../core/agreement/annotatorAgreement';
import type { CompareHostMessage, CompareSnapshot, CompareWebviewMessage } from '../../shared/compareProtocol';
import { parseCompareWebviewMessage } from '../../shared/compareProtocol';
import { makeNonce } from '../editor/reviewHtml';
import { openInReviewEditor } from '../workspaceTabs';
import { compareHtml } from './compareHtml';
import { compareSnapshot } from './compareModel';

export const COMPARE_VIEW_TYPE = 'emotionLens.compareReviews';

export interface ComparePanelServices {
  log: (line: string) => void;
}

/** Computes the agreement (throws the core's one-line errors) and opens a panel showing it. */
export function openComparePanel(extensionUri: vscode.Uri, inputs: readonly AgreementInput[], services: ComparePanelServices): vscode.WebviewPanel {
  const report = annotatorAgreement(inputs);
  const snapshot = compareSnapshot(inputs, report);
  const files = inputs.map((i) => i.file);
  const distUri = vscode.Uri.joinPath(extensionUri, 'dist');
  const title = `Compare: ${snapshot.mediaName} (${snapshot.annotators.map((a) => a.name).join(', ')})`;
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [distUri],
    retainContextWhenHidden: false,
  });
  const webview = panel.webview;
  webview.html = compareHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'compare.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'compare.css')).toString(),
    title,
  });
  const listener = webview.onDidReceiveMessage((raw: unknown) => void onMessage(raw, panel, snapshot, files, services));
  panel.onDidDispose(() => listener.dispose());
  services.log(`compare: ${files.join(', ')}: ${snapshot.method} kappa ${snapshot.overall.kappa ?? 'undefined'} over ${snapshot.compared} face(s)`);
  return panel;
}

async function onMessage(raw: unknown, panel: vscode.WebviewPanel, snapshot: CompareSnapshot, files: readonly string[], services: ComparePanelServices): Promise<void> {
  const message: CompareWebviewMessage | undefined = parseCompareWebviewMessage(raw);
  if (!message) {
    services.log(`compare: ignored a malformed message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
    return;
  }
  switch (message.type) {
    case 'ready':
      await post(panel, { type: 'snapshot', snapshot });
      return;
    case 'openDocument': {
      const file = files[message.annotator];
      if (file === undefined) {
        services.log(`compare: no annotator ${message.annotator}`);
        return;
      }
      // The review editor opens at its start: it has no way to be told a face to go to.
      await openInReviewEditor(file);
      services.log(`compare: opened ${path.basename(file)}${message.face ? ` (face at frame ${message.face.frameIndex}, track ${message.face.trackId})` : ''}`);
      return;
    }
    default:
      assertNever(message);
  }
}

async function post(panel: vscode.WebviewPanel, message: CompareHostMessage): Promise<void> {
  await panel.webview.postMessage(message);
}

function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}
