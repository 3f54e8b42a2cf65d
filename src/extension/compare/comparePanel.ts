/**
 * The "Compare reviews" webview panel: shows the agreement of two or more reviews of one media and opens an
 * annotator's document in the review editor when asked. The host holds the documents and the snapshot; the
 * webview gets the snapshot whenever it says `ready` (it is rebuilt each time it is shown again). A window
 * reload restores the panel (a WebviewPanelSerializer): the webview's state is the panel's id, and the
 * workspace state maps that id to the documents, which are read and compared again.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { AgreementInput } from '../../core/agreement/annotatorAgreement';
import { annotatorAgreement } from '../../core/agreement/annotatorAgreement';
import type { CompareHostMessage, CompareSnapshot, CompareWebviewMessage } from '../../shared/compareProtocol';
import { parseCompareWebviewMessage } from '../../shared/compareProtocol';
import { isRecord } from '../../shared/messageChecks';
import { errorMessage } from '../../core/errors';
import { readDocumentForExport } from '../../core/export/exportFormats';
import { COMPARE_VIEW_TYPE } from '../contributionIds';
import { makeNonce } from '../editor/reviewHtml';
import { openInReviewEditor } from '../workspaceTabs';
import { compareHtml } from './compareHtml';
import { compareSnapshot } from './compareModel';


/** Workspace-state key of the panels' documents, by panel id; the newest MAX_REMEMBERED are kept. */
const PANELS_KEY = 'emotionLens.comparePanels';
const MAX_REMEMBERED = 20;

export interface ComparePanelServices {
  log: (line: string) => void;
  /** Where panel ids are mapped to their documents (the workspace's state). */
  memory: vscode.Memento;
}

/** Computes the agreement (throws the core's one-line errors) and opens a panel showing it. */
export function openComparePanel(extensionUri: vscode.Uri, inputs: readonly AgreementInput[], services: ComparePanelServices): vscode.WebviewPanel {
  const report = annotatorAgreement(inputs);
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare reviews', vscode.ViewColumn.Active, webviewOptions(extensionUri));
  showComparison(panel, extensionUri, inputs, report, makeNonce(), services);
  return panel;
}

/** Brings compare panels back after a window reload, reading their documents again. */
export function registerComparePanelSerializer(extensionUri: vscode.Uri, services: ComparePanelServices): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const panelId = isRecord(state) && typeof state.panelId === 'string' ? state.panelId : undefined;
      const files = panelId === undefined ? undefined : remembered(services.memory)[panelId];
      try {
        if (!panelId || !files) throw new Error('this comparison is no longer known: compare the reviews again');
        const inputs: AgreementInput[] = [];
        for (const file of files) inputs.push({ file, document: await readDocumentForExport(file) });
        panel.webview.options = webviewOptions(extensionUri);
        showComparison(panel, extensionUri, inputs, annotatorAgreement(inputs), panelId, services);
      } catch (error) {
        services.log(`compare: could not restore a panel: ${errorMessage(error)}`);
        void vscode.window.showWarningMessage(`Compare reviews: could not restore the panel: ${errorMessage(error)}`);
        panel.dispose();
      }
    },
  });
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')], retainContextWhenHidden: false };
}

function remembered(memory: vscode.Memento): Record<string, string[]> {
  const value: unknown = memory.get(PANELS_KEY);
  return isRecord(value) ? (value as Record<string, string[]>) : {};
}

/** Fills a panel (new or restored) with the comparison and remembers its documents under its id. */
function showComparison(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, inputs: readonly AgreementInput[], report: ReturnType<typeof annotatorAgreement>, panelId: string, services: ComparePanelServices): void {
  const snapshot = compareSnapshot(inputs, report);
  const files = inputs.map((i) => i.file);
  const distUri = vscode.Uri.joinPath(extensionUri, 'dist');
  const title = `Compare: ${snapshot.mediaName} (${snapshot.annotators.map((a) => a.name).join(', ')})`;
  panel.title = title;
  const kept = Object.entries(remembered(services.memory)).filter(([id]) => id !== panelId).slice(-(MAX_REMEMBERED - 1));
  void services.memory.update(PANELS_KEY, Object.fromEntries([...kept, [panelId, files]]));
  const webview = panel.webview;
  webview.html = compareHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'compare.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'compare.css')).toString(),
    title,
  });
  const listener = webview.onDidReceiveMessage((raw: unknown) => void onMessage(raw, panel, { snapshot, panelId }, files, services));
  panel.onDidDispose(() => listener.dispose());
  services.log(`compare: ${files.join(', ')}: ${snapshot.method} kappa ${snapshot.overall.kappa ?? 'undefined'} over ${snapshot.compared} face(s)`);
}

async function onMessage(raw: unknown, panel: vscode.WebviewPanel, shown: { snapshot: CompareSnapshot; panelId: string }, files: readonly string[], services: ComparePanelServices): Promise<void> {
  const message: CompareWebviewMessage | undefined = parseCompareWebviewMessage(raw);
  if (!message) {
    services.log(`compare: ignored a malformed message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
    return;
  }
  switch (message.type) {
    case 'ready':
      await post(panel, { type: 'snapshot', ...shown });
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
