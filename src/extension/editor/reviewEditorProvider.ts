/**
 * The review editor for `*.emotion.json`: a custom editor on VS Code's document model, so corrections get the
 * dirty marker, save, revert, undo/redo and hot exit for free. The webview renders snapshots and asks for
 * edits; every message it sends is validated here, and only this side touches files.
 */
import * as vscode from 'vscode';
import type { AnnotationEdit } from './annotationEditModel';
import { EditRejectedError } from './annotationEditModel';
import { extractStill } from './faceStill';
import { ReviewDocument, displayPath } from './reviewDocument';
import { MeshLandmarkFrames } from './meshLandmarkFrames';
import { makeNonce, reviewHtml } from './reviewHtml';
import { correctionsStateFor, mediaSourceFor, reviewSettingsFrom, servableMediaType, snapshotFor } from './reviewSnapshot';
import type { Adaptation, AnnotationDocument } from '../../shared/annotationDocument';
import { DOCUMENT_SUFFIX } from '../../shared/annotationDocument';
import type { FaceRef, HostMessage, MediaSource, NoticeLevel, WebviewMessage } from '../../shared/reviewProtocol';
import { assertNever, parseWebviewMessage } from '../../shared/reviewProtocol';
import { errorMessage } from '../../core/errors';
import { locateFfmpeg } from '../../core/media/ffmpegTools';
import { readAnnotator, readSettings } from '../settings';
import { requestFromSettings } from '../settingsToRequest';

export const REVIEW_VIEW_TYPE = 'emotionLens.review';

/** Watcher events come in bursts (an atomic write is a create and a rename); act once they settle. */
const DISK_CHANGE_SETTLE_MS = 300;

export interface ReviewEditorServices {
  log: (line: string) => void;
}

/** The registered provider, for commands that act on an open review (learnFromCorrectionsCommand.ts). */
let registered: ReviewEditorProvider | undefined;

export function registeredReviewEditor(): ReviewEditorProvider | undefined {
  return registered;
}

export function registerReviewEditor(context: vscode.ExtensionContext, services: ReviewEditorServices): vscode.Disposable {
  const provider = new ReviewEditorProvider(context.extensionUri, services.log);
  registered = provider;
  const registration = vscode.window.registerCustomEditorProvider(REVIEW_VIEW_TYPE, provider, {
    // The webview rebuilds itself from a snapshot and its saved UI state, so it need not stay alive hidden.
    webviewOptions: { retainContextWhenHidden: false },
    supportsMultipleEditorsPerDocument: false,
  });
  const unregister = new vscode.Disposable(() => {
    if (registered === provider) registered = undefined;
  });
  return vscode.Disposable.from(registration, provider, unregister);
}

/** One webview showing a document; `ready` once its script listens (it reloads whenever it is shown again). */
interface ReviewView {
  panel: vscode.WebviewPanel;
  ready: boolean;
  mediaFolder: string | undefined;
}

export class ReviewEditorProvider implements vscode.CustomEditorProvider<ReviewDocument>, vscode.Disposable {
  private readonly editEmitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<ReviewDocument>>();
  readonly onDidChangeCustomDocument = this.editEmitter.event;
  private readonly views = new Map<ReviewDocument, Set<ReviewView>>();
  /** The landmark overlay's sidecar reader per open document, made on the first request. */
  private readonly landmarks = new WeakMap<ReviewDocument, MeshLandmarkFrames>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: (line: string) => void,
  ) {
    this.subscriptions.push(
      this.editEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('emotionLens.lowConfidenceThreshold')) return;
        for (const document of this.views.keys()) void this.postSnapshots(document);
      }),
    );
  }

  async openCustomDocument(uri: vscode.Uri, openContext: vscode.CustomDocumentOpenContext, _token: vscode.CancellationToken): Promise<ReviewDocument> {
    const document = await ReviewDocument.open(uri, openContext.backupId, this.log, () => readAnnotator(uri));
    if (document.content.kind === 'invalid') this.log(`review: opened an invalid document: ${document.content.message}`);
    const watcher = this.watchDisk(document);
    // Edits, undo, redo and save send the corrections only: a snapshot of an hour of video is megabytes. A new
    // adaptation (rare) changes every face's suggestion: a snapshot then.
    const contentListener = document.onDidChangeContent((change) => void (change === 'corrections' ? this.postCorrections(document) : this.postSnapshots(document)));
    document.onDidDispose(() => {
      watcher.dispose();
      contentListener.dispose();
      this.views.delete(document);
    });
    return document;
  }

  async resolveCustomEditor(document: ReviewDocument, panel: vscode.WebviewPanel, _token: vscode.CancellationToken): Promise<void> {
    const view: ReviewView = { panel, ready: false, mediaFolder: undefined };
    const views = this.views.get(document) ?? new Set<ReviewView>();
    views.add(view);
    this.views.set(document, views);
    this.configureWebview(document, view);
    const webview = panel.webview;
    webview.html = reviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.distUri, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.distUri, 'webview.css')).toString(),
      title: document.fileName,
    });
    const listeners = [
      webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(document, view, raw)),
      // A hidden webview is destroyed (no retained context); it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) view.ready = false;
      }),
    ];
    panel.onDidDispose(() => {
      listeners.forEach((l) => l.dispose());
      this.views.get(document)?.delete(view);
    });
  }

  async saveCustomDocument(document: ReviewDocument, _cancellation: vscode.CancellationToken): Promise<void> {
    await document.save();
    this.log(`review: saved ${displayPath(document.uri)}`);
  }

  async saveCustomDocumentAs(document: ReviewDocument, destination: vscode.Uri, _cancellation: vscode.CancellationToken): Promise<void> {
    await document.saveAs(destination);
    this.log(`review: saved ${displayPath(document.uri)} as ${displayPath(destination)}`);
  }

  async revertCustomDocument(document: ReviewDocument, _cancellation: vscode.CancellationToken): Promise<void> {
    await document.revert();
    this.log(`review: reverted ${displayPath(document.uri)}`);
  }

  backupCustomDocument(document: ReviewDocument, context: vscode.CustomDocumentBackupContext, _cancellation: vscode.CancellationToken): Promise<vscode.CustomDocumentBackup> {
    return document.backup(context.destination);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }

  /** Every document shown in a review editor now. */
  openDocuments(): ReviewDocument[] {
    return [...this.views.keys()];
  }

  /** The open review document of this file, if any. */
  documentFor(uri: vscode.Uri): ReviewDocument | undefined {
    return [...this.views.keys()].find((document) => document.uri.toString() === uri.toString());
  }

  /** The document of the review editor that has focus (else the one visible, when only one is). */
  activeDocument(): ReviewDocument | undefined {
    const entries = [...this.views.entries()];
    const active = entries.find(([, views]) => [...views].some((v) => v.panel.active));
    if (active) return active[0];
    const visible = entries.filter(([, views]) => [...views].some((v) => v.panel.visible));
    return visible.length === 1 ? visible[0]![0] : undefined;
  }

  /** A new adaptation as one VS Code edit (undo puts the previous one back); false when it changed nothing. */
  applyAdaptation(document: ReviewDocument, adaptation: Adaptation, label: string): boolean {
    const edit = document.setAdaptation(adaptation, label);
    if (!edit) return false;
    this.editEmitter.fire({ document, label: edit.label, undo: () => document.undo(edit), redo: () => document.redo(edit) });
    return true;
  }

  private get distUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist');
  }

  private async onMessage(document: ReviewDocument, view: ReviewView, raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log(`review: ignored an invalid message from the webview: ${preview(raw)}`);
      return;
    }
    try {
      await this.handle(document, view, message);
    } catch (error) {
      this.log(`review: ${message.type} failed for ${displayPath(document.uri)}: ${errorMessage(error)}`);
      this.notice(view, 'error', errorMessage(error));
    }
  }

  private async handle(document: ReviewDocument, view: ReviewView, message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        view.ready = true;
        await this.postSnapshot(document, view);
        return;
      case 'setLabels':
        this.applyEdit(document, view, () => document.setLabels(message.faces, message.label));
        return;
      case 'clearLabels':
        this.applyEdit(document, view, () => document.clearLabels(message.faces));
        return;
      case 'acceptSuggestions':
        this.applyEdit(document, view, () => document.acceptSuggestions(message.faces));
        return;
      case 'learnFromCorrections':
        await vscode.commands.executeCommand('emotionLens.learnFromCorrections', document.uri);
        return;
      case 'export':
        await this.exportDocument(document, message.formats);
        return;
      case 'reopenAsText':
        await vscode.commands.executeCommand('vscode.openWith', document.uri, 'default');
        return;
      case 'chooseVoskModel':
        await vscode.commands.executeCommand('emotionLens.chooseVoskModel');
        return;
      case 'requestFrame':
        await this.sendStill(document, view, message.requestId, message.face, message.size);
        return;
      case 'requestLandmarks':
        await this.sendLandmarks(document, view, message.requestId, message.frameIndex);
        return;
      default:
        assertNever(message);
    }
  }

  /** One webview action = one VS Code edit: the dirty marker and undo/redo come from VS Code's stack. */
  private applyEdit(document: ReviewDocument, view: ReviewView, make: () => AnnotationEdit | undefined): void {
    let edit: AnnotationEdit | undefined;
    try {
      edit = make();
    } catch (error) {
      if (!(error instanceof EditRejectedError)) throw error;
      this.log(`review: rejected an edit of ${displayPath(document.uri)}: ${error.message}`);
      this.notice(view, 'error', `Correction not applied: ${error.message}.`);
    }
    if (!edit) {
      // Nothing changed: re-send the corrections so the row the webview updated ahead shows the real value again.
      void this.postCorrectionsTo(document, view);
      return;
    }
    const applied = edit;
    this.editEmitter.fire({ document, label: applied.label, undo: () => document.undo(applied), redo: () => document.redo(applied) });
  }

  /** Exports read the saved file, so unsaved corrections are offered a save first. */
  private async exportDocument(document: ReviewDocument, formats: string[] | undefined): Promise<void> {
    if (document.isDirty) {
      const saveFirst = 'Save and Export';
      const choice = await vscode.window.showInformationMessage(
        `${document.fileName} has unsaved corrections; exports are made from the saved file.`,
        { modal: true },
        saveFirst,
        'Export Saved Version',
      );
      if (choice === undefined) return;
      if (choice === saveFirst && !(await vscode.workspace.save(document.uri))) return;
    }
    if (formats) this.log(`review: export asked for ${formats.join(', ')}; the export command lets the user pick formats`);
    await vscode.commands.executeCommand('emotionLens.export', document.uri);
  }

  private async postSnapshots(document: ReviewDocument): Promise<void> {
    await Promise.all([...(this.views.get(document) ?? [])].map((view) => this.postSnapshot(document, view)));
  }

  private async postCorrections(document: ReviewDocument): Promise<void> {
    await Promise.all([...(this.views.get(document) ?? [])].map((view) => this.postCorrectionsTo(document, view)));
  }

  private async postCorrectionsTo(document: ReviewDocument, view: ReviewView): Promise<void> {
    const content = document.content;
    if (!view.ready || content.kind === 'invalid') return;
    const state = correctionsStateFor(content.model.document, { revision: document.revision, dirty: document.isDirty });
    await post(view, { type: 'corrections', ...state });
  }

  /** A still of one face for a webview whose player cannot play the video (see faceStill.ts). */
  private async sendStill(document: ReviewDocument, view: ReviewView, requestId: number, ref: FaceRef, size: number): Promise<void> {
    const reply = (fields: { dataUri?: string; error?: string }): void => {
      if (view.ready) void post(view, { type: 'frame', requestId, ...fields });
    };
    const content = document.content;
    const data = content.kind === 'valid' ? content.model.document : undefined;
    const mediaUri = data ? mediaUriOf(document, data) : undefined;
    const frame = data?.frames[ref.frameIndex]?.index === ref.frameIndex ? data.frames[ref.frameIndex] : data?.frames.find((f) => f.index === ref.frameIndex);
    const face = frame?.faces.find((f) => f.trackId === ref.trackId);
    if (!data || !frame || !face) return reply({ error: `frame ${ref.frameIndex} has no face of track ${ref.trackId}` });
    if (!mediaUri || mediaUri.scheme !== 'file' || data.media.kind !== 'video') return reply({ error: 'stills need a local video file' });
    try {
      const { settings } = readSettings(document.uri);
      const ffmpegPath = requestFromSettings(mediaUri.fsPath, settings, workspaceContext(mediaUri)).ffmpeg.ffmpegPath;
      const tools = await locateFfmpeg(ffmpegPath ? { ffmpegPath } : {});
      const dataUri = await extractStill(tools.ffmpeg, { video: mediaUri.fsPath, timeSec: frame.timeSec, box: face.box, frameWidth: data.media.width, frameHeight: data.media.height, size });
      reply({ dataUri });
    } catch (error) {
      this.log(`review: no still of frame ${ref.frameIndex} of ${displayPath(mediaUri)}: ${errorMessage(error)}`);
      reply({ error: errorMessage(error) });
    }
  }

  /** One frame's 68 landmarks per face for the overlay, read from the document's mesh sidecar (meshLandmarkFrames.ts). */
  private async sendLandmarks(document: ReviewDocument, view: ReviewView, requestId: number, frameIndex: number): Promise<void> {
    const content = document.content;
    if (content.kind !== 'valid' || document.uri.scheme !== 'file') {
      if (view.ready) void post(view, { type: 'landmarks', requestId, frameIndex, faces: [], error: 'landmarks need a valid document on a local disk' });
      return;
    }
    let frames = this.landmarks.get(document);
    if (!frames) this.landmarks.set(document, (frames = new MeshLandmarkFrames(document.uri.fsPath)));
    const answer = await frames.frame(content.model.document, frameIndex);
    if (answer.error) this.log(`review: no landmarks for frame ${frameIndex} of ${displayPath(document.uri)}: ${answer.error}`);
    if (view.ready) void post(view, { type: 'landmarks', requestId, ...answer });
  }

  private async postSnapshot(document: ReviewDocument, view: ReviewView): Promise<void> {
    if (!view.ready) return;
    const content = document.content;
    if (content.kind === 'invalid') {
      await post(view, { type: 'invalidDocument', fileName: document.fileName, message: content.message });
      return;
    }
    const revision = document.revision;
    const data = content.model.document;
    this.configureWebview(document, view);
    const media = await this.mediaSource(document, data, view.panel.webview);
    const settings = reviewSettingsFrom({ lowConfidenceThreshold: vscode.workspace.getConfiguration('emotionLens', document.uri).get('lowConfidenceThreshold') });
    await post(view, { type: 'snapshot', snapshot: snapshotFor(data, { revision, fileName: document.fileName, settings, media, dirty: document.isDirty }) });
  }

  private notice(view: ReviewView, level: NoticeLevel, text: string): void {
    if (view.ready) void post(view, { type: 'notice', level, text });
  }

  /** Scripts on; local resources limited to the extension's dist folder and the media file's folder. */
  private configureWebview(document: ReviewDocument, view: ReviewView): void {
    const content = document.content;
    const mediaUri = content.kind === 'valid' ? mediaUriOf(document, content.model.document) : undefined;
    const mediaFolder = mediaUri ? vscode.Uri.joinPath(mediaUri, '..') : undefined;
    const key = mediaFolder?.toString() ?? '';
    if (view.mediaFolder === key) return;
    view.mediaFolder = key;
    view.panel.webview.options = { enableScripts: true, localResourceRoots: mediaFolder ? [this.distUri, mediaFolder] : [this.distUri] };
  }

  private async mediaSource(document: ReviewDocument, data: AnnotationDocument, webview: vscode.Webview): Promise<MediaSource> {
    const mediaUri = mediaUriOf(document, data);
    const exists = mediaUri ? await isFile(mediaUri) : false;
    return mediaSourceFor({ mediaPath: data.media.path, exists, webviewUri: mediaUri && exists ? webview.asWebviewUri(mediaUri).toString() : undefined });
  }

  private watchDisk(document: ReviewDocument): vscode.Disposable {
    // Watch the folder's documents and filter: a file name may hold characters that are special in globs.
    const folder = vscode.Uri.joinPath(document.uri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `*${DOCUMENT_SUFFIX}`));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onEvent = (uri: vscode.Uri): void => {
      if (uri.toString() !== document.uri.toString()) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void this.onDiskChange(document), DISK_CHANGE_SETTLE_MS);
    };
    const listeners = [watcher.onDidChange(onEvent), watcher.onDidCreate(onEvent)];
    return new vscode.Disposable(() => {
      if (timer) clearTimeout(timer);
      listeners.forEach((l) => l.dispose());
      watcher.dispose();
    });
  }

  private async onDiskChange(document: ReviewDocument): Promise<void> {
    const outcome = await document.reloadFromDisk();
    const views = [...(this.views.get(document) ?? [])];
    switch (outcome) {
      case 'unchanged':
      case 'unreadable':
        return;
      case 'reloaded':
        this.log(`review: reloaded ${displayPath(document.uri)} after it changed on disk`);
        views.forEach((view) => this.notice(view, 'info', 'Reloaded: the file changed on disk.'));
        return;
      case 'conflict': {
        const text = `${document.fileName} changed on disk (a new analysis?) while you have unsaved corrections. Save keeps your version and overwrites the file; File: Revert File loads the new one.`;
        this.log(`review: ${text}`);
        views.forEach((view) => this.notice(view, 'warning', text));
        void vscode.window.showWarningMessage(text);
        return;
      }
      default:
        assertNever(outcome);
    }
  }
}

/** The media file named by the document (relative to its folder), only if it is a type the panel shows. */
function mediaUriOf(document: ReviewDocument, data: AnnotationDocument): vscode.Uri | undefined {
  if (!servableMediaType(data.media.path)) return undefined;
  const parts = data.media.path.split('/').filter((p) => p.length > 0);
  return parts.length > 0 ? vscode.Uri.joinPath(document.uri, '..', ...parts) : undefined;
}

/** Where relative setting paths start (the workspace folder of the video); stills need no model cache. */
function workspaceContext(uri: vscode.Uri): { cacheDir: string; workspaceFolder?: string } {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return { cacheDir: '', ...(folder?.uri.scheme === 'file' ? { workspaceFolder: folder.uri.fsPath } : {}) };
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

function post(view: ReviewView, message: HostMessage): Thenable<boolean> {
  return view.panel.webview.postMessage(message);
}

/** A short, single-line view of an untrusted value for the log. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
