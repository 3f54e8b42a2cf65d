import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { mergeCorrections } from '../../src/core/document/correctionsMerge';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';

describe('mergeCorrections', () => {
  it('keeps every correction whose frame and track still exist, and sets aside the rest', () => {
    const old = makeDocument(makeFrames(10, 0.2, [1, 2]));
    old.corrections = [correction(old.frames[1]!, 1, 'happy'), correction(old.frames[4]!, 2, 'sad'), correction(old.frames[8]!, 2, 'angry')];
    // The new analysis lost track 2 after frame 5.
    const fresh = makeDocument(makeFrames(10, 0.2, [1]).map((f, i) => (i <= 5 ? makeFrames(10, 0.2, [1, 2])[i]! : f)));
    const { document, report } = mergeCorrections(old, fresh);
    assert.equal(report.kept, 2);
    assert.deepEqual(report.unplaced.map((c) => [c.frameIndex, c.trackId]), [[8, 2]]);
    assert.deepEqual(document.corrections.map((c) => [c.frameIndex, c.trackId, c.label]), [[1, 1, 'happy'], [4, 2, 'sad']]);
    assert.equal(document.unplacedCorrections.length, 1);
    assert.deepEqual(annotationProblems(document), []);
  });

  it('follows a frame whose index moved but whose time is the same', () => {
    const old = makeDocument(makeFrames(10, 0.2, [1]));
    old.corrections = [correction(old.frames[6]!, 1, 'surprised')];
    const fresh = makeDocument(makeFrames(10, 0.2, [1]).slice(2).map((f, i) => ({ ...f, index: i })));
    const { document } = mergeCorrections(old, fresh);
    assert.equal(document.corrections.length, 1);
    assert.equal(document.corrections[0]!.frameIndex, 4);
    assert.equal(document.corrections[0]!.timeSec, old.frames[6]!.timeSec);
  });

  it('never drops corrections that were already unplaced', () => {
    const old = makeDocument();
    old.unplacedCorrections = [{ frameIndex: 99, timeSec: 19.8, trackId: 3, label: 'sad', modelLabel: 'happy', createdAt: '2026-11-24T01:00:00.000Z' }];
    const { document, report } = mergeCorrections(old, makeDocument());
    assert.equal(document.unplacedCorrections.length, 1);
    assert.equal(report.unplaced.length, 0);
  });

  it('sets aside a correction to a label the new model does not have', () => {
    const old = makeDocument();
    old.labels = [...old.labels, 'contempt'];
    old.corrections = [correction(old.frames[0]!, 1, 'contempt')];
    const { report } = mergeCorrections(old, makeDocument());
    assert.equal(report.unplaced.length, 1);
  });
});
