// Exporters: golden files (the committed spec; UPDATE_GOLDEN=1 rewrites them) plus properties checked with
// independent parsers: every format uses the human label where one exists and never touches the document.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { EmotionLensError } from '../../src/core/errors';
import type { ExportFormat } from '../../src/core/export/exportFormats';
import { EXPORT_FORMAT_IDS, exportDocument, exportPathFor, exportToFile } from '../../src/core/export/exportFormats';
import { writeAnnotationDocument } from '../../src/core/document/annotationFile';
import { finalLabels, labelRuns } from '../../src/core/export/finalLabels';
import { frameCsvHeader } from '../../src/core/export/frameCsv';
import { parseSpeakerPattern, RunningStats, speakerGroupOf } from '../../src/core/export/speakerGroups';
import { arousalText, pitchText, voiceSegmentLocator } from '../../src/core/export/voiceColumns';
import { VOICE_CSV_COLUMNS } from '../../src/core/export/voiceCsv';
import { labelStudioConfig, labelStudioTask } from '../../src/core/export/labelStudio';
import type { LabelStudioRegion } from '../../src/core/export/labelStudio';
import type { TrainingExport } from '../../src/core/export/trainingJson';
import { vttTimestamp } from '../../src/core/export/webVtt';
import { correction, LABELS } from '../helpers/documentBuilder';
import { CORRECTED, exportFixture, FIXTURE_DOCUMENT_PATH, fixtureLandmarks, TRACK1_AU12, TRACK_LABELS, VOICE_SEGMENTS } from '../helpers/exportFixture';
import { findAll, parseCsv, parseVtt, parseXml, vttUnescape } from '../helpers/exportParsers';
import { makeTempDir, repoRoot } from '../helpers/testEnvironment';

const goldenDir = path.join(repoRoot, 'test', 'fixtures', 'exports');
/** OpenFace 2's FeatureExtraction columns for gaze, pose, 2-D landmarks and AU intensities, in its order (its RecorderCSV). */
const OPENFACE_GEOMETRY = [
  ...['gaze_0_x', 'gaze_0_y', 'gaze_0_z', 'gaze_1_x', 'gaze_1_y', 'gaze_1_z', 'gaze_angle_x', 'gaze_angle_y', 'pose_Tx', 'pose_Ty', 'pose_Tz', 'pose_Rx', 'pose_Ry', 'pose_Rz'],
  ...Array.from({ length: 68 }, (_, i) => `x_${i}`), ...Array.from({ length: 68 }, (_, i) => `y_${i}`),
  ...[1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45].map((au) => `AU${String(au).padStart(2, '0')}_r`),
];
const options = { documentPath: FIXTURE_DOCUMENT_PATH, landmarks: fixtureLandmarks() };

/** Index of the fixture's voice segment holding a time (start inclusive, end exclusive), by a plain scan. */
function voiceSegmentAt(timeSec: number): number | undefined {
  const index = VOICE_SEGMENTS.findIndex((s) => s.startSec <= timeSec && timeSec < s.endSec);
  return index < 0 ? undefined : index;
}

/** The fixture as an audio recording: no picture, so no frames, tracks, faces or corrections; words and voice kept. */
function audioFixture(): AnnotationDocument {
  const doc = exportFixture();
  const { videoCodec: _video, ...media } = doc.media;
  doc.media = { ...media, path: 'clip one.wav', kind: 'audio', fps: 0, width: 0, height: 0, audioCodec: 'pcm_s16le' };
  doc.frames = [];
  doc.tracks = [];
  doc.corrections = [];
  doc.segments = doc.segments.map((s) => ({ ...s, faces: [], disagreement: false, flags: [] }));
  return doc;
}

const AUDIO_DOCUMENT_PATH = '/data/study/clip one.wav.emotion.json';

/** Model label of a track at a frame, per the fixture's table, and the final label (the correction applied). */
function finalLabelAt(frame: number, track: number): string | undefined {
  if (frame === CORRECTED.frameIndex && track === CORRECTED.trackId) return CORRECTED.label;
  return TRACK_LABELS[track]?.[frame];
}

describe('exports: golden files', () => {
  const doc = exportFixture();
  const goldens: [string, () => string][] = [
    ...EXPORT_FORMAT_IDS.map((format): [string, () => string] => [path.basename(exportPathFor(FIXTURE_DOCUMENT_PATH, format)), () => exportDocument(doc, format, options)]),
    ['clip one.mp4.labelstudio.xml', () => labelStudioConfig(doc)],
  ];

  it('the fixture is a valid annotation document', () => {
    assert.deepEqual(annotationProblems(doc), []);
  });

  for (const [name, render] of goldens) {
    it(`${name} matches its golden file byte for byte`, () => {
      const file = path.join(goldenDir, name);
      const actual = render();
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, actual);
      }
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1, then review it`);
      assert.equal(actual, readFileSync(file, 'utf8'));
    });
  }

  it('exports are deterministic and never modify the document', () => {
    const before = structuredClone(doc);
    for (const format of EXPORT_FORMAT_IDS) {
      const first = exportDocument(doc, format, options);
      assert.equal(exportDocument(doc, format, options), first, format);
    }
    labelStudioConfig(doc);
    assert.deepEqual(doc, before);
  });
});

describe('exports: final labels', () => {
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

describe('exports: formats parse back', () => {
  const doc = exportFixture();

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

  it('the voice segment locator: start inclusive, end exclusive, nothing between or after segments, any order', () => {
    const at = voiceSegmentLocator(VOICE_SEGMENTS);
    assert.deepEqual([0, 0.08, 0.839, 0.84, 0.9, 0.96, 1.3, 1.36, 1.58, 99].map(at), [undefined, 0, 0, undefined, undefined, 1, undefined, 2, undefined, undefined]);
    const shuffled = [VOICE_SEGMENTS[2]!, VOICE_SEGMENTS[0]!, VOICE_SEGMENTS[1]!];
    assert.deepEqual([0.5, 1.0, 1.4].map(voiceSegmentLocator(shuffled)), [1, 2, 0]);
    assert.equal(voiceSegmentLocator([])(1), undefined);
  });

  it('voice CSV: one row per voice segment with every measure, empty cells for null measures', () => {
    const [header, ...body] = parseCsv(exportDocument(doc, 'voice', options));
    assert.deepEqual(header, [...VOICE_CSV_COLUMNS]);
    assert.deepEqual(header, ['segment', 'start_sec', 'end_sec', 'f0_mean_semitones', 'f0_sd_semitones', 'f0_p20_semitones', 'f0_p50_semitones', 'f0_p80_semitones', 'intensity_db', 'loudness', 'jitter_local', 'shimmer_local_db', 'hnr_db', 'voiced_fraction', 'words_per_second', 'arousal_raw', 'arousal']);
    assert.equal(body.length, VOICE_SEGMENTS.length);
    // The document field behind each column after `segment`, written out here rather than taken from the exporter.
    const fields = ['startSec', 'endSec', 'f0MeanSemitones', 'f0SdSemitones', 'f0P20Semitones', 'f0P50Semitones', 'f0P80Semitones', 'intensityDb', 'loudness', 'jitterLocal', 'shimmerLocalDb', 'hnrDb', 'voicedFraction', 'wordsPerSecond', 'arousalRaw', 'arousal'] as const;
    body.forEach((row, i) => {
      const segment = VOICE_SEGMENTS[i]!;
      assert.equal(row[0], String(i));
      fields.forEach((key, c) => {
        const value = segment[key];
        assert.equal(row[c + 1], value === null || value === undefined ? '' : String(value), `${header![c + 1]} of segment ${i}`);
      });
    });
  });

  it('voice CSV: a document without voice segments has none, with a one-line reason naming it', () => {
    const silent = exportFixture();
    silent.voice = { status: 'no-speech', reason: 'no speech was found (Silero VAD)', segmentation: 'silero-vad', baseline: { scope: 'none', reason: 'no speech' }, segments: [] };
    assert.throws(
      () => exportDocument(silent, 'voice', options),
      (error: unknown) => error instanceof EmotionLensError && error.message.includes(FIXTURE_DOCUMENT_PATH) && /no voice segments \(voice no-speech: no speech was found/.test(error.message) && !error.message.includes('\n'),
    );
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

  it('ELAN: well-formed EAF 3.0 with a tier per track, transcript, words and sentiment, times in ms', () => {
    const root = parseXml(exportDocument(doc, 'elan', options));
    assert.equal(root.name, 'ANNOTATION_DOCUMENT');
    assert.equal(root.attributes.FORMAT, '3.0');
    const media = findAll(root, 'MEDIA_DESCRIPTOR')[0]!;
    assert.equal(media.attributes.MEDIA_URL, 'file:///data/study/clip%20one.mp4');
    assert.equal(media.attributes.RELATIVE_MEDIA_URL, './clip%20one.mp4');
    assert.equal(media.attributes.MIME_TYPE, 'video/mp4');
    const slots = new Map(findAll(root, 'TIME_SLOT').map((s) => [s.attributes.TIME_SLOT_ID!, Number(s.attributes.TIME_VALUE)]));
    const values = [...slots.values()];
    assert.ok(values.every((v, i) => Number.isInteger(v) && (i === 0 || v > values[i - 1]!)), 'slots in increasing whole milliseconds');
    const tiers = findAll(root, 'TIER');
    const auTiers = (face: number) => [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25].map((au) => `face ${face} AU${au}`);
    assert.deepEqual(tiers.map((t) => t.attributes.TIER_ID), ['face 1', 'face 1 source', ...auTiers(1), 'face 2', 'face 2 source', ...auTiers(2), 'transcript', 'words', 'sentiment', 'voice arousal', 'voice pitch']);
    const types = new Set(findAll(root, 'LINGUISTIC_TYPE').map((t) => t.attributes.LINGUISTIC_TYPE_ID));
    for (const tier of tiers) assert.ok(types.has(tier.attributes.LINGUISTIC_TYPE_REF), `type of ${tier.attributes.TIER_ID} declared`);
    const annotations = (tierId: string) =>
      findAll(tiers.find((t) => t.attributes.TIER_ID === tierId)!, 'ALIGNABLE_ANNOTATION').map((a) => {
        const start = slots.get(a.attributes.TIME_SLOT_REF1!);
        const end = slots.get(a.attributes.TIME_SLOT_REF2!);
        assert.ok(start !== undefined && end !== undefined && end > start, 'annotation slots resolve, end after start');
        return `${start}-${end} ${findAll(a, 'ANNOTATION_VALUE')[0]!.text}`;
      });
    // Runs of the final labels; frame 5 has no face, frames are 200 ms apart, the last one ends at the media's end.
    assert.deepEqual(annotations('face 1'), ['0-200 neutral', '200-1000 happy', '1200-1400 happy', '1400-1600 sad']);
    assert.deepEqual(annotations('face 2'), ['0-600 sad', '600-1000 angry']);
    // Beside each face tier, where its labels come from: the corrected sample is human, the rest the model's.
    assert.deepEqual(annotations('face 1 source'), ['0-200 model', '200-400 human', '400-1000 model', '1200-1600 model']);
    assert.deepEqual(annotations('face 2 source'), ['0-1000 model']);
    // AU tiers: runs of samples whose estimate reaches the AU's threshold (0.45 for AU12), valued with their mean; frame 5 has no face, frame 7's geometry failed.
    const au12 = TRACK1_AU12.map((v) => v ?? 0);
    assert.deepEqual(annotations('face 1 AU12'), [`400-1000 AU12 ${((au12[2]! + au12[3]! + au12[4]!) / 3).toFixed(2)}`, `1200-1400 AU12 ${au12[6]!.toFixed(2)}`]);
    assert.deepEqual(annotations('face 1 AU1'), []);
    assert.deepEqual(annotations('transcript'), doc.transcript.utterances.map((u) => `${Math.round(u.startSec * 1000)}-${Math.round(u.endSec * 1000)} ${u.text}`));
    assert.equal(annotations('words').length, doc.transcript.words.length);
    assert.deepEqual(annotations('sentiment'), ['100-800 positive 0.625', '1000-1550 negative -0.459']);
    // One per voice segment: arousal as a signed z-score (n/a for the unvoiced one), mean F0 in semitones and Hz.
    assert.deepEqual(annotations('voice arousal'), ['80-840 +1.32', '960-1300 -0.60', '1360-1580 n/a']);
    assert.deepEqual(annotations('voice pitch'), ['80-840 33.21 st (187 Hz)', '960-1300 29.87 st (154 Hz)', '1360-1580 n/a']);
    const ids = findAll(root, 'ALIGNABLE_ANNOTATION').map((a) => a.attributes.ANNOTATION_ID);
    assert.equal(new Set(ids).size, ids.length, 'annotation ids are unique');
    assert.equal(Number(findAll(root, 'PROPERTY').find((p) => p.attributes.NAME === 'lastUsedAnnotationId')!.text), ids.length);
    const slotIds = [...slots.keys()];
    assert.equal(new Set(slotIds).size, slotIds.length, 'time slot ids are unique');
    assert.deepEqual(findAll(root, 'PROPERTY').map((p) => p.attributes.NAME), ['lastUsedAnnotationId'], 'a voice with a baseline needs no note');
  });

  it('ELAN: without a baseline every voice arousal is n/a and a header PROPERTY says why; without voice the tiers are empty', () => {
    const noBaseline = exportFixture();
    noBaseline.voice = { ...noBaseline.voice, baseline: { scope: 'none', reason: '2 measured voice segment(s), 1.1 s of speech: too little' }, segments: noBaseline.voice.segments.map((v) => ({ ...v, arousal: null })) };
    const root = parseXml(exportDocument(noBaseline, 'elan', options));
    const values = (id: string) => findAll(findAll(root, 'TIER').find((t) => t.attributes.TIER_ID === id)!, 'ANNOTATION_VALUE').map((v) => v.text);
    assert.deepEqual(values('voice arousal'), ['n/a', 'n/a', 'n/a']);
    assert.deepEqual(values('voice pitch'), ['33.21 st (187 Hz)', '29.87 st (154 Hz)', 'n/a']);
    assert.match(findAll(root, 'PROPERTY').find((p) => p.attributes.NAME === 'emotion-lens:voice-baseline')!.text, /^none, arousal n\/a: 2 measured voice segment/);

    const silent = exportFixture();
    silent.voice = { status: 'disabled', reason: 'turned off with --no-voice', baseline: { scope: 'none', reason: 'not analysed' }, segments: [] };
    const quiet = parseXml(exportDocument(silent, 'elan', options));
    for (const id of ['voice arousal', 'voice pitch']) assert.equal(findAll(findAll(quiet, 'TIER').find((t) => t.attributes.TIER_ID === id)!, 'ANNOTATION').length, 0);
    assert.equal(findAll(quiet, 'PROPERTY').find((p) => p.attributes.NAME === 'emotion-lens:voice')!.text, 'disabled: turned off with --no-voice');
    assert.equal(findAll(quiet, 'PROPERTY').find((p) => p.attributes.NAME === 'emotion-lens:voice-baseline'), undefined);
  });

  it('ELAN values: signed arousal with two decimals, pitch in semitones and Hz', () => {
    assert.deepEqual([1.316, -0.6, 0, -0.004, 12.345, null].map(arousalText), ['+1.32', '-0.60', '+0.00', '+0.00', '+12.35', 'n/a']);
    // 27.5 Hz * 2^(st / 12): 48 st is 440 Hz.
    assert.deepEqual([48, 33.21, null].map(pitchText), ['48.00 st (440 Hz)', '33.21 st (187 Hz)', 'n/a']);
  });

  it('ELAN: the relative media URL is computed from where the file is written', () => {
    const root = parseXml(exportDocument(doc, 'elan', { ...options, outputPath: '/data/exports/elan/clip.eaf' }));
    assert.equal(findAll(root, 'MEDIA_DESCRIPTOR')[0]!.attributes.RELATIVE_MEDIA_URL, '../../study/clip%20one.mp4');
  });

  it('WebVTT: one cue per utterance, increasing times that match the utterances, sentiment NOTE before each', () => {
    const vtt = parseVtt(exportDocument(doc, 'vtt', options));
    assert.equal(vtt.cues.length, doc.transcript.utterances.length);
    vtt.cues.forEach((cue, i) => {
      const u = doc.transcript.utterances[i]!;
      assert.equal(cue.startMs, Math.round(u.startSec * 1000));
      assert.equal(cue.endMs, Math.round(u.endSec * 1000));
      assert.ok(i === 0 || cue.startMs >= vtt.cues[i - 1]!.startMs);
      assert.equal(vttUnescape(cue.text), u.text);
      assert.match(cue.note ?? '', new RegExp(`^sentiment ${u.sentiment.label}, compound ${u.sentiment.compound}`));
    });
    assert.equal(vttTimestamp(3_723_004), '01:02:03.004');
  });

  it('WebVTT: without a transcript, a valid file with a NOTE saying why', () => {
    const silent = exportFixture();
    silent.transcript = { status: 'unavailable', reason: 'no speech model --> install one', words: [], utterances: [] };
    const vtt = parseVtt(exportDocument(silent, 'vtt', options));
    assert.equal(vtt.cues.length, 0);
    assert.match(vtt.notes.join('\n'), /unavailable: no speech model/);
  });

  it('Label Studio: regions cover exactly the frames of each track, with final labels in annotations and model labels in predictions', () => {
    const task = labelStudioTask(doc, options);
    const fps = doc.media.fps;
    const frameOfSample = (p: number) => Math.round(doc.frames[p]!.timeSec * fps) + 1;
    const lastFrame = Math.round(doc.media.durationSec * fps);
    /** Expected video frame → label per track, built from the fixture's table rather than from the exporter. */
    const expected = (labelAt: (frame: number, track: number) => string | undefined) => {
      const map = new Map<string, string>();
      doc.frames.forEach((_, p) => {
        const end = p + 1 < doc.frames.length ? frameOfSample(p + 1) - 1 : lastFrame;
        for (const track of [1, 2]) {
          const label = labelAt(p, track);
          if (label === undefined) continue;
          for (let f = frameOfSample(p); f <= end; f++) map.set(`${track}@${f}`, label);
        }
      });
      return map;
    };
    const covered = (regions: LabelStudioRegion[]) => {
      const map = new Map<string, string>();
      for (const r of regions) {
        assert.equal(r.type, 'timelinelabels');
        assert.equal(r.meta.text.length, 1, 'one note per region (the editor shows the first)');
        const track = Number(/^track (\d+)( \((human|model)\))?$/.exec(r.meta.text[0]!)![1]);
        for (const range of r.value.ranges) {
          assert.ok(Number.isInteger(range.start) && range.end >= range.start && range.start >= 1 && range.end <= lastFrame);
          for (let f = range.start; f <= range.end; f++) {
            assert.ok(!map.has(`${track}@${f}`), `frame ${f} of track ${track} is covered twice`);
            map.set(`${track}@${f}`, r.value.timelinelabels[0]!);
          }
        }
      }
      return map;
    };
    assert.deepEqual(covered(task.predictions[0]!.result), expected((f, t) => TRACK_LABELS[t]?.[f]));
    assert.ok(task.annotations, 'a corrected document carries annotations');
    // Annotations are what a reviewer did: only the corrected sample, never the model's labels.
    const human = task.annotations[0]!.result;
    assert.ok(human.every((r) => r.meta.text[0]!.endsWith('(human)')));
    assert.deepEqual(human.map((r) => [r.value.ranges[0], r.value.timelinelabels[0]]), [[{ start: 6, end: 10 }, 'happy']]);
    assert.equal(task.predictions.length, 1, 'no adapted prediction without an adaptation');
    assert.ok(task.predictions[0]!.result.every((r) => typeof r.score === 'number' && r.score > 0 && r.score <= 1));
  });

  it('Label Studio: no annotations for an unreviewed document; videoUrl is used as given; the config lists the labels', () => {
    const unreviewed = exportFixture();
    unreviewed.corrections = [];
    const task = labelStudioTask(unreviewed, { ...options, videoUrl: '/data/local-files/?d=study/clip%20one.mp4' });
    assert.equal(task.annotations, undefined);
    assert.equal(task.data.video, '/data/local-files/?d=study/clip%20one.mp4');
    const config = parseXml(labelStudioConfig(unreviewed));
    assert.deepEqual(findAll(config, 'Label').map((l) => l.attributes.value), LABELS);
    assert.equal(findAll(config, 'Video')[0]!.attributes.frameRate, '25');
    assert.equal(findAll(config, 'TimelineLabels')[0]!.attributes.toName, findAll(config, 'Video')[0]!.attributes.name);
  });

  it('Label Studio refuses an image document with a one-line error naming it', () => {
    const image: AnnotationDocument = { ...exportFixture(), media: { ...exportFixture().media, kind: 'image', fps: 0, durationSec: 0 } };
    assert.throws(() => exportDocument(image, 'labelstudio', options), (error: unknown) => error instanceof EmotionLensError && error.message.includes(FIXTURE_DOCUMENT_PATH) && !error.message.includes('\n'));
  });

  it('training JSON: a record per frame and face with final label and source, utterances with sentiment and words', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', options)) as TrainingExport;
    assert.equal(parsed.records.length, doc.frames.reduce((n, f) => n + f.faces.length, 0));
    for (const r of parsed.records) assert.equal(r.label, finalLabelAt(r.frameIndex, r.trackId));
    const human = parsed.records.filter((r) => r.source === 'human');
    assert.deepEqual(human.map((r) => [r.frameIndex, r.trackId, r.label, r.confidence, r.modelLabel]), [[1, 1, 'happy', 1, 'neutral']]);
    assert.deepEqual(parsed.corrections, { applied: 1, unmatched: 0 });
    assert.deepEqual(parsed.labels, LABELS);
    assert.deepEqual(parsed.provenance, doc.provenance);
    assert.deepEqual(parsed.utterances.map((u) => [u.text, u.sentiment.label, u.words.length]), [['Great, she said', 'positive', 3], ['not so "good" & <sad>', 'negative', 5]]);
    assert.equal(parsed.segments.length, doc.segments.length);
  });

  it('training JSON: each utterance with its voice, the voice summary and every voice segment as in the document', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', options)) as TrainingExport;
    assert.deepEqual(parsed.utterances.map((u) => u.voice), doc.transcript.utterances.map((u) => u.voice));
    assert.deepEqual(parsed.utterances.map((u) => [u.voice?.arousal, u.voice?.wordsPerSecond]), [[1.28, 4.286], [-0.62, 9.091]]);
    assert.deepEqual(parsed.voiceSegments, VOICE_SEGMENTS);
    const { segments: _segments, ...summary } = doc.voice;
    assert.deepEqual(parsed.voice, summary);
    assert.deepEqual(parsed.segments.map((s) => s.voice?.segmentIndex), [0, 1]);
    // Utterances analysed without the voice have no voice key at all.
    const older = exportFixture();
    for (const u of older.transcript.utterances) delete u.voice;
    assert.ok((JSON.parse(exportDocument(older, 'json', options)) as TrainingExport).utterances.every((u) => !('voice' in u)));
  });

  it('every format has a distinct file name beside the document', () => {
    const names = EXPORT_FORMAT_IDS.map((f: ExportFormat) => exportPathFor('/x/clip.mp4.emotion.json', f));
    assert.deepEqual(names, ['/x/clip.mp4.training.json', '/x/clip.mp4.frames.csv', '/x/clip.mp4.pyfeat.csv', '/x/clip.mp4.voice.csv', '/x/clip.mp4.eaf', '/x/clip.mp4.vtt', '/x/clip.mp4.labelstudio.json']);
    assert.equal(exportPathFor('/x/clip.mp4.emotion.json', 'csv', '/out'), '/out/clip.mp4.frames.csv');
  });
});

describe('exports: audio-only documents', () => {
  const doc = audioFixture();
  const audioOptions = { documentPath: AUDIO_DOCUMENT_PATH };

  it('the audio fixture is a valid annotation document', () => {
    assert.deepEqual(annotationProblems(doc), []);
  });

  it('training JSON: no records, the utterances with their voice and the voice segments', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', audioOptions)) as TrainingExport;
    assert.equal(parsed.media.kind, 'audio');
    assert.deepEqual(parsed.records, []);
    assert.equal(parsed.utterances.length, 2);
    assert.ok(parsed.utterances.every((u) => u.voice !== undefined && u.words.length > 0));
    assert.deepEqual(parsed.voiceSegments, VOICE_SEGMENTS);
  });

  it('voice CSV: its voice segments; the frames CSV and Label Studio refuse it in one line naming it and saying where to look', () => {
    assert.equal(parseCsv(exportDocument(doc, 'voice', audioOptions)).length, 1 + VOICE_SEGMENTS.length);
    const oneLine = (pattern: RegExp) => (error: unknown) => error instanceof EmotionLensError && error.message.includes(AUDIO_DOCUMENT_PATH) && pattern.test(error.message) && !error.message.includes('\n');
    assert.throws(() => exportDocument(doc, 'csv', audioOptions), oneLine(/cannot export as csv: the per-frame CSV holds video frames, and this document is of an audio file: its voice segments are in the voice CSV \(\.voice\.csv\)/));
    assert.throws(() => exportDocument(doc, 'labelstudio', audioOptions), oneLine(/is of an audio file/));
    assert.throws(() => labelStudioTask(doc, audioOptions), oneLine(/is of an audio file\. Use the json, voice or elan export for audio/));
  });

  it('ELAN: the recording linked as audio, no face tiers, transcript and voice tiers', () => {
    const root = parseXml(exportDocument(doc, 'elan', audioOptions));
    const media = findAll(root, 'MEDIA_DESCRIPTOR')[0]!;
    assert.equal(media.attributes.MIME_TYPE, 'audio/x-wav');
    assert.equal(media.attributes.RELATIVE_MEDIA_URL, './clip%20one.wav');
    assert.deepEqual(findAll(root, 'TIER').map((t) => t.attributes.TIER_ID), ['transcript', 'words', 'sentiment', 'voice arousal', 'voice pitch']);
    const values = findAll(root, 'TIER').map((t) => findAll(t, 'ALIGNABLE_ANNOTATION').length);
    assert.deepEqual(values, [2, 8, 2, 3, 3]);
  });

  it('WebVTT: the transcript as for a video', () => {
    assert.equal(parseVtt(exportDocument(doc, 'vtt', audioOptions)).cues.length, 2);
  });

  it('exportToFile of the frames CSV writes nothing and says why', async () => {
    const temp = makeTempDir();
    try {
      const docPath = path.join(temp.dir, 'clip one.wav.emotion.json');
      await writeAnnotationDocument(docPath, doc);
      await assert.rejects(exportToFile(docPath, 'csv'), (error: unknown) => error instanceof EmotionLensError && error.message.includes(docPath) && /audio file/.test(error.message));
      assert.deepEqual(await exportToFile(docPath, 'voice'), [path.join(temp.dir, 'clip one.wav.voice.csv')]);
      assert.deepEqual(readdirSync(temp.dir).sort(), ['clip one.wav.emotion.json', 'clip one.wav.voice.csv']);
    } finally {
      temp.cleanup();
    }
  });
});

describe('exports: speaker groups for the dataset table', () => {
  it('by default, the folder of the media path; a file given by name, the name of the folder it is in', () => {
    assert.deepEqual(speakerGroupOf('Actor_01/03-01-05-01-02-01-01.wav', '/corpus/Actor_01'), { group: 'Actor_01' });
    assert.deepEqual(speakerGroupOf('site a/Actor_01/x.wav', '/corpus/site a/Actor_01'), { group: 'site a/Actor_01' });
    assert.deepEqual(speakerGroupOf('x.wav', '/corpus/Actor_07'), { group: 'Actor_07' });
    assert.deepEqual(speakerGroupOf('x.wav', '/'), { group: '.' });
  });

  it('with a pattern, its first capture group on the file name; a name it does not match keeps its folder, with a one-line warning', () => {
    const ravdess = parseSpeakerPattern('-(\\d+)\\.wav$');
    assert.deepEqual(speakerGroupOf('all/03-01-05-01-02-01-12.wav', '/c/all', ravdess), { group: '12' });
    // The pattern sees the file name only, not the folders.
    assert.deepEqual(speakerGroupOf('actor-99.wav/03-01-05-01-02-01-12.wav', '/c', ravdess).group, '12');
    const missed = speakerGroupOf('all/notes.wav', '/c/all', ravdess);
    assert.equal(missed.group, 'all');
    assert.match(missed.warning ?? '', /^all\/notes\.wav: --speaker-pattern .* does not match the file name notes\.wav; grouped by its folder 'all'$/);
    // An optional group that took no part in the match is no match.
    assert.equal(speakerGroupOf('a/b.wav', '/c/a', parseSpeakerPattern('^(x)?b')).group, 'a');
  });

  it('an invalid pattern, or one without a capture group, is one line saying so', () => {
    assert.throws(() => parseSpeakerPattern('-(\\d+\\.wav$'), /^Error: '-\(\\d\+\\\.wav\$' is not a valid regular expression \(.*\)$/);
    assert.throws(() => parseSpeakerPattern('\\d+\\.wav$'), /has no capture group/);
    assert.throws(() => parseSpeakerPattern('['), (error: unknown) => error instanceof Error && !error.message.includes('\n'));
  });

  it('running mean and sample SD match the two-pass ones; z-scores are null below two values or without spread', () => {
    const values = [0.4, -1.2, 3.3, 0.05, 2.2, -0.7];
    const stats = new RunningStats();
    for (const v of values) stats.add(v);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    assert.ok(Math.abs(stats.mean - mean) < 1e-12 && Math.abs(stats.sd - sd) < 1e-12);
    assert.ok(Math.abs(stats.zScore(3.3)! - (3.3 - mean) / sd) < 1e-12);
    const one = new RunningStats();
    one.add(1);
    assert.equal(one.zScore(1), null);
    const flat = new RunningStats();
    for (let i = 0; i < 4; i++) flat.add(0.3);
    assert.equal(flat.zScore(0.3), null);
  });
});

describe('exports: files', () => {
  it('exportToFile validates the document, writes the export (and Label Studio its config) atomically beside it', async () => {
    const temp = makeTempDir();
    try {
      const docPath = path.join(temp.dir, 'clip one.mp4.emotion.json');
      const doc = exportFixture();
      await writeAnnotationDocument(docPath, doc);
      const written = await exportToFile(docPath, 'labelstudio');
      assert.deepEqual(written, [path.join(temp.dir, 'clip one.mp4.labelstudio.json'), path.join(temp.dir, 'clip one.mp4.labelstudio.xml')]);
      assert.equal(readFileSync(written[0]!, 'utf8'), exportDocument(doc, 'labelstudio', { documentPath: docPath }));
      const csvPath = path.join(temp.dir, 'out', 'frames.csv');
      assert.deepEqual(await exportToFile(docPath, 'csv', csvPath), [csvPath]);
      assert.equal(readFileSync(csvPath, 'utf8'), exportDocument(doc, 'csv', { documentPath: docPath }));

      const badPath = path.join(temp.dir, 'bad.mp4.emotion.json');
      writeFileSync(badPath, JSON.stringify({ ...doc, labels: 'happy' }));
      await assert.rejects(exportToFile(badPath, 'csv'), (error: unknown) => error instanceof EmotionLensError && error.message.includes(badPath));
      await assert.rejects(exportToFile(path.join(temp.dir, 'missing.emotion.json'), 'csv'), /not found/);
      assert.deepEqual(readdirSync(temp.dir).sort(), ['bad.mp4.emotion.json', 'clip one.mp4.emotion.json', 'clip one.mp4.labelstudio.json', 'clip one.mp4.labelstudio.xml', 'out'], 'nothing else written, no temporary file left');
    } finally {
      temp.cleanup();
    }
  });
});
