/**
 * One open annotation document in the review editor: the file's contents (an edit model, or the reason the
 * file is invalid), its files (save, save as, revert, backup) and its link to the file on disk. An invalid
 * document takes no edits, so it is never written.
 */
import * as vscode from 'vscode';
import type { AnnotationEdit } from './annotationEditModel';
import { AnnotationEditModel, EditRejectedError } from './annotationEditModel';
import type { Adaptation } from '../../shared/annotationDocument';
import type { FaceRef } from '../../shared/reviewProtocol';
import { parseAnnotationDocument, writeFileAtomic } from '../../core/document/annotationFile';
import { annotationProblems } from '../../core/document/annotationValidation';
import { errorMessage } from '../../core/errors';

export type ReviewContent =
  | { kind: 'valid'; model: AnnotationEditModel }
  | { kind: 'invalid'; message: string };

/**
 * What changed: only the corrections (edit, undo, redo, save), the adaptation (learning from the corrections,
 * its undo and redo: views need its suggestions), or the whole document (revert, reload).
 */
export type ContentChange = 'corrections' | 'adaptation' | 'document';

/** What a change of the file on disk did to the open document. */
export type DiskChangeOutcome = 'unchanged' | 'reloaded' | 'conflict' | 'unreadable';

export class ReviewDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<ContentChange>();
  /** The content changed: views need the corrections, or a fresh snapshot after a revert or reload. */
  readonly onDidChangeContent = this.changed.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private revisionCounter = 0;

  private constructor(
    readonly uri: vscode.Uri,
    private state: ReviewContent,
    /** The file's text as last read or written by us: a watcher event with this text is our own save. */
    private diskText: string | undefined,
    /** Restored from a hot-exit backup: unsaved until saved or reverted, whatever the edit model says. */
    private fromBackup: boolean,
    /** Who makes the corrections (the `emotionLens.annotator` setting), asked at every edit. */
    private readonly annotator: () => string | undefined,
  ) {}

  /** Opens from the hot-exit backup when there is one (and it is readable), else from the file. */
  static async open(uri: vscode.Uri, backupId: string | undefined, log: (line: string) => void, annotator: () => string | undefined = () => undefined): Promise<ReviewDocument> {
    const diskText = await readText(uri).catch((error: unknown) => {
      log(`review: cannot read ${displayPath(uri)}: ${errorMessage(error)}`);
      return undefined;
    });
    if (backupId !== undefined) {
      try {
        const backupText = await readText(vscode.Uri.parse(backupId, true));
        const state = contentFrom(backupText, uri, annotator);
        if (state.kind === 'valid') return new ReviewDocument(uri, state, diskText, true, annotator);
        log(`review: ignored an unusable backup of ${displayPath(uri)}: ${state.message}`);
      } catch (error) {
        log(`review: cannot read the backup of ${displayPath(uri)}: ${errorMessage(error)}`);
      }
    }
    const state: ReviewContent =
      diskText === undefined ? { kind: 'invalid', message: `${displayPath(uri)}: cannot be read. Check that the file exists and is readable.` } : contentFrom(diskText, uri, annotator);
    return new ReviewDocument(uri, state, diskText, false, annotator);
  }

  get content(): ReviewContent {
    return this.state;
  }

  /** Grows with every change, so a webview can drop a snapshot that arrives late. */
  get revision(): number {
    return this.revisionCounter;
  }

  get isDirty(): boolean {
    return this.state.kind === 'valid' && (this.fromBackup || this.state.model.isDirty);
  }

  get fileName(): string {
    return this.uri.path.split('/').pop() ?? this.uri.path;
  }

  setLabels(faces: readonly FaceRef[], label: string): AnnotationEdit | undefined {
    return this.changedBy(this.model().setLabels(faces, label));
  }

  clearLabels(faces: readonly FaceRef[]): AnnotationEdit | undefined {
    return this.changedBy(this.model().clearLabels(faces));
  }

  /** Suggestions of the adapted model become corrections (see AnnotationEditModel.acceptSuggestions). */
  acceptSuggestions(faces: readonly FaceRef[]): AnnotationEdit | undefined {
    return this.changedBy(this.model().acceptSuggestions(faces));
  }

  /** A new adaptation (or none) for the document, as one edit; the corrections stay as they are. */
  setAdaptation(adaptation: Adaptation | undefined, label?: string): AnnotationEdit | undefined {
    const edit = this.model().setAdaptation(adaptation, label);
    if (edit) this.notifyChanged('adaptation');
    return edit;
  }

  undo(edit: AnnotationEdit): void {
    if (this.state.kind === 'valid' && this.state.model.undo(edit) > 0) this.notifyChanged(edit.adaptation ? 'adaptation' : 'corrections');
  }

  redo(edit: AnnotationEdit): void {
    if (this.state.kind === 'valid' && this.state.model.redo(edit) > 0) this.notifyChanged(edit.adaptation ? 'adaptation' : 'corrections');
  }

  async save(): Promise<void> {
    const model = this.model();
    const text = serialiseValid(model, this.uri);
    await writeText(this.uri, text);
    this.diskText = text;
    this.fromBackup = false;
    model.markSaved();
    this.notifyChanged('corrections');
  }

  /** Writes the current content elsewhere; VS Code then opens the new file in a fresh editor. */
  async saveAs(destination: vscode.Uri): Promise<void> {
    await writeText(destination, serialiseValid(this.model(), destination));
  }

  /** Back to the file on disk (which may have been fixed, or broken, since it was opened). */
  async revert(): Promise<void> {
    const text = await readText(this.uri);
    this.load(text);
  }

  async backup(destination: vscode.Uri): Promise<vscode.CustomDocumentBackup> {
    const text = this.model().serialise();
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(destination, '..'));
    await vscode.workspace.fs.writeFile(destination, Buffer.from(text, 'utf8'));
    return {
      id: destination.toString(),
      delete: () => {
        vscode.workspace.fs.delete(destination).then(undefined, () => undefined);
      },
    };
  }

  /** Called when the file changed on disk: reloads unless there are unsaved corrections to protect. */
  async reloadFromDisk(): Promise<DiskChangeOutcome> {
    let text: string;
    try {
      text = await readText(this.uri);
    } catch {
      return 'unreadable';
    }
    if (text === this.diskText) return 'unchanged';
    if (this.isDirty) return 'conflict';
    this.load(text);
    return 'reloaded';
  }

  dispose(): void {
    this.disposed.fire();
    this.changed.dispose();
    this.disposed.dispose();
  }

  private load(text: string): void {
    const next = contentFrom(text, this.uri, this.annotator);
    if (next.kind === 'valid' && this.state.kind === 'valid') this.state.model.replaceDocument(next.model.document);
    else this.state = next;
    this.diskText = text;
    this.fromBackup = false;
    this.notifyChanged('document');
  }

  private model(): AnnotationEditModel {
    if (this.state.kind === 'invalid') throw new EditRejectedError('the document is not valid, so it cannot be edited');
    return this.state.model;
  }

  private changedBy(edit: AnnotationEdit | undefined): AnnotationEdit | undefined {
    if (edit) this.notifyChanged('corrections');
    return edit;
  }

  private notifyChanged(change: ContentChange): void {
    this.revisionCounter++;
    this.changed.fire(change);
  }
}

function contentFrom(text: string, uri: vscode.Uri, annotator: () => string | undefined): ReviewContent {
  try {
    return { kind: 'valid', model: new AnnotationEditModel(parseAnnotationDocument(text, displayPath(uri)), undefined, annotator) };
  } catch (error) {
    return { kind: 'invalid', message: errorMessage(error) };
  }
}

/** The model only makes valid edits; this check is the last guard before anything reaches the disk. */
function serialiseValid(model: AnnotationEditModel, target: vscode.Uri): string {
  const problems = annotationProblems(model.document);
  if (problems.length > 0) throw new Error(`${displayPath(target)}: not saved, the document would be invalid: ${problems.slice(0, 3).join('; ')}`);
  return model.serialise();
}

export function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** Local files are replaced atomically (temp file + rename); other file systems through VS Code. */
async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  if (uri.scheme === 'file') await writeFileAtomic(uri.fsPath, text);
  else await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
}
