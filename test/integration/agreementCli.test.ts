// `emotion-lens agreement` as a user runs it: a real video analysed by `emotion-lens analyze`, its document
// copied to each annotator's folder and reviewed (corrections with an annotator) by two, then three people;
// the text report, the JSON report, and each error in one line with its exit code.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AgreementReport } from '../../src/core/agreement/annotatorAgreement';
import { fleissKappa } from '../../src/core/agreement/kappa';
import { readAnnotationDocument, writeAnnotationDocument } from '../../src/core/document/annotationFile';
import type { AnnotationDocument, FrameRecord } from '../../src/shared/annotationDocument';
import { noFfmpegReason, sharedVideos } from '../helpers/mediaFixtures';
import { runCli } from '../helpers/cliRunner';
import { makeTempDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const canRun = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

/** The document's first faces, in time order: the ones the annotators label. */
function firstFaces(doc: AnnotationDocument, count: number): { frame: FrameRecord; trackId: number }[] {
  const faces = doc.frames.flatMap((frame) => frame.faces.map((face) => ({ frame, trackId: face.trackId })));
  assert.ok(faces.length >= count, `the analysed video has at least ${count} faces (${faces.length})`);
  return faces.slice(0, count);
}

describe('emotion-lens agreement', canRun, () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  const name = 'WolfgangLanger_Pexels_face_silent.mp4.emotion.json';
  const docOf = (who: string) => path.join(temp.dir, who, name);
  let doc: AnnotationDocument;
  /** Faces 0-9 happy and 10-19 sad for alice; bob says sad for faces 8 and 9 (Cohen: [[8, 2], [0, 10]], kappa 0.8) and labels five more. */
  const LABELS = {
    alice: (k: number) => (k < 10 ? 'happy' : 'sad'),
    bob: (k: number) => (k < 8 ? 'happy' : 'sad'),
    carol: (k: number) => (k < 12 ? 'happy' : 'sad'),
  };

  before(async () => {
    const analyzed = await runCli(['analyze', sharedVideos.pexels(), '--out', path.join(temp.dir, 'model'), '--no-speech', '--no-voice']);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    doc = await readAnnotationDocument(path.join(temp.dir, 'model', name));
    for (const [who, labelOf] of Object.entries(LABELS)) {
      const review = structuredClone(doc);
      const count = who === 'bob' ? 25 : 20;
      review.corrections = firstFaces(review, count).map(({ frame, trackId }, k) => ({
        frameIndex: frame.index, timeSec: frame.timeSec, trackId, label: labelOf(k), modelLabel: frame.faces.find((f) => f.trackId === trackId)!.label, createdAt: new Date().toISOString(), annotator: who,
      }));
      await fs.mkdir(path.dirname(docOf(who)), { recursive: true });
      await writeAnnotationDocument(docOf(who), review);
    }
  });

  it('two annotators: Cohen kappa 0.8 with its matrix, tracks and the two differing faces', async () => {
    const result = await runCli(['agreement', docOf('alice'), docOf('bob')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const out = result.stdout;
    assert.match(out, /Agreement between 2 annotators on WolfgangLanger_Pexels_face_silent\.mp4/);
    assert.match(out, /A {2}alice +20 /);
    assert.match(out, /B {2}bob +25 /);
    assert.match(out, /Faces compared: 20 \(labelled by every annotator\); 5 labelled by only some, not compared/);
    assert.match(out, /Cohen's kappa: 0\.800 \(observed agreement 0\.900, expected by chance 0\.500; 20 faces\)/);
    assert.match(out, /Confusion matrix \(rows alice, columns bob\):/);
    const matrix = out.split('\n');
    const header = matrix.find((l) => /^ {2} +angry +disgust/.test(l))!;
    const happyRow = matrix.find((l) => /^ {2}happy /.test(l))!;
    const sadRow = matrix.find((l) => /^ {2}sad /.test(l))!;
    // Aligned: each count ends where its column's name ends.
    const end = (line: string, column: string) => header.indexOf(column) + column.length;
    assert.equal(happyRow.slice(0, end(header, 'happy')).trimEnd().endsWith('8'), true, happyRow);
    assert.equal(happyRow.slice(0, end(header, 'sad')).trimEnd().endsWith('2'), true, happyRow);
    assert.equal(sadRow.slice(0, end(header, 'sad')).trimEnd().endsWith('10'), true, sadRow);
    assert.match(out, /Differences: 2 of 20 compared faces/);
    const faces = firstFaces(doc, 10);
    for (const k of [8, 9]) {
      const { frame, trackId } = faces[k]!;
      const time = `0:${(Math.round(frame.timeSec * 10) / 10).toFixed(1).padStart(4, '0')}`;
      assert.match(out, new RegExp(`${time.replace('.', '\\.')} +${frame.index} +${trackId} +happy +sad `), `face ${k} at ${time}`);
    }
    assert.match(out, /Per track:\n {2}track +compared +not compared +differing +kappa +observed +expected\n {6}1 +20 +5 +2 +0\.800/);
  });

  it('three annotators: Fleiss kappa as computed from the counts, per-label shares, --json with everything', async () => {
    // Faces 0-7: all happy; 8-9: alice happy, bob sad, carol happy; 10-11: carol happy, others sad; 12-19: all sad.
    const counts = [...new Array(8).fill([3, 0]), [2, 1], [2, 1], [1, 2], [1, 2], ...new Array(8).fill([0, 3])] as number[][];
    const expected = fleissKappa(counts);
    const text = await runCli(['agreement', docOf('alice'), docOf('bob'), docOf('carol'), '--max-differences', '3']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`Fleiss' kappa \\(3 annotators\\): ${expected.kappa!.toFixed(3)} \\(observed agreement ${expected.observed!.toFixed(3)}, expected by chance ${expected.expected!.toFixed(3)}; 20 faces\\)`));
    assert.match(text.stdout, /Per label \(Fleiss' p_j: the share of all 60 ratings of the compared faces\):/);
    assert.match(text.stdout, /happy +30 +0\.500/);
    assert.match(text.stdout, /Differences: 4 of 20 compared faces \(first 3; --max-differences N for more\)/);
    assert.match(text.stdout, /time +frame +track +alice +bob +carol +model +P_i/);

    const json = await runCli(['agreement', docOf('alice'), docOf('bob'), docOf('carol'), '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout.trim().split('\n').length, 1, 'one JSON object');
    const report = JSON.parse(json.stdout) as AgreementReport;
    assert.equal(report.method, 'fleiss');
    assert.deepEqual(report.annotators.map((a) => a.name), ['alice', 'bob', 'carol']);
    assert.equal(report.overall.kappa.kappa!.toFixed(12), expected.kappa!.toFixed(12));
    assert.equal(report.differences.length, 4, '--json lists every difference');
    assert.equal(report.faces.length, 20);
    assert.deepEqual(report.differences.map((d) => d.labels), [['happy', 'sad', 'happy'], ['happy', 'sad', 'happy'], ['sad', 'sad', 'happy'], ['sad', 'sad', 'happy']]);
    assert.equal(report.overall.fleiss!.subjectAgreement.length, 20);
  });

  it('errors: other media (exit 1, both files named), a missing or invalid document (1), fewer than two or a bad option (2)', async () => {
    const other = structuredClone(doc);
    other.media.sha256 = 'f'.repeat(64);
    const otherPath = path.join(temp.dir, 'other', 'clip.mp4.emotion.json');
    await fs.mkdir(path.dirname(otherPath), { recursive: true });
    await writeAnnotationDocument(otherPath, other);
    const media = await runCli(['agreement', docOf('alice'), otherPath]);
    assert.equal(media.code, 1);
    assert.equal(media.stdout, '');
    assert.equal(media.stderr.trim().split('\n').length, 1, media.stderr);
    assert.ok(media.stderr.includes(otherPath) && media.stderr.includes(docOf('alice')), media.stderr);
    assert.match(media.stderr, /other media.*Compare documents of the same video or recording only\./);

    const missing = await runCli(['agreement', docOf('alice'), path.join(temp.dir, 'nobody', name)]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^emotion-lens: .*nobody.*: not found\. Give the path of a <video>\.emotion\.json document\.\n$/);

    const brokenPath = path.join(temp.dir, 'broken.emotion.json');
    await fs.writeFile(brokenPath, '{ "schemaVersion": 4, ');
    const broken = await runCli(['agreement', brokenPath, docOf('alice')]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken\.emotion\.json: is not valid JSON/);
    assert.equal(broken.stderr.trim().split('\n').length, 1);

    const one = await runCli(['agreement', docOf('alice')]);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /at least two reviews .*got 1/);
    const twice = await runCli(['agreement', docOf('alice'), docOf('alice')]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /given twice/);
    const option = await runCli(['agreement', docOf('alice'), docOf('bob'), '--max-differences', 'lots']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--max-differences wants a whole number/);
    const help = await runCli(['agreement', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: emotion-lens agreement/);
    const usage = await runCli(['--help']);
    assert.match(usage.stdout, /emotion-lens agreement <documents>\.\.\. +how far annotators agree/);
  });
});
