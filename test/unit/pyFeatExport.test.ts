// The Py-Feat export read back the way read_feat reads it (column selection by name, pandas dtypes), on the
// hand-built export fixture and on a document with an adaptation and a label Py-Feat has no column for; and the
// label sources (human > adapted > model) in every export that holds face labels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { exportDocument } from '../../src/core/export/exportFormats';
import { PYFEAT_AU_COLUMNS, pyFeatApproxTime, pyFeatEmotionMapping } from '../../src/core/export/pyFeat';
import { labelStudioTask } from '../../src/core/export/labelStudio';
import type { TrainingExport } from '../../src/core/export/trainingJson';
import { faceRows, FACE_COLUMNS } from '../../src/core/export/datasetTable';
import { LABELS } from '../helpers/documentBuilder';
import { CORRECTED, exportFixture, FIXTURE_DOCUMENT_PATH } from '../helpers/exportFixture';
import { findAll, parseCsv, parseXml } from '../helpers/exportParsers';
import { FEAT_EMOTION_COLUMNS, FEAT_FACEBOX_COLUMNS, FEAT_FACEPOSE_COLUMNS, FEAT_TIME_COLUMNS, OPENFACE_2D_LANDMARK_COLUMNS, readFeatLike } from '../helpers/pyFeatReader';

const options = { documentPath: FIXTURE_DOCUMENT_PATH };

/** The fixture with an adaptation: it suggests `angry` for track 2 at frame 2 (the model said sad), the model's label elsewhere; the correction names its annotator. */
function adaptedFixture(): AnnotationDocument {
  const doc = exportFixture();
  doc.corrections = doc.corrections.map((c) => ({ ...c, annotator: 'alice' }));
  doc.adaptation = {
    method: 'recalibration',
    form: 'bias',
    createdAt: '2026-11-24T02:00:00.000Z',
    trainedOn: { corrections: 1, documents: 1 },
    crossValidation: { folds: 2, baseAccuracy: 0.5, adaptedAccuracy: 0.75 },
    regularisation: 1,
    weights: LABELS.map((_, r) => LABELS.map((__, c) => (r === c ? 1 : 0))),
    bias: LABELS.map(() => 0),
    suggestions: doc.frames.flatMap((f) => f.faces.map((face) => ({ frameIndex: f.index, trackId: face.trackId, label: f.index === 2 && face.trackId === 2 ? 'angry' : face.label, confidence: 0.625 }))),
  };
  return doc;
}

describe('Py-Feat export', () => {
  it('read the way read_feat reads it: every column a Fex accessor selects is there, numbers are floats, frame is the 0-based video frame', () => {
    const doc = exportFixture();
    const fex = readFeatLike(exportDocument(doc, 'pyfeat', options));
    assert.equal(fex.rows, doc.frames.reduce((n, f) => n + Math.max(1, f.faces.length), 0));
    for (const names of [FEAT_EMOTION_COLUMNS, FEAT_FACEBOX_COLUMNS, OPENFACE_2D_LANDMARK_COLUMNS, FEAT_FACEPOSE_COLUMNS, FEAT_TIME_COLUMNS]) fex.select(names);
    for (const name of [...FEAT_EMOTION_COLUMNS, ...FEAT_FACEBOX_COLUMNS, ...OPENFACE_2D_LANDMARK_COLUMNS, ...FEAT_FACEPOSE_COLUMNS]) assert.equal(fex.dtypes[name], 'float64', name);
    assert.equal(fex.dtypes.frame, 'int64');
    // read_feat takes every column holding "AU" for an action unit: exactly Py-Feat's, none of ours.
    assert.deepEqual(fex.auColumns, [...PYFEAT_AU_COLUMNS]);
    assert.deepEqual(fex.column('frame'), doc.frames.flatMap((f) => Array.from({ length: Math.max(1, f.faces.length) }, () => Math.round(f.timeSec * 25))));
    assert.ok(fex.column('input').every((v) => v === '/data/study/clip one.mp4'));
    assert.deepEqual([...new Set(fex.column('approx_time'))], ['00:00', '00:01']);
    // Emotions: our distribution under Py-Feat's names, summing to 1; a faceless frame is all NaN.
    const emotions = fex.select(FEAT_EMOTION_COLUMNS);
    const tracks = fex.column('track_id');
    emotions.forEach((row, r) => {
      if (Number.isNaN(tracks[r] as number)) return assert.ok(row.every(Number.isNaN));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    });
    const labels = fex.column('label');
    const happiness = FEAT_EMOTION_COLUMNS.indexOf('happiness');
    const firstHappy = labels.findIndex((l, r) => l === 'happy' && fex.column('label_source')[r] === 'model');
    assert.equal(emotions[firstHappy]!.indexOf(Math.max(...emotions[firstHappy]!)), happiness);
    const human = fex.column('label_source').findIndex((s) => s === 'human');
    assert.deepEqual([fex.column('sample_index')[human], fex.column('track_id')[human], labels[human], fex.column('label_confidence')[human]], [CORRECTED.frameIndex, CORRECTED.trackId, CORRECTED.label, 1]);
    assert.ok(fex.select(OPENFACE_2D_LANDMARK_COLUMNS).every((row) => row.every(Number.isNaN)), 'landmarks are not measured');
  });

  it('shape: one Py-Feat row per face, faceless frames kept with input and frame only; a still image is frame 0 without approx_time', () => {
    const doc = exportFixture();
    const rows = parseCsv(exportDocument(doc, 'pyfeat', options));
    const header = rows[0]!;
    assert.deepEqual(header.slice(0, 5), FEAT_FACEBOX_COLUMNS);
    assert.deepEqual(header.slice(header.indexOf('anger'), header.indexOf('anger') + 10), [...FEAT_EMOTION_COLUMNS, 'input', 'frame', 'approx_time']);
    const faceless = rows.slice(1).filter((r) => r[header.indexOf('track_id')] === '');
    assert.equal(faceless.length, 1);
    const filled = header.filter((_, c) => faceless[0]![c] !== '');
    assert.deepEqual(filled, ['input', 'frame', 'approx_time', 'timestamp', 'sample_index']);

    const image = exportFixture();
    image.media = { ...image.media, kind: 'image', fps: 0, durationSec: 0 };
    image.frames = image.frames.slice(0, 1);
    const still = readFeatLike(exportDocument(image, 'pyfeat', options));
    assert.deepEqual(still.column('frame'), [0, 0]);
    assert.ok(still.column('approx_time').every((v) => Number.isNaN(v)), 'an empty column (pandas: all NaN)');
  });

  it('a label without a Py-Feat column is left out and the others renormalised; an emotion the model lacks is NaN', () => {
    assert.deepEqual(pyFeatEmotionMapping(['angry', 'contempt', 'happy']), { sources: [[0], [], [], [2], [], [], []], unmapped: ['contempt'] });
    const doc = exportFixture();
    doc.labels = doc.labels.map((l) => (l === 'disgust' ? 'contempt' : l));
    for (const f of doc.frames) for (const face of f.faces) if (face.label === 'disgust') face.label = 'contempt';
    const fex = readFeatLike(exportDocument(doc, 'pyfeat', options));
    const emotions = fex.select(FEAT_EMOTION_COLUMNS);
    const row = emotions[0]!;
    assert.ok(Number.isNaN(row[FEAT_EMOTION_COLUMNS.indexOf('disgust')]!));
    // Frame 0, track 1: neutral 0.8, the six others 1/30 each; without contempt's 1/30 the rest sum to 29/30.
    assert.ok(Math.abs(row[FEAT_EMOTION_COLUMNS.indexOf('neutral')]! - 0.8 / (29 / 30)) < 1e-6);
    assert.ok(Math.abs(row.filter((v) => !Number.isNaN(v)).reduce((a, b) => a + b, 0) - 1) < 1e-5);
  });

  it("approx_time is Py-Feat's whole MM:SS of the frame, clamped to the video's length", () => {
    assert.deepEqual([pyFeatApproxTime(0, 25, 100), pyFeatApproxTime(24, 25, 100), pyFeatApproxTime(25, 25, 100), pyFeatApproxTime(1525, 25, 5000), pyFeatApproxTime(200, 25, 100)], ['00:00', '00:00', '00:01', '01:01', '00:04']);
  });

  it('an audio file cannot be exported as Py-Feat', () => {
    const doc = exportFixture();
    doc.media = { ...doc.media, kind: 'audio', fps: 0, width: 0, height: 0 };
    doc.frames = [];
    assert.throws(() => exportDocument(doc, 'pyfeat', options), /cannot export as pyfeat: .*audio file/);
  });
});

describe('label sources in every export: human > adapted > model', () => {
  const doc = adaptedFixture();

  it('the adapted fixture is a valid document', () => {
    assert.deepEqual(annotationProblems(doc), []);
  });

  it('frames CSV and Py-Feat: label_source adapted with its confidence, the adapted label kept under the human one, the annotator', () => {
    for (const format of ['csv', 'pyfeat'] as const) {
      const [header, ...body] = parseCsv(exportDocument(doc, format, options));
      const col = (name: string) => header!.indexOf(name);
      const at = (frame: number, track: number) => body.find((r) => r[col('sample_index')] === String(frame) && r[col('track_id')] === String(track))!;
      const suggested = at(2, 2);
      assert.deepEqual([suggested[col('label')], suggested[col('label_source')], suggested[col('label_confidence')], suggested[col('adapted_label')]], ['angry', 'adapted', '0.625', 'angry'], format);
      const human = at(CORRECTED.frameIndex, CORRECTED.trackId);
      assert.deepEqual([human[col('label')], human[col('label_source')], human[col('label_confidence')], human[col('adapted_label')], human[col('annotator')]], ['happy', 'human', '1', 'neutral', 'alice'], format);
      const sources = new Set(body.map((r) => r[col('label_source')]));
      assert.deepEqual([...sources].sort(), ['', 'adapted', 'human'], `${format}: every face has a suggestion, so none is the model's`);
    }
  });

  it('training JSON: source, faceSource, adapted suggestion, annotator; every sampled frame, the faceless one with an empty list', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', options)) as TrainingExport;
    const record = parsed.records.find((r) => r.frameIndex === 2 && r.trackId === 2)!;
    assert.deepEqual([record.label, record.source, record.confidence, record.modelLabel, record.faceSource], ['angry', 'adapted', 0.625, 'sad', 'detected']);
    const human = parsed.records.find((r) => r.source === 'human')!;
    assert.deepEqual([human.annotator, human.adaptedLabel], ['alice', 'neutral']);
    assert.deepEqual(parsed.frames.map((f) => f.frameIndex), doc.frames.map((f) => f.index));
    assert.deepEqual(parsed.frames.find((f) => f.frameIndex === 5)!.faces, []);
    for (const frame of parsed.frames) for (const face of frame.faces) assert.deepEqual([parsed.records[face.record]!.frameIndex, parsed.records[face.record]!.trackId], [frame.frameIndex, face.trackId]);
    assert.equal(parsed.frames.reduce((n, f) => n + f.faces.length, 0), parsed.records.length);
  });

  it('dataset faces: adapted_label, adapted_confidence and annotator columns, typed', () => {
    const rows = faceRows(doc, 'clip one.mp4');
    const col = (name: string) => FACE_COLUMNS.findIndex((c) => c.name === name);
    assert.deepEqual(['adapted_label', 'adapted_confidence', 'annotator'].map((n) => FACE_COLUMNS[col(n)]!.type), ['string', 'float64', 'string']);
    const human = rows.find((r) => r[col('label_source')] === 'human')!;
    assert.deepEqual([human[col('annotator')], human[col('adapted_label')], human[col('adapted_confidence')]], ['alice', 'neutral', 0.625]);
    assert.ok(rows.filter((r) => r[col('label_source')] !== 'human').every((r) => r[col('label_source')] === 'adapted' && r[col('annotator')] === null));
  });

  it('ELAN: the face tier carries the final label, its source tier human (with the annotator) or adapted', () => {
    const root = parseXml(exportDocument(doc, 'elan', options));
    const tier = findAll(root, 'TIER').find((t) => t.attributes.TIER_ID === 'face 1 source')!;
    assert.equal(tier.attributes.LINGUISTIC_TYPE_REF, 'label-source');
    assert.deepEqual(findAll(tier, 'ANNOTATION_VALUE').map((v) => v.text), ['adapted', 'human (alice)', 'adapted', 'adapted']);
    const face2 = findAll(findAll(root, 'TIER').find((t) => t.attributes.TIER_ID === 'face 2')!, 'ANNOTATION_VALUE').map((v) => v.text);
    assert.deepEqual(face2, ['sad', 'angry']);
  });

  it('Label Studio: the model and the adaptation are two predictions; annotations hold only the human labels', () => {
    const task = labelStudioTask(doc, options);
    assert.deepEqual(task.predictions.map((p) => p.model_version.startsWith('emotion-lens') ? 'model' : p.model_version), ['model', 'adapted']);
    const adapted = task.predictions[1]!;
    assert.equal(adapted.score, 0.625);
    const track2 = adapted.result.filter((r) => r.meta.text[0] === 'track 2').map((r) => r.value.timelinelabels[0]);
    assert.deepEqual(track2, ['sad', 'angry']);
    const modelTrack2 = task.predictions[0]!.result.filter((r) => r.meta.text[0] === 'track 2').map((r) => r.value.timelinelabels[0]);
    assert.deepEqual(modelTrack2, ['sad', 'angry'], 'the model says sad until frame 3');
    assert.notDeepEqual(adapted.result.map((r) => r.value.ranges[0]), task.predictions[0]!.result.map((r) => r.value.ranges[0]));
    assert.deepEqual(task.annotations![0]!.result.map((r) => [r.meta.text[0], r.value.timelinelabels[0]]), [['track 1 (human, alice)', 'happy']]);
  });
});
