/**
 * The review editor's document model: the parsed annotation document plus the human corrections a reviewer
 * makes, as undoable edits. Pure (no `vscode`), so every rule here is unit-tested.
 *
 * Decisions:
 * - One correction per face (frameIndex + trackId). A document that lists a face twice keeps the last one,
 *   as the exports do.
 * - Setting a face to the model's own label records a correction that confirms it: a human confirmation is
 *   data (exports then say `human`). Clearing removes the correction, so the model's label counts again.
 * - Setting a face to the label it already has from a human changes nothing; an action that changes no face
 *   is no edit at all (nothing to undo, the document stays clean).
 * - Corrections are kept sorted by frame index, then track id, the order the engine's merge writes.
 * - Every correction made here records its annotator (when one is known), so two reviews can be compared.
 * - Accepting suggestions turns the adapted label of faces without a human label into corrections; the label
 *   comes from the document's adaptation, never from the caller. Faces a human labelled are left alone.
 * - An adaptation (learnt from the corrections) is an edit of its own: it replaces the whole `adaptation`,
 *   never a correction, and its undo puts the previous adaptation (or none) back, the same object.
 */
import type { Adaptation, AnnotationDocument, Correction, FaceRecord, FrameRecord, Suggestion } from '../../shared/annotationDocument';
import type { FaceRef } from '../../shared/reviewProtocol';
import { serialiseAnnotationDocument } from '../../core/document/annotationFile';
import { adaptationProblemsOf } from '../../core/document/annotationValidation';
import { faceKey } from '../../shared/labelPrecedence';

/** The state of one face before and after an edit; `undefined` means "no correction". */
export interface FaceChange {
  readonly frameIndex: number;
  readonly trackId: number;
  readonly before: Correction | undefined;
  readonly after: Correction | undefined;
}

/** One user action: what VS Code puts on its undo stack. */
export interface AnnotationEdit {
  readonly id: number;
  /** Shown by VS Code for undo/redo ("Label 12 faces as happy"). */
  readonly label: string;
  readonly changes: readonly FaceChange[];
  /** An adaptation edit: the document's adaptation before and after (`undefined`: none). */
  readonly adaptation?: { readonly before: Adaptation | undefined; readonly after: Adaptation | undefined };
}

/** An edit that breaks the document's rules (unknown label, frame or track); the model is left unchanged. */
export class EditRejectedError extends Error {
  override readonly name = 'EditRejectedError';
}

interface FaceSlot {
  frame: FrameRecord;
  face: FaceRecord;
}

export class AnnotationEditModel {
  private base!: AnnotationDocument;
  private faces = new Map<string, FaceSlot>();
  private labelSet = new Set<string>();
  private readonly current = new Map<string, Correction>();
  private saved = new Map<string, Correction>();
  /** Keys whose correction differs from the saved state: dirty means this is not empty. */
  private readonly differing = new Set<string>();
  private adaptation: Adaptation | undefined;
  private savedAdaptation: Adaptation | undefined;
  private suggestionIndex: Map<string, Suggestion> | undefined;
  private materialised: AnnotationDocument | undefined;
  private nextEditId = 1;

  /**
   * `annotator` is asked at every correction (the setting may change while the document is open); undefined
   * or '' records none.
   */
  constructor(
    document: AnnotationDocument,
    private readonly now: () => Date = () => new Date(),
    private readonly annotator: () => string | undefined = () => undefined,
  ) {
    this.load(document);
  }

  /** The document with the current corrections and adaptation (a new object after every change; do not mutate it). */
  get document(): AnnotationDocument {
    if (!this.materialised) {
      const { adaptation: _previous, ...rest } = this.base;
      this.materialised = { ...rest, corrections: sortedCorrections(this.current), ...(this.adaptation && { adaptation: this.adaptation }) };
    }
    return this.materialised;
  }

  /** The corrections or the adaptation differ from the last saved (or loaded) state. */
  get isDirty(): boolean {
    return this.differing.size > 0 || this.adaptation !== this.savedAdaptation;
  }

  get currentAdaptation(): Adaptation | undefined {
    return this.adaptation;
  }

  correctionOf(face: FaceRef): Correction | undefined {
    return this.current.get(faceKey(face.frameIndex, face.trackId));
  }

  /** Gives every listed face a human label, as one edit; undefined when no face would change. */
  setLabels(faces: readonly FaceRef[], label: string): AnnotationEdit | undefined {
    if (!this.labelSet.has(label)) throw new EditRejectedError(`'${label}' is not one of the document's labels (${[...this.labelSet].join(', ')})`);
    const slots = this.resolve(faces);
    const stamp = this.stamp();
    const changes: FaceChange[] = [];
    for (const { frame, face } of slots) {
      const before = this.current.get(faceKey(frame.index, face.trackId));
      if (before?.label === label) continue;
      changes.push({ frameIndex: frame.index, trackId: face.trackId, before, after: correctionOf(frame, face, label, stamp) });
    }
    return this.commit(changes, describeSet(slots, changes, label));
  }

  /**
   * The adapted model's suggestion becomes the human label of every listed face that has none yet, as one edit;
   * undefined when no face would change. Rejected when the document has no adaptation.
   */
  acceptSuggestions(faces: readonly FaceRef[]): AnnotationEdit | undefined {
    if (!this.adaptation) throw new EditRejectedError('the document has no adaptation, so there are no suggestions to accept (run "Learn from my corrections" first)');
    const slots = this.resolve(faces);
    const suggestions = (this.suggestionIndex ??= new Map(this.adaptation.suggestions.map((s) => [faceKey(s.frameIndex, s.trackId), s])));
    const stamp = this.stamp();
    const changes: FaceChange[] = [];
    for (const { frame, face } of slots) {
      const key = faceKey(frame.index, face.trackId);
      const suggestion = suggestions.get(key);
      if (this.current.has(key) || !suggestion || !this.labelSet.has(suggestion.label)) continue;
      changes.push({ frameIndex: frame.index, trackId: face.trackId, before: undefined, after: correctionOf(frame, face, suggestion.label, stamp) });
    }
    const only = slots.length === 1 ? slots[0] : undefined;
    const label = only && changes.length === 1 ? `Accept suggestion for track ${only.face.trackId} at ${clock(only.frame.timeSec)}` : `Accept ${changes.length} suggestions`;
    return this.commit(changes, label);
  }

  /**
   * Replaces the document's adaptation (a fresh fit, or none), as one edit; corrections are not touched.
   * Undefined when it is the adaptation already there.
   */
  setAdaptation(adaptation: Adaptation | undefined, label = 'Learn from corrections'): AnnotationEdit | undefined {
    if (adaptation === this.adaptation) return undefined;
    const problem = adaptation && adaptationProblemsOf(this.base, adaptation)[0];
    if (problem) throw new EditRejectedError(`the adaptation does not fit this document: ${problem}`);
    const edit: AnnotationEdit = { id: this.nextEditId++, label, changes: [], adaptation: { before: this.adaptation, after: adaptation } };
    this.redo(edit);
    return edit;
  }

  /** Removes the human corrections of the listed faces, as one edit; undefined when none had one. */
  clearLabels(faces: readonly FaceRef[]): AnnotationEdit | undefined {
    const slots = this.resolve(faces);
    const changes: FaceChange[] = [];
    for (const { frame, face } of slots) {
      const before = this.current.get(faceKey(frame.index, face.trackId));
      if (before) changes.push({ frameIndex: frame.index, trackId: face.trackId, before, after: undefined });
    }
    return this.commit(changes, describeClear(slots, changes));
  }

  /**
   * Puts back the state before `edit`. Faces that no longer exist (the file was reloaded after a re-analysis)
   * are skipped, so the document stays valid; returns how many faces were changed.
   */
  undo(edit: AnnotationEdit): number {
    if (edit.adaptation) return this.applyAdaptation(edit.adaptation.before);
    return this.apply([...edit.changes].reverse(), (change) => change.before);
  }

  /** Puts back the state after `edit` (see `undo` for faces that no longer exist). */
  redo(edit: AnnotationEdit): number {
    if (edit.adaptation) return this.applyAdaptation(edit.adaptation.after);
    return this.apply(edit.changes, (change) => change.after);
  }

  /** The current corrections and adaptation are what is on disk now. */
  markSaved(): void {
    this.saved = new Map(this.current);
    this.differing.clear();
    this.savedAdaptation = this.adaptation;
  }

  /** Replaces the whole document (revert, reload from disk); its corrections become the saved state. */
  replaceDocument(document: AnnotationDocument): void {
    this.load(document);
  }

  /** The document's file text, in the engine's layout. */
  serialise(): string {
    return serialiseAnnotationDocument(this.document);
  }

  private load(document: AnnotationDocument): void {
    this.base = document;
    this.labelSet = new Set(document.labels);
    this.faces = new Map();
    for (const frame of document.frames) {
      for (const face of frame.faces) this.faces.set(faceKey(frame.index, face.trackId), { frame, face });
    }
    this.current.clear();
    for (const correction of document.corrections) this.current.set(faceKey(correction.frameIndex, correction.trackId), correction);
    this.adaptation = document.adaptation;
    this.suggestionIndex = undefined;
    this.markSaved();
    this.materialised = undefined;
  }

  /** When and by whom, the same for every correction of one edit. */
  private stamp(): { createdAt: string; annotator: string | undefined } {
    const annotator = this.annotator();
    return { createdAt: this.now().toISOString(), annotator: annotator ? annotator : undefined };
  }

  /**
   * An adaptation made for other faces (the file was reloaded after a re-analysis) is not put back: its
   * suggestions would point at faces that no longer exist.
   */
  private applyAdaptation(target: Adaptation | undefined): number {
    if (target === this.adaptation) return 0;
    if (target?.suggestions.some((s) => !this.faces.has(faceKey(s.frameIndex, s.trackId)))) return 0;
    this.adaptation = target;
    this.suggestionIndex = undefined;
    this.materialised = undefined;
    return 1;
  }

  /** Every face must exist; duplicates collapse. Throws before anything changes. */
  private resolve(faces: readonly FaceRef[]): FaceSlot[] {
    if (faces.length === 0) throw new EditRejectedError('no faces given');
    const slots = new Map<string, FaceSlot>();
    for (const ref of faces) {
      const key = faceKey(ref.frameIndex, ref.trackId);
      const slot = this.faces.get(key);
      if (!slot) throw new EditRejectedError(`frame ${ref.frameIndex} has no face of track ${ref.trackId}`);
      slots.set(key, slot);
    }
    return [...slots.values()];
  }

  private commit(changes: FaceChange[], label: string): AnnotationEdit | undefined {
    if (changes.length === 0) return undefined;
    const edit: AnnotationEdit = { id: this.nextEditId++, label, changes };
    this.redo(edit);
    return edit;
  }

  private apply(changes: readonly FaceChange[], pick: (change: FaceChange) => Correction | undefined): number {
    let applied = 0;
    for (const change of changes) {
      const key = faceKey(change.frameIndex, change.trackId);
      const target = pick(change);
      if (!this.faces.has(key) || (target && !this.labelSet.has(target.label))) continue;
      if (target) this.current.set(key, target);
      else this.current.delete(key);
      if (sameCorrection(target, this.saved.get(key))) this.differing.delete(key);
      else this.differing.add(key);
      applied++;
    }
    if (applied > 0) this.materialised = undefined;
    return applied;
  }
}

function correctionOf(frame: FrameRecord, face: FaceRecord, label: string, stamp: { createdAt: string; annotator: string | undefined }): Correction {
  return {
    frameIndex: frame.index, timeSec: frame.timeSec, trackId: face.trackId, label, modelLabel: face.label, createdAt: stamp.createdAt,
    ...(stamp.annotator !== undefined && { annotator: stamp.annotator }),
  };
}

function sortedCorrections(corrections: Map<string, Correction>): Correction[] {
  return [...corrections.values()].sort((a, b) => a.frameIndex - b.frameIndex || a.trackId - b.trackId);
}

function sameCorrection(a: Correction | undefined, b: Correction | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.frameIndex === b.frameIndex && a.trackId === b.trackId && a.label === b.label && a.modelLabel === b.modelLabel && a.timeSec === b.timeSec && a.createdAt === b.createdAt && a.annotator === b.annotator;
}

function describeSet(slots: FaceSlot[], changes: FaceChange[], label: string): string {
  const only = slots.length === 1 ? slots[0] : undefined;
  if (only) return `Label track ${only.face.trackId} at ${clock(only.frame.timeSec)} as ${label}`;
  return `Label ${changes.length} faces as ${label}`;
}

function describeClear(slots: FaceSlot[], changes: FaceChange[]): string {
  const only = slots.length === 1 ? slots[0] : undefined;
  if (only) return `Clear correction of track ${only.face.trackId} at ${clock(only.frame.timeSec)}`;
  return `Clear ${changes.length} corrections`;
}

/** m:ss.ss, enough to find a sampled frame again. */
function clock(sec: number): string {
  const minutes = Math.floor(sec / 60);
  const seconds = sec - minutes * 60;
  return `${minutes}:${seconds.toFixed(2).padStart(5, '0')}`;
}
