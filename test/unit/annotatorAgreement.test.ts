// Agreement from annotation documents, end to end in the core: the published worked examples rebuilt as
// reviews (one document per rater, a correction per face), and what counts as a compared face, who is who,
// the per-track figures, the differences and the errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgreementInput } from '../../src/core/agreement/annotatorAgreement';
import { annotatorAgreement } from '../../src/core/agreement/annotatorAgreement';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { correction, LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';

/** Wikipedia "Fleiss' kappa", worked example: n_ij, 14 raters per subject, 5 categories. */
const FLEISS_EXAMPLE = [
  [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
];

/** A review: a copy of `base` with a correction (by `annotator`) per [frameIndex, trackId, label]. */
function review(base: AnnotationDocument, labels: [number, number, string][], annotator?: string): AnnotationDocument {
  const doc = structuredClone(base);
  doc.corrections = labels.map(([frameIndex, trackId, label]) => ({ ...correction(doc.frames[frameIndex]!, trackId, label), ...(annotator === undefined ? {} : { annotator }) }));
  return doc;
}

const round = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? value : Number(value.toFixed(digits)));

describe('worked examples as documents', () => {
  test("Fleiss' example: 14 reviews of 10 faces give kappa 0.210, P̄ 0.378, P̄e 0.213", () => {
    const base = makeDocument(makeFrames(10, 0.2, [1]));
    // Rater r's label for subject i: the category the r-th rating of that subject falls in.
    const ratings = FLEISS_EXAMPLE.map((row) => row.flatMap((n, j) => new Array<string>(n).fill(LABELS[j]!)));
    const inputs: AgreementInput[] = Array.from({ length: 14 }, (_, r) => ({
      file: `/study/rater${r + 1}/clip.mp4.emotion.json`,
      document: review(base, ratings.map((labels, i): [number, number, string] => [i, 1, labels[r]!]), `rater ${r + 1}`),
    }));
    const report = annotatorAgreement(inputs);
    assert.equal(report.method, 'fleiss');
    assert.equal(report.annotators.length, 14);
    assert.equal(report.overall.compared, 10);
    assert.equal(round(report.overall.kappa.kappa), 0.21);
    assert.equal(round(report.overall.kappa.observed), 0.378);
    assert.equal(round(report.overall.kappa.expected), 0.213);
    assert.deepEqual(report.overall.fleiss?.categoryShares.slice(0, 5).map((p) => round(p)), [0.143, 0.2, 0.279, 0.15, 0.229]);
    assert.deepEqual(report.overall.fleiss?.categoryShares.slice(5), [0, 0], 'unused labels have p_j 0');
    assert.deepEqual(report.faces.map((f) => round(f.agreement)), [1, 0.253, 0.308, 0.44, 0.33, 0.462, 0.242, 0.176, 0.286, 0.286]);
    assert.equal(report.differences.length, 9, 'every subject but the first has differing labels');
    assert.equal(report.tracks.length, 1);
    assert.equal(round(report.tracks[0]!.kappa.kappa), 0.21);
  });

  test("Cohen's example: 50 faces over two tracks, 20/5/10/15, kappa 0.40; per track and confusion matrix", () => {
    const base = makeDocument(makeFrames(25, 0.2, [1, 2]));
    // Face k (0..49): frame k % 25, track 1 + floor(k / 25). Cells in order: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    const cells: [string, string][] = [
      ...new Array<[string, string]>(20).fill(['happy', 'happy']),
      ...new Array<[string, string]>(5).fill(['happy', 'sad']),
      ...new Array<[string, string]>(10).fill(['sad', 'happy']),
      ...new Array<[string, string]>(15).fill(['sad', 'sad']),
    ];
    const face = (k: number): [number, number] => [k % 25, 1 + Math.floor(k / 25)];
    const a = review(base, cells.map(([label], k): [number, number, string] => [...face(k), label]), 'alice');
    const b = review(base, cells.map(([, label], k): [number, number, string] => [...face(k), label]), 'bob');
    const report = annotatorAgreement([{ file: 'a/clip.mp4.emotion.json', document: a }, { file: 'b/clip.mp4.emotion.json', document: b }]);
    assert.equal(report.method, 'cohen');
    assert.deepEqual(report.annotators.map((x) => [x.name, x.nameFrom, x.humanLabels]), [['alice', 'corrections', 50], ['bob', 'corrections', 50]]);
    assert.deepEqual([report.overall.compared, report.overall.partial, report.overall.differing], [50, 0, 15]);
    assert.equal(round(report.overall.kappa.kappa, 6), 0.4);
    assert.equal(round(report.overall.kappa.observed, 6), 0.7);
    assert.equal(round(report.overall.kappa.expected, 6), 0.5);
    const happy = report.categories.indexOf('happy');
    const sad = report.categories.indexOf('sad');
    const m = report.overall.confusion!;
    assert.deepEqual([m[happy]![happy], m[happy]![sad], m[sad]![happy], m[sad]![sad]], [20, 5, 10, 15]);
    assert.equal(m.flat().reduce((s, n) => s + n, 0), 50);
    // Track 1 holds faces 0-24: all 20 yes/yes and 5 yes/no: every label of alice is happy.
    const [t1, t2] = report.tracks;
    assert.deepEqual([t1!.trackId, t1!.compared, t1!.differing], [1, 25, 5]);
    assert.equal(round(t1!.kappa.observed), 0.8);
    assert.equal(t1!.kappa.kappa, 0, 'one rater uses one category only: expected = observed agreement, kappa 0');
    assert.deepEqual([t2!.trackId, t2!.compared, t2!.differing], [2, 25, 10]);
    // Track 2: 10 no/yes, 15 no/no: alice says sad throughout.
    assert.equal(round(t2!.kappa.kappa), 0);
    // In time order: track 2's first frame (sad/happy) comes before track 1's frame 20 (happy/sad).
    assert.deepEqual([report.differences[0]!.frameIndex, report.differences[0]!.trackId, report.differences[0]!.labels], [0, 2, ['sad', 'happy']]);
    assert.equal(report.differences.every((d) => d.labels[0] !== d.labels[1]), true);
  });
});

describe('what is compared', () => {
  const base = makeDocument(makeFrames(6, 0.5, [1, 2], (frame) => (frame < 3 ? 'neutral' : 'happy')));

  test('only faces every annotator labelled; the others are counted per track as partial', () => {
    const a = review(base, [[0, 1, 'happy'], [1, 1, 'sad'], [2, 1, 'sad'], [4, 2, 'angry']], 'alice');
    const b = review(base, [[0, 1, 'happy'], [1, 1, 'happy'], [3, 2, 'sad']], 'bob');
    const report = annotatorAgreement([{ file: 'a.emotion.json', document: a }, { file: 'b.emotion.json', document: b }]);
    assert.deepEqual([report.overall.compared, report.overall.partial, report.overall.differing], [2, 3, 1]);
    assert.deepEqual(report.tracks.map((t) => [t.trackId, t.compared, t.partial]), [[1, 2, 1], [2, 0, 2]]);
    assert.equal(report.tracks[1]!.kappa.kappa, null);
    assert.match(report.tracks[1]!.kappa.reason ?? '', /no face/);
    assert.deepEqual(report.differences, [{ frameIndex: 1, timeSec: 0.5, trackId: 1, labels: ['sad', 'happy'], modelLabel: 'neutral', agreement: 0 }]);
  });

  test('the last correction of a face wins; corrections of faces that do not exist are not labels', () => {
    const a = review(base, [[0, 1, 'sad'], [0, 1, 'happy']], 'alice');
    a.corrections.push({ ...a.corrections[0]!, frameIndex: 99 });
    const b = review(base, [[0, 1, 'happy']], 'bob');
    b.corrections.push({ ...b.corrections[0]!, frameIndex: 99 });
    const report = annotatorAgreement([{ file: 'a.emotion.json', document: a }, { file: 'b.emotion.json', document: b }]);
    assert.deepEqual([report.overall.compared, report.overall.differing, report.annotators[0]!.humanLabels], [1, 0, 1]);
    assert.equal(report.overall.kappa.kappa, null, 'one face, one label: expected agreement 1');
    assert.match(report.overall.kappa.reason ?? '', /every label is "happy"/);
  });

  test('names: the most common annotator, else the file name; clashes are told apart by file', () => {
    const a = review(base, [[0, 1, 'happy'], [1, 1, 'happy'], [2, 1, 'sad']]);
    a.corrections[0]!.annotator = 'carol';
    a.corrections[1]!.annotator = 'dave';
    a.corrections[2]!.annotator = 'dave';
    const b = review(base, [[0, 1, 'happy']]);
    const c = review(base, [[0, 1, 'happy']], 'dave');
    const report = annotatorAgreement([
      { file: '/x/first/clip.mp4.emotion.json', document: a },
      { file: '/x/second/clip.mp4.emotion.json', document: b },
      { file: '/x/third/c.emotion.json', document: c },
    ]);
    assert.deepEqual(report.annotators.map((x) => [x.name, x.nameFrom]), [
      ['dave (clip.mp4.emotion.json)', 'corrections'],
      ['clip.mp4.emotion.json', 'file'],
      ['dave (c.emotion.json)', 'corrections'],
    ]);
  });

  test('different media is an error naming both files; fewer than two documents is an error', () => {
    const other = structuredClone(base);
    other.media.sha256 = 'c'.repeat(64);
    other.media.path = 'other.mp4';
    assert.throws(
      () => annotatorAgreement([{ file: 'a.emotion.json', document: base }, { file: 'b.emotion.json', document: other }]),
      (error: Error) => /^b\.emotion\.json: is a review of other media \(other\.mp4.*than a\.emotion\.json \(clip\.mp4/.test(error.message),
    );
    assert.throws(() => annotatorAgreement([{ file: 'a.emotion.json', document: base }]), /at least two documents/);
  });

  test('documents analysed at other sample rates are compared with a warning', () => {
    const a = review(base, [[0, 1, 'happy']], 'alice');
    const b = review(base, [[0, 1, 'happy']], 'bob');
    b.provenance.settings.sampleFps = 10;
    const report = annotatorAgreement([{ file: 'a.emotion.json', document: a }, { file: 'b.emotion.json', document: b }]);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0]!, /different sample rates/);
    b.frames[0]!.timeSec = 0.4;
    assert.equal(annotatorAgreement([{ file: 'a.emotion.json', document: a }, { file: 'b.emotion.json', document: b }]).warnings.length, 2);
  });
});
