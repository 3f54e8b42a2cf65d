// One precedence for final labels (human > adapted > model), and the three readers of a document that apply it
// (the exports, the review panel's rows, the notebook renderer) give every face the same label and source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { finalLabels } from '../../src/core/export/finalLabels';
import { readOutput } from '../../src/notebook/annotationOutputModel';
import type { Adaptation, AnnotationDocument } from '../../src/shared/annotationDocument';
import { faceKey, finalLabel, finalLabelSource } from '../../src/shared/labelPrecedence';
import { buildRowTable, finalLabelOf, humanLabels, sourceOf } from '../../src/webview/labelRowsModel';
import { correction, LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';

describe('the precedence', () => {
  test('a human label wins, then the adapted suggestion, then the model', () => {
    assert.equal(finalLabel('sad', 'happy', 'neutral'), 'sad');
    assert.equal(finalLabel(undefined, 'happy', 'neutral'), 'happy');
    assert.equal(finalLabel(undefined, undefined, 'neutral'), 'neutral');
    assert.equal(finalLabel(0, 3, 4), 0, 'a label index of 0 is a label');
    assert.equal(finalLabelSource(true, true), 'human');
    assert.equal(finalLabelSource(false, true), 'adapted');
    assert.equal(finalLabelSource(false, false), 'model');
    assert.equal(faceKey(12, 3), '12:3');
  });
});

/** Two people over 10 samples; suggestions for track 2 from sample 4 on; corrections on both tracks, one over a suggestion. */
function reviewedDocument(): AnnotationDocument {
  const doc = makeDocument(makeFrames(10, 0.2, [1, 2], (_frame, track) => (track === 1 ? 'happy' : 'neutral')));
  const identity = LABELS.map((_, k) => LABELS.map((_, j) => (k === j ? 1 : 0)));
  const adaptation: Adaptation = {
    method: 'recalibration', form: 'bias', createdAt: '2026-11-24T09:00:00.000Z', trainedOn: { corrections: 12, documents: 1 },
    crossValidation: { folds: 5, baseAccuracy: 0.5, adaptedAccuracy: 0.75 }, regularisation: 10, weights: identity, bias: LABELS.map(() => 0),
    suggestions: doc.frames.filter((f) => f.index >= 4).map((f) => ({ frameIndex: f.index, trackId: 2, label: 'sad', confidence: 0.7 })),
  };
  doc.adaptation = adaptation;
  doc.corrections = [correction(doc.frames[1]!, 1, 'surprised'), correction(doc.frames[6]!, 2, 'angry')];
  return doc;
}

describe('the readers of a document', () => {
  test('exports, review rows and the notebook give each face the same final label', () => {
    const doc = reviewedDocument();
    const exported = new Map(finalLabels(doc).frames.flatMap((f) => f.faces.map((face) => [faceKey(f.index, face.trackId), { label: face.label, source: face.source }] as const)));
    const table = buildRowTable(doc);
    const human = humanLabels(table, doc.corrections);
    for (let row = 0; row < table.count; row++) {
      const key = faceKey(table.frameIndex[row]!, table.trackId[row]!);
      assert.deepEqual({ label: table.labels[finalLabelOf(table, human, row)], source: sourceOf(table, human, row) }, exported.get(key), key);
    }
    const sources = [...exported.values()].map((v) => v.source);
    assert.deepEqual([...new Set(sources)].sort(), ['adapted', 'human', 'model'], 'the document exercises every source');

    const read = readOutput(doc);
    assert.ok(read.ok);
    // The notebook keeps a summary per person: its dominant label counts the final labels the exports give.
    for (const track of read.view.tracks) {
      const labels = [...exported.entries()].filter(([key]) => key.endsWith(`:${track.id}`)).map(([, v]) => v.label);
      const counts = new Map<string, number>();
      for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
      assert.equal(track.summary.dominantLabel, [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0], `track ${track.id}`);
      assert.equal(track.summary.humanLabels, doc.corrections.filter((c) => c.trackId === track.id).length);
    }
  });
});
