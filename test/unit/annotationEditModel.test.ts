import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnotationEditModel, EditRejectedError } from '../../src/extension/editor/annotationEditModel';
import { parseAnnotationDocument } from '../../src/core/document/annotationFile';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { finalLabels } from '../../src/core/export/finalLabels';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';

/** Two tracks over ten frames; the model says 'happy' for track 1 and 'neutral' for track 2. */
function twoTrackDocument(): AnnotationDocument {
  return makeDocument(makeFrames(10, 0.2, [1, 2], (_frame, track) => (track === 1 ? 'happy' : 'neutral')));
}

/** A clock that ticks one second per call, so every edit has a distinct, known createdAt. */
function tickingClock(): () => Date {
  let t = Date.parse('2026-11-24T10:00:00.000Z');
  return () => new Date((t += 1000));
}

function labelsOf(model: AnnotationEditModel): string[] {
  return model.document.corrections.map((c) => `${c.frameIndex}:${c.trackId}=${c.label}`);
}

describe('AnnotationEditModel', () => {
  it('records a correction with the frame time, the model label and the time of the edit', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    const edit = model.setLabels([{ frameIndex: 3, trackId: 2 }], 'sad');
    assert.ok(edit);
    assert.equal(edit.changes.length, 1);
    assert.match(edit.label, /track 2 at 0:00\.60 as sad/);
    assert.deepEqual(model.document.corrections, [
      { frameIndex: 3, timeSec: 0.6, trackId: 2, label: 'sad', modelLabel: 'neutral', createdAt: '2026-11-24T10:00:01.000Z' },
    ]);
    assert.equal(model.isDirty, true);
    assert.deepEqual(annotationProblems(model.document), []);
    // The exports see the human label.
    const face = finalLabels(model.document).frames[3]!.faces.find((f) => f.trackId === 2)!;
    assert.deepEqual([face.label, face.source], ['sad', 'human']);
  });

  it('applies a range as one edit, sorted by frame then track, and undoes it as one', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    const range = [5, 4, 3].flatMap((frameIndex) => [{ frameIndex, trackId: 2 }, { frameIndex, trackId: 1 }]);
    const edit = model.setLabels(range, 'surprised');
    assert.ok(edit);
    assert.equal(edit.changes.length, 6);
    assert.equal(edit.label, 'Label 6 faces as surprised');
    assert.deepEqual(labelsOf(model), ['3:1=surprised', '3:2=surprised', '4:1=surprised', '4:2=surprised', '5:1=surprised', '5:2=surprised']);
    model.undo(edit);
    assert.deepEqual(model.document.corrections, []);
    assert.equal(model.isDirty, false);
  });

  it('undo restores the exact earlier correction and redo the exact later one', () => {
    const doc = twoTrackDocument();
    doc.corrections = [correction(doc.frames[2]!, 1, 'angry')];
    const original = structuredClone(doc.corrections[0]!);
    const model = new AnnotationEditModel(doc, tickingClock());
    const edit = model.setLabels([{ frameIndex: 2, trackId: 1 }], 'fearful');
    assert.ok(edit);
    const after = structuredClone(model.document.corrections[0]!);
    assert.equal(after.label, 'fearful');
    model.undo(edit);
    assert.deepEqual(model.document.corrections, [original]);
    assert.equal(model.isDirty, false);
    model.redo(edit);
    assert.deepEqual(model.document.corrections, [after]);
    assert.equal(model.isDirty, true);
  });

  it('setting the model label records a confirmation; clearing removes the correction', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    const confirm = model.setLabels([{ frameIndex: 0, trackId: 1 }], 'happy');
    assert.ok(confirm, 'a confirmation of the model label is an edit');
    assert.deepEqual(labelsOf(model), ['0:1=happy']);
    assert.equal(finalLabels(model.document).frames[0]!.faces[0]!.source, 'human');
    const clear = model.clearLabels([{ frameIndex: 0, trackId: 1 }, { frameIndex: 1, trackId: 1 }]);
    assert.ok(clear);
    assert.equal(clear.changes.length, 1, 'only the face that had a correction changes');
    assert.deepEqual(model.document.corrections, []);
    assert.equal(finalLabels(model.document).frames[0]!.faces[0]!.source, 'model');
    model.undo(clear);
    assert.deepEqual(labelsOf(model), ['0:1=happy']);
  });

  it('an action that changes nothing is no edit and leaves the document clean', () => {
    const doc = twoTrackDocument();
    doc.corrections = [correction(doc.frames[1]!, 2, 'sad')];
    const model = new AnnotationEditModel(doc, tickingClock());
    assert.equal(model.setLabels([{ frameIndex: 1, trackId: 2 }], 'sad'), undefined);
    assert.equal(model.clearLabels([{ frameIndex: 4, trackId: 1 }]), undefined);
    assert.equal(model.isDirty, false);
    assert.equal(model.document.corrections[0]!.createdAt, doc.corrections[0]!.createdAt);
  });

  it('is dirty after undoing past the save point, and clean again when back at it', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    const first = model.setLabels([{ frameIndex: 0, trackId: 1 }], 'sad')!;
    const second = model.setLabels([{ frameIndex: 1, trackId: 1 }], 'sad')!;
    model.markSaved();
    assert.equal(model.isDirty, false);
    model.undo(second);
    assert.equal(model.isDirty, true);
    model.undo(first);
    assert.equal(model.isDirty, true, 'two edits behind the saved file');
    model.redo(first);
    model.redo(second);
    assert.equal(model.isDirty, false, 'back at the save point');
    // A different edit after undoing past the save point is dirty even with the same number of edits.
    model.undo(second);
    model.setLabels([{ frameIndex: 1, trackId: 1 }], 'angry');
    assert.equal(model.isDirty, true);
  });

  it('rejects unknown labels, frames, tracks and empty face lists without changing anything', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    const before = model.document;
    assert.throws(() => model.setLabels([{ frameIndex: 0, trackId: 1 }], 'bored'), (e: unknown) => e instanceof EditRejectedError && /'bored' is not one of/.test(e.message));
    assert.throws(() => model.setLabels([{ frameIndex: 0, trackId: 1 }, { frameIndex: 10, trackId: 1 }], 'sad'), /frame 10 has no face of track 1/);
    assert.throws(() => model.clearLabels([{ frameIndex: 0, trackId: 3 }]), /frame 0 has no face of track 3/);
    assert.throws(() => model.setLabels([], 'sad'), /no faces/);
    assert.equal(model.document, before, 'the document object is untouched');
    assert.equal(model.isDirty, false);
  });

  it('serialises to text that parses back, validates and keeps the corrections', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    model.setLabels([{ frameIndex: 7, trackId: 1 }, { frameIndex: 8, trackId: 1 }], 'disgust');
    model.setLabels([{ frameIndex: 2, trackId: 2 }], 'neutral');
    const parsed = parseAnnotationDocument(model.serialise(), 'edited.emotion.json');
    assert.deepEqual(parsed, model.document);
    assert.deepEqual(labelsOf(new AnnotationEditModel(parsed)), ['2:2=neutral', '7:1=disgust', '8:1=disgust']);
  });

  it('replacing the document (revert, reload) makes its corrections the saved state; stale edits skip missing faces', () => {
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock());
    const edit = model.setLabels([{ frameIndex: 9, trackId: 2 }, { frameIndex: 0, trackId: 1 }], 'sad')!;
    // A re-analysis on disk lost track 2.
    model.replaceDocument(makeDocument(makeFrames(10, 0.2, [1], () => 'happy')));
    assert.equal(model.isDirty, false);
    assert.deepEqual(model.document.corrections, []);
    assert.equal(model.redo(edit), 1, 'only the face that still exists is changed');
    assert.deepEqual(labelsOf(model), ['0:1=sad']);
    assert.deepEqual(annotationProblems(model.document), []);
  });
});
