// finalLabels.ts: the label every export writes (human > adapted > model) and the runs of equal labels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finalLabels, labelRuns } from '../../src/core/export/finalLabels';
import { correction, LABELS } from '../helpers/documentBuilder';
import { exportFixture, finalLabelAt } from '../helpers/exportFixture';

describe('final labels', () => {

  it('a correction wins over the model, matched on frame and track, with confidence 1', () => {
    const labels = finalLabels(exportFixture());
    const faces = labels.frames.flatMap((f) => f.faces);
    const corrected = faces.filter((f) => f.source === 'human');
    assert.equal(corrected.length, 1);
    assert.deepEqual([corrected[0]!.frameIndex, corrected[0]!.trackId, corrected[0]!.label, corrected[0]!.modelLabel, corrected[0]!.confidence], [1, 1, 'happy', 'neutral', 1]);
    // The same frame's other face keeps the model's label.
    assert.equal(faces.find((f) => f.frameIndex === 1 && f.trackId === 2)!.source, 'model');
    for (const face of faces) assert.equal(face.label, finalLabelAt(face.frameIndex, face.trackId));
    assert.equal(labels.appliedCorrections, 1);
  });

  it('the last of two corrections of one face wins; a correction of a missing face is counted as unmatched', () => {
    const doc = exportFixture();
    const frame1 = doc.frames[1]!;
    doc.corrections.push(correction(frame1, 1, 'surprised'), { ...correction(frame1, 1, 'sad'), frameIndex: 5, timeSec: 1 });
    const labels = finalLabels(doc);
    assert.equal(labels.frames[1]!.faces.find((f) => f.trackId === 1)!.label, 'surprised');
    assert.equal(labels.unmatchedCorrections, 1);
    assert.equal(labels.appliedCorrections, 1);
  });

  it('model probabilities are the smoothed ones when present (the label is their argmax), raw ones kept apart', () => {
    const face = finalLabels(exportFixture()).frames[3]!.faces.find((f) => f.trackId === 2)!;
    const argmax = (p: number[]) => LABELS[p.indexOf(Math.max(...p))];
    assert.equal(argmax(face.probs), 'angry');
    assert.equal(argmax(face.rawProbs), 'sad');
    assert.equal(face.label, 'angry');
  });

  it('runs end where the label changes, the track is missing, or (on request) the source changes', () => {
    const labels = finalLabels(exportFixture());
    const describeRuns = (runs: ReturnType<typeof labelRuns>) => runs.map((r) => `${r.trackId}:${r.label}:${r.faces.map((f) => f.frameIndex).join('')}:${r.source}`);
    assert.deepEqual(describeRuns(labelRuns(labels)), ['1:neutral:0:model', '1:happy:1234:mixed', '1:happy:6:model', '1:sad:7:model', '2:sad:012:model', '2:angry:34:model']);
    assert.deepEqual(describeRuns(labelRuns(labels, { splitOnSource: true })).slice(0, 3), ['1:neutral:0:model', '1:happy:1:human', '1:happy:234:model']);
  });
});
