// The compare panel's pure parts: the snapshot the host builds from the documents and their report (strips of
// runs per annotator and of the model, difference marks, figures), and the webview's layout arithmetic.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgreementInput } from '../../src/core/agreement/annotatorAgreement';
import { annotatorAgreement } from '../../src/core/agreement/annotatorAgreement';
import { compareSnapshot, stripRuns } from '../../src/extension/compare/compareModel';
import { finalLabels } from '../../src/core/export/finalLabels';
import { MAX_LISTED_DIFFERENCES } from '../../src/shared/compareProtocol';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { formatClock } from '../../src/shared/textFormat';
import { kappaSummary, kappaWords, MIN_MARK_PERCENT, stripBox } from '../../src/webview/compare/compareLayout';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';

// 10 frames 0.5 s apart (5 s of media), tracks 1 and 2; the model says neutral then happy from frame 5.
const base = makeDocument(makeFrames(10, 0.5, [1, 2], (frame) => (frame < 5 ? 'neutral' : 'happy')));
base.media.durationSec = 5;
base.provenance.settings.sampleFps = 2;

function review(labels: Record<number, string>, annotator: string, trackId = 1): AnnotationDocument {
  const doc = structuredClone(base);
  doc.corrections = Object.entries(labels).map(([frame, label]) => ({ ...correction(doc.frames[Number(frame)]!, trackId, label), annotator }));
  return doc;
}

describe('compareSnapshot', () => {
  const alice = review({ 0: 'sad', 1: 'sad', 2: 'happy', 3: 'happy', 6: 'angry' }, 'alice');
  const bob = review({ 0: 'sad', 1: 'happy', 2: 'happy', 3: 'happy', 7: 'angry' }, 'bob');
  const inputs: AgreementInput[] = [{ file: '/study/a/clip.mp4.emotion.json', document: alice }, { file: '/study/b/clip.mp4.emotion.json', document: bob }];
  const report = annotatorAgreement(inputs);
  const snapshot = compareSnapshot(inputs, report);

  test('header figures come from the report', () => {
    assert.equal(snapshot.mediaName, 'clip.mp4');
    assert.equal(snapshot.durationSec, 5);
    assert.deepEqual(snapshot.annotators, [{ name: 'alice', fileName: 'clip.mp4.emotion.json', humanLabels: 5 }, { name: 'bob', fileName: 'clip.mp4.emotion.json', humanLabels: 5 }]);
    assert.deepEqual([snapshot.method, snapshot.compared, snapshot.partial, snapshot.totalDifferences], ['cohen', 4, 2, 1]);
    assert.equal(snapshot.overall.kappa, report.overall.kappa.kappa);
    assert.deepEqual(snapshot.confusion, report.overall.confusion);
    assert.equal(snapshot.categoryShares, undefined);
  });

  test("each annotator's strip: runs of consecutive human labels with the gaps where they labelled nothing", () => {
    const track1 = snapshot.tracks.find((t) => t.trackId === 1)!;
    assert.deepEqual(track1.annotators[0], [
      { startSec: 0, endSec: 1, label: 'sad' },
      { startSec: 1, endSec: 2, label: 'happy' },
      { startSec: 3, endSec: 3.5, label: 'angry' },
    ]);
    assert.deepEqual(track1.annotators[1], [
      { startSec: 0, endSec: 0.5, label: 'sad' },
      { startSec: 0.5, endSec: 2, label: 'happy' },
      { startSec: 3.5, endSec: 4, label: 'angry' },
    ]);
    assert.deepEqual(track1.model, [{ startSec: 0, endSec: 2.5, label: 'neutral' }, { startSec: 2.5, endSec: 5, label: 'happy' }]);
  });

  test('the differing face is a mark spanning its sample, on its track and in the list', () => {
    const track1 = snapshot.tracks.find((t) => t.trackId === 1)!;
    const mark = { frameIndex: 1, trackId: 1, startSec: 0.5, endSec: 1, labels: ['sad', 'happy'], modelLabel: 'neutral' };
    assert.deepEqual(track1.differences, [mark]);
    assert.deepEqual(snapshot.differences, [mark]);
    assert.deepEqual([track1.compared, track1.partial, track1.differing], [4, 2, 1]);
  });

  test('a track nobody labelled still has its model strip, empty annotator strips and a reason for no kappa', () => {
    const track2 = snapshot.tracks.find((t) => t.trackId === 2)!;
    assert.deepEqual(track2.annotators, [[], []]);
    assert.equal(track2.model.length, 2);
    assert.equal(track2.figures.kappa, null);
    assert.match(track2.figures.reason ?? '', /no annotator labelled this track/);
  });

  test('more than two annotators: per-label shares instead of a matrix; the listed differences are capped', () => {
    const carol = review({ 0: 'sad', 1: 'sad', 2: 'happy', 3: 'happy' }, 'carol');
    const three = [...inputs, { file: '/study/c/clip.mp4.emotion.json', document: carol }];
    const s = compareSnapshot(three, annotatorAgreement(three));
    assert.equal(s.method, 'fleiss');
    assert.equal(s.confusion, undefined);
    assert.equal(s.categoryShares?.length, s.categories.length);
    assert.equal(s.tracks[0]!.annotators.length, 3);

    const many = makeDocument(makeFrames(MAX_LISTED_DIFFERENCES + 5, 0.2, [1]));
    const a = structuredClone(many);
    const b = structuredClone(many);
    a.corrections = a.frames.map((f) => ({ ...correction(f, 1, 'happy'), annotator: 'a' }));
    b.corrections = b.frames.map((f) => ({ ...correction(f, 1, 'sad'), annotator: 'b' }));
    const pair = [{ file: 'a.emotion.json', document: a }, { file: 'b.emotion.json', document: b }];
    const big = compareSnapshot(pair, annotatorAgreement(pair));
    assert.equal(big.differences.length, MAX_LISTED_DIFFERENCES);
    assert.equal(big.totalDifferences, MAX_LISTED_DIFFERENCES + 5);
    assert.equal(big.tracks[0]!.annotators[0]!.length, 1, 'one run for a whole track of one label');
  });

  test('stripRuns breaks a run where the track leaves the picture', () => {
    const doc = structuredClone(base);
    doc.frames[4]!.faces = doc.frames[4]!.faces.filter((f) => f.trackId !== 1);
    assert.deepEqual(stripRuns(finalLabels(doc), 1, 'model'), [
      { startSec: 0, endSec: 2, label: 'neutral' },
      { startSec: 2.5, endSec: 5, label: 'happy' },
    ]);
  });
});

describe('compare layout', () => {
  test('stripBox: percent of the timeline, clamped, never thinner than the minimum', () => {
    assert.deepEqual(stripBox(1, 2, 10), { leftPercent: 10, widthPercent: 10 });
    assert.deepEqual(stripBox(-1, 20, 10), { leftPercent: 0, widthPercent: 100 });
    assert.deepEqual(stripBox(5, 5, 3600), { leftPercent: (5 / 3600) * 100, widthPercent: MIN_MARK_PERCENT });
    assert.deepEqual(stripBox(10, 10, 10), { leftPercent: 100 - MIN_MARK_PERCENT, widthPercent: MIN_MARK_PERCENT });
    assert.deepEqual(stripBox(0, 1, 0), { leftPercent: 0, widthPercent: 100 });
  });

  test('figures and times as the CLI writes them', () => {
    assert.equal(kappaSummary({ kappa: 0.4, observed: 0.7, expected: 0.5 }), '0.400 (observed 0.700, expected by chance 0.500)');
    assert.equal(kappaSummary({ kappa: null, observed: 1, expected: 1, reason: 'every label is "happy"' }), 'undefined (every label is "happy"); observed 1.000, expected by chance 1.000');
    assert.deepEqual([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map(kappaWords), ['less than chance', 'slight', 'fair', 'moderate', 'substantial', 'almost perfect']);
    assert.equal(kappaWords(null), '');
    assert.deepEqual([0, 1.24, 65.05, 3725.3].map(formatClock), ['0:00.0', '0:01.2', '1:05.1', '1:02:05.3']);
  });
});
