// frameCsv.ts: the frames CSV read back with csv-parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportDocument } from '../../src/core/export/exportFormats';
import { frameCsvHeader } from '../../src/core/export/frameCsv';
import { LABELS } from '../helpers/documentBuilder';
import { parseCsv } from '../helpers/exportParsers';
import { exportFixture, finalLabelAt, FIXTURE_DOCUMENT_PATH, VOICE_SEGMENTS, voiceSegmentAt } from '../helpers/exportFixture';

/** OpenFace 2's FeatureExtraction columns for gaze, pose, 2-D landmarks and AU intensities, in its order (its RecorderCSV). */
const OPENFACE_GEOMETRY = [
  ...['gaze_0_x', 'gaze_0_y', 'gaze_0_z', 'gaze_1_x', 'gaze_1_y', 'gaze_1_z', 'gaze_angle_x', 'gaze_angle_y', 'pose_Tx', 'pose_Ty', 'pose_Tz', 'pose_Rx', 'pose_Ry', 'pose_Rz'],
  ...Array.from({ length: 68 }, (_, i) => `x_${i}`), ...Array.from({ length: 68 }, (_, i) => `y_${i}`),
  ...[1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45].map((au) => `AU${String(au).padStart(2, '0')}_r`),
];

describe('the frames CSV', () => {
  const doc = exportFixture();
  const options = { documentPath: FIXTURE_DOCUMENT_PATH };

  it('CSV: RFC 4180, one row per frame and face (a success=0 row for a frame without faces), final labels', () => {
    const rows = parseCsv(exportDocument(doc, 'csv', options));
    const [header, ...body] = rows;
    assert.deepEqual(header, ['frame', 'face_id', 'timestamp', 'confidence', 'success', 'sample_index', 'track_id', 'face_source', 'FaceRectX', 'FaceRectY', 'FaceRectWidth', 'FaceRectHeight', ...LABELS, 'label', 'label_source', 'label_confidence', 'model_label', 'model_confidence', 'adapted_label', 'adapted_confidence', 'annotator', ...OPENFACE_GEOMETRY, 'voice_segment', 'voice_arousal', 'voice_f0_mean_semitones']);
    for (const row of body) assert.equal(row.length, header!.length);
    const col = (name: string) => header!.indexOf(name);
    const expectedRows = doc.frames.reduce((n, f) => n + Math.max(1, f.faces.length), 0);
    assert.equal(body.length, expectedRows);
    for (const row of body) {
      const frame = Number(row[col('sample_index')]);
      // OpenFace's frame: the video frame counted from 1 at 25 fps (samples are 0.2 s apart: frames 1, 6, 11, ...).
      assert.equal(row[col('frame')], String(Math.round(doc.frames[frame]!.timeSec * 25) + 1));
      if (row[col('success')] === '0') {
        assert.equal(doc.frames[frame]!.faces.length, 0);
        assert.equal(row[col('face_id')], '');
        assert.equal(row[col('track_id')], '');
        assert.equal(row[col('label')], '');
        continue;
      }
      const track = Number(row[col('track_id')]);
      assert.equal(row[col('face_id')], String(track - 1), 'OpenFace face_id counts from 0');
      assert.equal(row[col('face_source')], 'detected');
      assert.equal(row[col('label')], finalLabelAt(frame, track), `frame ${frame} track ${track}`);
      assert.equal(Number(row[col('timestamp')]), doc.frames[frame]!.timeSec);
      const probs = LABELS.map((l) => Number(row[col(l)]));
      assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5, `probabilities sum to 1 in ${row.join(',')}`);
      if (row[col('label_source')] === 'human') {
        assert.equal(row[col('label_confidence')], '1');
      } else {
        assert.equal(LABELS[probs.indexOf(Math.max(...probs))], row[col('label')], 'a model label is the argmax of its probability columns');
      }
    }
    assert.equal(body.filter((r) => r[col('label_source')] === 'human').length, 1);
  });

  it('CSV: each row carries the voice segment covering its time (its index, arousal and mean F0), empty where none', () => {
    const [header, ...body] = parseCsv(exportDocument(doc, 'csv', options));
    const col = (name: string) => header!.indexOf(name);
    const seen = new Set<string>();
    for (const row of body) {
      const index = voiceSegmentAt(Number(row[col('timestamp')]));
      const segment = index === undefined ? undefined : VOICE_SEGMENTS[index]!;
      const expected = segment ? [String(index), segment.arousal === null ? '' : String(segment.arousal), segment.f0MeanSemitones === null ? '' : String(segment.f0MeanSemitones)] : ['', '', ''];
      assert.deepEqual([row[col('voice_segment')], row[col('voice_arousal')], row[col('voice_f0_mean_semitones')]], expected, `row ${row.join(',')}`);
      seen.add(expected.join('|'));
    }
    // The fixture has rows before any voice segment, in each of the first two, and in the unvoiced third (index only).
    assert.deepEqual([...seen].sort(), ['0|1.32|33.21', '1|-0.6|29.87', '2||', '||'].sort());
    // The frame without a face still says what the voice does.
    assert.deepEqual(body.find((r) => r[col('success')] === '0')!.slice(col('voice_segment')), ['1', '-0.6', '29.87']);
  });

  it('CSV: labels with commas, quotes and line breaks are quoted and parse back', () => {
    const odd = exportFixture();
    const oddLabels = ['a,b', 'say "hi"', 'two\nlines', 'happy', 'neutral', 'sad', 'label'];
    const rename = (l: string) => oddLabels[LABELS.indexOf(l)] ?? l;
    odd.labels = oddLabels;
    for (const frame of odd.frames) for (const face of frame.faces) face.label = rename(face.label);
    odd.corrections = odd.corrections.map((c) => ({ ...c, label: rename(c.label), modelLabel: rename(c.modelLabel) }));
    const rows = parseCsv(exportDocument(odd, 'csv', options));
    assert.deepEqual(rows[0], frameCsvHeader(oddLabels));
    // 'label' collides with a fixed column, so every probability column is prefixed.
    assert.ok(rows[0]!.includes('prob_a,b') && rows[0]!.includes('prob_label'));
    assert.equal(rows.length, 1 + odd.frames.reduce((n, f) => n + Math.max(1, f.faces.length), 0));
  });
});
