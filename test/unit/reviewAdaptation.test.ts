// The review editor's side of adaptation: the annotator on every correction, accepting suggestions and the
// adaptation edit in the edit model (undo, redo, dirty, save), the protocol's new messages, the review queue's
// order, and "Learn from my corrections" run in a real worker thread on real files.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { withAdaptation } from '../../src/core/adaptation/documentAdaptation';
import { correctedFaces } from '../../src/core/adaptation/learnAdaptation';
import { parseAnnotationDocument, serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { finalLabels } from '../../src/core/export/finalLabels';
import { AdaptationCancelledError, folderDocuments, learnInWorker, learntMessage, refusalMessage } from '../../src/extension/editor/adaptationRun';
import { AnnotationEditModel, EditRejectedError } from '../../src/extension/editor/annotationEditModel';
import { annotatorName, sanitiseSettings } from '../../src/extension/extensionSettings';
import type { Adaptation, AnnotationDocument } from '../../src/shared/annotationDocument';
import { parseWebviewMessage } from '../../src/shared/reviewProtocol';
import { keyAction, keyLegend } from '../../src/webview/keyboardModel';
import { adaptedDiffers, buildRowTable, finalLabelOf, humanLabels, NO_FILTER, NO_LABEL, rowKeyOf, sourceOf, visibleRows, withSuggestions } from '../../src/webview/labelRowsModel';
import { parseUiState, UI_STATE_VERSION } from '../../src/webview/uiStateModel';
import { LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { makeTempDir } from '../helpers/testEnvironment';

/** Two tracks over ten frames; the model says 'happy' for track 1 and 'neutral' for track 2. */
function twoTrackDocument(): AnnotationDocument {
  return makeDocument(makeFrames(10, 0.2, [1, 2], (_frame, track) => (track === 1 ? 'happy' : 'neutral')));
}

/** An adaptation by hand: every face of track 2 becomes 'sad' from frame 5 on, with falling confidence. */
function handAdaptation(doc: AnnotationDocument, createdAt = '2026-11-24T09:00:00.000Z'): Adaptation {
  const identity = LABELS.map((_, k) => LABELS.map((_, j) => (k === j ? 1 : 0)));
  return {
    method: 'recalibration', form: 'bias', createdAt, trainedOn: { corrections: 12, documents: 1 },
    crossValidation: { folds: 5, baseAccuracy: 0.5, adaptedAccuracy: 0.75 }, regularisation: 10, weights: identity, bias: LABELS.map(() => 0),
    suggestions: doc.frames.flatMap((f) => f.faces.map((face) => face.trackId === 2 && f.index >= 5
      ? { frameIndex: f.index, trackId: 2, label: 'sad', confidence: 0.9 - f.index * 0.05 }
      : { frameIndex: f.index, trackId: face.trackId, label: face.label, confidence: 0.6 + f.index * 0.01 })),
  };
}

function tickingClock(): () => Date {
  let t = Date.parse('2026-11-24T10:00:00.000Z');
  return () => new Date((t += 1000));
}

describe('annotator', () => {
  it('is the setting, else the OS user, else "unknown"', () => {
    assert.equal(annotatorName(' Ada ', () => 'ada-os'), 'Ada');
    assert.equal(annotatorName('', () => 'ada-os'), 'ada-os');
    assert.equal(annotatorName('  ', () => ''), 'unknown');
    assert.equal(annotatorName('', () => {
      throw new Error('no user name (uv_os_get_passwd)');
    }), 'unknown');
    assert.equal(annotatorName('x'.repeat(300), () => 'a').length, 100);
    assert.equal(sanitiseSettings({ annotator: 42 }).annotator, '');
    assert.equal(sanitiseSettings({ annotator: ' Bo ' }).annotator, 'Bo');
  });

  it('is recorded on every correction the edit model makes, as it is at the time of the edit', () => {
    let who = 'ada';
    const model = new AnnotationEditModel(twoTrackDocument(), tickingClock(), () => who);
    model.setLabels([{ frameIndex: 1, trackId: 1 }, { frameIndex: 2, trackId: 1 }], 'sad');
    who = 'bo';
    model.setLabels([{ frameIndex: 3, trackId: 2 }], 'angry');
    assert.deepEqual(model.document.corrections.map((c) => [c.frameIndex, c.annotator]), [[1, 'ada'], [2, 'ada'], [3, 'bo']]);
    assert.deepEqual(annotationProblems(model.document), []);
    assert.equal(finalLabels(model.document).frames[3]!.faces.find((f) => f.trackId === 2)!.annotator, 'bo');
    // None known: the field is left out (older documents and tests stay as they were).
    const anonymous = new AnnotationEditModel(twoTrackDocument(), tickingClock(), () => '');
    anonymous.setLabels([{ frameIndex: 0, trackId: 1 }], 'sad');
    assert.equal('annotator' in anonymous.document.corrections[0]!, false);
  });
});

describe('accepting suggestions', () => {
  it('turns the suggestions of a range into human labels as one edit, leaving human labels alone', () => {
    const doc = twoTrackDocument();
    doc.adaptation = handAdaptation(doc);
    const model = new AnnotationEditModel(doc, tickingClock(), () => 'ada');
    model.setLabels([{ frameIndex: 6, trackId: 2 }], 'angry');
    const range = [4, 5, 6, 7].map((frameIndex) => ({ frameIndex, trackId: 2 }));
    const edit = model.acceptSuggestions(range);
    assert.ok(edit);
    assert.equal(edit.label, 'Accept 3 suggestions');
    assert.deepEqual(model.document.corrections.map((c) => `${c.frameIndex}:${c.trackId}=${c.label}/${c.annotator}`), ['4:2=neutral/ada', '5:2=sad/ada', '6:2=angry/ada', '7:2=sad/ada']);
    assert.equal(model.document.corrections.find((c) => c.frameIndex === 5)!.modelLabel, 'neutral', 'the model label is kept for audit');
    assert.deepEqual(annotationProblems(model.document), []);
    model.undo(edit);
    assert.deepEqual(model.document.corrections.map((c) => `${c.frameIndex}=${c.label}`), ['6=angry']);
    model.redo(edit);
    assert.equal(model.document.corrections.length, 4);
    // Nothing left to accept there: no edit at all.
    assert.equal(model.acceptSuggestions(range), undefined);
    assert.equal(model.acceptSuggestions([{ frameIndex: 8, trackId: 2 }])!.label, 'Accept suggestion for track 2 at 0:01.60');
  });

  it('is refused without an adaptation and for faces that do not exist', () => {
    const model = new AnnotationEditModel(twoTrackDocument());
    assert.throws(() => model.acceptSuggestions([{ frameIndex: 1, trackId: 1 }]), EditRejectedError);
    const doc = twoTrackDocument();
    doc.adaptation = handAdaptation(doc);
    const adapted = new AnnotationEditModel(doc);
    assert.throws(() => adapted.acceptSuggestions([{ frameIndex: 1, trackId: 9 }]), EditRejectedError);
    assert.equal(adapted.document.corrections.length, 0);
  });
});

describe('the adaptation edit', () => {
  it('replaces the adaptation as one edit; undo puts the previous one back exactly; dirty follows the saved state', () => {
    const doc = twoTrackDocument();
    const first = handAdaptation(doc, '2026-11-24T08:00:00.000Z');
    doc.adaptation = first;
    doc.corrections = [{ frameIndex: 1, timeSec: 0.2, trackId: 1, label: 'sad', modelLabel: 'happy', createdAt: '2026-11-24T07:00:00.000Z', annotator: 'ada' }];
    const model = new AnnotationEditModel(doc, tickingClock());
    const second = handAdaptation(doc, '2026-11-24T09:00:00.000Z');
    const edit = model.setAdaptation(second, 'Learn from 12 corrections');
    assert.ok(edit);
    assert.equal(edit.label, 'Learn from 12 corrections');
    assert.equal(model.document.adaptation, second);
    assert.equal(model.isDirty, true);
    assert.deepEqual(model.document.corrections, doc.corrections, 'corrections are never changed by it');
    assert.equal(JSON.parse(model.serialise()).adaptation.createdAt, '2026-11-24T09:00:00.000Z', 'save writes it');
    assert.equal(model.undo(edit), 1);
    assert.equal(model.document.adaptation, first, 'the very same adaptation');
    assert.equal(model.isDirty, false);
    model.redo(edit);
    model.markSaved();
    assert.equal(model.isDirty, false);
    model.undo(edit);
    assert.equal(model.isDirty, true, 'back to the first, which is not what is saved now');
    // Setting the one already there is no edit.
    assert.equal(model.setAdaptation(first), undefined);
  });

  it('from none: undo removes it from the document and from the file', () => {
    const doc = twoTrackDocument();
    const model = new AnnotationEditModel(doc);
    const edit = model.setAdaptation(handAdaptation(doc))!;
    assert.deepEqual(annotationProblems(model.document), []);
    const reread = parseAnnotationDocument(model.serialise(), 'x.emotion.json');
    assert.equal(reread.adaptation?.suggestions.length, 20);
    model.undo(edit);
    assert.equal('adaptation' in model.document, false);
    assert.equal(model.isDirty, false);
    assert.equal(serialiseAnnotationDocument(model.document).includes('"adaptation"'), false);
  });

  it('rejects an adaptation for other labels or other faces', () => {
    const doc = twoTrackDocument();
    const model = new AnnotationEditModel(doc);
    const bad = handAdaptation(doc);
    assert.throws(() => model.setAdaptation({ ...bad, bias: [0, 0] }), EditRejectedError);
    assert.throws(() => model.setAdaptation({ ...bad, suggestions: [{ frameIndex: 99, trackId: 1, label: 'sad', confidence: 1 }] }), EditRejectedError);
    assert.equal(model.isDirty, false);
  });
});

describe('protocol', () => {
  it('validates acceptSuggestions like setLabels, and learnFromCorrections as a bare request', () => {
    const faces = [{ frameIndex: 3, trackId: 1 }, { frameIndex: 4, trackId: 1 }];
    const parsed = parseWebviewMessage({ type: 'acceptSuggestions', faces });
    assert.deepEqual(parsed, { type: 'acceptSuggestions', faces });
    assert.notEqual((parsed as { faces: unknown }).faces, faces);
    assert.deepEqual(parseWebviewMessage({ type: 'learnFromCorrections' }), { type: 'learnFromCorrections' });
    for (const bad of [
      { type: 'acceptSuggestions', faces: [] },
      { type: 'acceptSuggestions', faces: [{ frameIndex: -1, trackId: 1 }] },
      { type: 'acceptSuggestions', faces: [{ frameIndex: 1, trackId: 1, label: 'happy' }] },
      // The label comes from the document's suggestions, never from the webview.
      { type: 'acceptSuggestions', faces, label: 'happy' },
      { type: 'acceptSuggestions' },
      { type: 'learnFromCorrections', scope: 'folder' },
    ]) assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
  });
});

describe('the panel model', () => {
  it('ranks human over adapted over model, and the review queue puts disagreements first, then the least sure', () => {
    const doc = twoTrackDocument();
    doc.adaptation = handAdaptation(doc);
    const table = buildRowTable(doc);
    const human = humanLabels(table, [{ frameIndex: 7, timeSec: 1.4, trackId: 2, label: 'angry', modelLabel: 'neutral', createdAt: '2026-11-24T07:00:00.000Z' }]);
    const row = (frame: number, track: number): number => frame * 2 + (track - 1);
    assert.deepEqual([sourceOf(table, human, row(7, 2)), LABELS[finalLabelOf(table, human, row(7, 2))]], ['human', 'angry']);
    assert.deepEqual([sourceOf(table, human, row(6, 2)), LABELS[finalLabelOf(table, human, row(6, 2))]], ['adapted', 'sad']);
    const queue = visibleRows(table, human, NO_FILTER, 'queue', 0.5);
    const keys = [...queue].map((r) => rowKeyOf(table, r));
    // Frames 5-9 of track 2 disagree (not 7: a person labelled it), least confident (latest) first; then the rest by adapted confidence.
    assert.deepEqual(keys.slice(0, 4), ['9:2', '8:2', '6:2', '5:2']);
    assert.equal(keys.length, 19, 'the labelled face is not in the queue');
    assert.deepEqual(keys.slice(4, 7), ['0:1', '0:2', '1:1']);
    // Without an adaptation: the model's confidence alone orders the queue (here all equal: time order).
    const plain = withSuggestions(table, undefined);
    assert.equal(plain.adaptedLabel.every((l) => l === NO_LABEL), true);
    assert.deepEqual([...visibleRows(plain, human, NO_FILTER, 'queue', 0.5)].slice(0, 3).map((r) => rowKeyOf(plain, r)), ['0:1', '0:2', '1:1']);
    // The label filter sees final labels, adapted ones included.
    assert.equal(visibleRows(table, human, { ...NO_FILTER, label: 'sad' }, 'time', 0.5).length, 4);
  });

  it('puts the adaptation\'s weakest label right after the disagreements in the review queue', () => {
    const doc = twoTrackDocument();
    doc.adaptation = handAdaptation(doc);
    const plainQueue = (t: ReturnType<typeof buildRowTable>) => [...visibleRows(t, new Int16Array(t.count).fill(NO_LABEL), NO_FILTER, 'queue', 0.5)];
    const before = plainQueue(buildRowTable(doc));
    const table0 = buildRowTable(doc);
    const machine = (r: number) => (table0.adaptedLabel[r] !== NO_LABEL ? table0.adaptedLabel[r]! : table0.modelLabel[r]!);
    // The label of the last face in the queue becomes the weakest one: its faces move up behind the disagreements.
    const weakest = machine(before[before.length - 1]!);
    doc.adaptation.crossValidation.weakestLabel = LABELS[weakest];
    const table = buildRowTable(doc);
    assert.equal(table.weakestLabel, weakest);
    const after = plainQueue(table);
    const differing = after.filter((r) => adaptedDiffers(table, r)).length;
    const ofWeakest = after.filter((r) => !adaptedDiffers(table, r) && machine(r) === weakest).length;
    assert.ok(ofWeakest > 0);
    assert.ok(after.slice(differing, differing + ofWeakest).every((r) => machine(r) === weakest));
    assert.notDeepEqual(after, before);
  });

  it('keys: A accepts, Q toggles the queue; both on the legend; the queue survives in the UI state', () => {
    const key = (k: string) => keyAction({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false }, LABELS.length);
    assert.deepEqual(key('a'), { kind: 'acceptSuggestions' });
    assert.deepEqual(key('q'), { kind: 'toggleQueue' });
    assert.equal(keyAction({ key: 'a', shiftKey: false, ctrlKey: true, metaKey: false, altKey: false }, LABELS.length), undefined);
    const legend = keyLegend(LABELS);
    assert.ok(legend.some((l) => l.keys === 'A' && /accept/.test(l.what)));
    assert.ok(legend.some((l) => l.keys === 'Q' && /review queue/.test(l.what)));
    assert.equal(parseUiState({ version: UI_STATE_VERSION, sort: 'queue' }).sort, 'queue');
  });
});

/** Faces the model calls 'neutral' (with 'sad' close behind) that a person says are 'sad', and confirmed happy ones. */
function underconfidentSadness(trackIds: number[]): AnnotationDocument {
  const doc = makeDocument(makeFrames(40, 0.2, trackIds, (frame) => (frame % 4 === 0 ? 'happy' : 'neutral')));
  for (const frame of doc.frames) {
    for (const face of frame.faces) {
      if (face.label === 'neutral') {
        face.probs = LABELS.map((l) => (l === 'neutral' ? 0.42 : l === 'sad' ? 0.34 : 0.24 / 5));
        face.confidence = 0.42;
      }
    }
  }
  doc.corrections = doc.frames.filter((f) => f.index % 2 === 0).flatMap((f) => f.faces.map((face) => ({
    frameIndex: f.index, timeSec: f.timeSec, trackId: face.trackId, label: face.label === 'happy' ? 'happy' : 'sad', modelLabel: face.label, createdAt: '2026-11-24T07:00:00.000Z',
  })));
  return doc;
}

describe('learning in a worker thread', () => {
  it('reads the folder\'s documents, skips those with other labels or broken files, and fits off the calling thread', async () => {
    const { dir, cleanup } = makeTempDir('emotion-lens-adapt-');
    try {
      const open = underconfidentSadness([1]);
      writeFileSync(path.join(dir, 'a.mp4.emotion.json'), serialiseAnnotationDocument(open));
      writeFileSync(path.join(dir, 'b.mp4.emotion.json'), serialiseAnnotationDocument(underconfidentSadness([1, 2])));
      const other = underconfidentSadness([1]);
      other.labels = [...LABELS].reverse();
      writeFileSync(path.join(dir, 'c.mp4.emotion.json'), serialiseAnnotationDocument(other));
      writeFileSync(path.join(dir, 'd.mp4.emotion.json'), '{ not json');
      writeFileSync(path.join(dir, 'notes.json'), '{}');
      const files = await folderDocuments(dir);
      assert.deepEqual(files.map((f) => path.basename(f)), ['a.mp4.emotion.json', 'b.mp4.emotion.json', 'c.mp4.emotion.json', 'd.mp4.emotion.json']);
      // The open document's faces come from memory; the worker reads the others.
      const inline = correctedFaces([{ name: 'a.mp4.emotion.json', document: open }]);
      const progress: string[] = [];
      const result = await learnInWorker({ labels: open.labels, faces: inline.faces, documents: inline.documents, files: files.slice(1) }, { onProgress: (t) => progress.push(t) });
      assert.equal(result.documents, 2);
      assert.equal(result.fit.corrections, 20 + 40);
      assert.equal(result.skipped.length, 2);
      assert.match(result.skipped[0]!, /^c\.mp4\.emotion\.json: its labels \(surprised, sad/);
      assert.match(result.skipped[1]!, /^d\.mp4\.emotion\.json: .*not valid JSON/);
      assert.ok(progress.some((t) => /^reading b\.mp4\.emotion\.json \(1 of 3\)$/.test(t)), progress.join(' | '));
      assert.ok(progress.some((t) => /^fitting on 60 corrections from 2 documents/.test(t)), progress.join(' | '));
      assert.equal(result.fit.refusal, undefined, 'a systematic pattern: adapted');
      assert.ok(result.fit.adaptedAccuracy > result.fit.baseAccuracy);
      const { document: adapted, changedLabels } = withAdaptation(open, result.fit, new Date('2026-11-24T12:00:00.000Z'));
      assert.equal(changedLabels, 20, 'every uncorrected (odd, underconfident) face becomes sad');
      assert.deepEqual(annotationProblems(adapted), []);
      const text = learntMessage(result.fit, result.documents, changedLabels, result.skipped);
      assert.match(text, /^Learnt from 60 corrections \(2 documents\): cross-validated accuracy model \d+\.\d % → adapted \d+\.\d %, about (?:\+?\d+ to )?[+−]\d+ points on the faces you have not reviewed(; more corrections of \w+ would help most)?; 20 labels change\. Skipped 2 documents: c\.mp4/);
    } finally {
      cleanup();
    }
  });

  it('says why it refuses, and stops when cancelled', async () => {
    const doc = underconfidentSadness([1]);
    doc.corrections = doc.corrections.slice(0, 4);
    const inline = correctedFaces([{ name: 'a', document: doc }]);
    const result = await learnInWorker({ labels: doc.labels, faces: inline.faces, documents: inline.documents, files: [] });
    assert.match(refusalMessage(result.fit, result.documents, result.skipped), /^Not adapted: 4 correction\(s\); adaptation needs at least 10\. \(4 corrections in 1 document\.\)$/);
    const controller = new AbortController();
    const running = learnInWorker({ labels: doc.labels, faces: inline.faces, documents: 1, files: [] }, { signal: controller.signal });
    controller.abort();
    await assert.rejects(running, AdaptationCancelledError);
  });
});
