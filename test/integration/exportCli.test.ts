// `emotion-lens export` as a user runs it, on a real document made by `emotion-lens analyze` of a real video,
// with a human correction injected: every format is written, parses, and carries the human label and the voice.
// Then an audio-only document (formats that cannot hold it are skipped or refused in one line) and the options.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { readAnnotationDocument, writeAnnotationDocument } from '../../src/core/document/annotationFile';
import type { LabelStudioTask } from '../../src/core/export/labelStudio';
import type { TrainingExport } from '../../src/core/export/trainingJson';
import { findAll, parseCsv, parseVtt, parseXml } from '../helpers/exportParsers';
import { FEAT_EMOTION_COLUMNS, FEAT_FACEBOX_COLUMNS, FEAT_FACEPOSE_COLUMNS, OPENFACE_2D_LANDMARK_COLUMNS, readFeatLike } from '../helpers/pyFeatReader';
import { noFfmpegReason, sharedVideos } from '../helpers/mediaFixtures';
import { makeDocument } from '../helpers/documentBuilder';
import { exportFixture } from '../helpers/exportFixture';
import { cliPath, runCli } from '../helpers/cliRunner';
import { makeTempDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const canRun = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

describe('emotion-lens export', canRun, () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  const docDir = path.join(temp.dir, 'documents');
  const docPath = path.join(docDir, 'Obama_clip1_face_speech.mp4.emotion.json');
  let doc: AnnotationDocument;
  /** The injected correction: a face the model labelled one way, relabelled with its least likely label. */
  let corrected: { frameIndex: number; timeSec: number; trackId: number; label: string };

  before(async () => {
    const analyzed = await runCli(['analyze', sharedVideos.obama(), '--out', docDir]);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    doc = await readAnnotationDocument(docPath);
    const frame = doc.frames.find((f) => f.index >= 10 && f.faces.length > 0);
    assert.ok(frame, 'the analysed video has faces');
    const face = frame.faces[0]!;
    const label = doc.labels[face.probs.indexOf(Math.min(...face.probs))]!;
    assert.notEqual(label, face.label);
    corrected = { frameIndex: frame.index, timeSec: frame.timeSec, trackId: face.trackId, label };
    doc.corrections.push({ ...corrected, modelLabel: face.label, createdAt: new Date().toISOString() });
    await writeAnnotationDocument(docPath, doc);
  });

  it('--format all writes every format beside each other; each parses and holds the human label', async () => {
    const before = await fs.readFile(docPath, 'utf8');
    const out = path.join(temp.dir, 'exports');
    const result = await runCli(['export', docPath, '--format', 'all', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1 of 1 document\(s\) exported/);
    const stem = path.join(out, 'Obama_clip1_face_speech.mp4');
    // The voice CSV is there when the analysis found voice segments; otherwise a note says why it was skipped.
    const hasVoice = doc.voice.segments.length > 0;
    if (!hasVoice) assert.match(result.stdout, /\(voice skipped: it has no voice segments \(voice /);
    assert.deepEqual(readdirSync(out).sort(), ['eaf', 'frames.csv', 'labelstudio.json', 'labelstudio.xml', 'pyfeat.csv', 'training.json', 'vtt', ...(hasVoice ? ['voice.csv'] : [])].map((s) => `Obama_clip1_face_speech.mp4.${s}`).sort());
    assert.equal(await fs.readFile(docPath, 'utf8'), before, 'the document is not modified');

    const training = JSON.parse(await fs.readFile(`${stem}.training.json`, 'utf8')) as TrainingExport;
    assert.equal(training.records.length, doc.frames.reduce((n, f) => n + f.faces.length, 0));
    const record = training.records.find((r) => r.frameIndex === corrected.frameIndex && r.trackId === corrected.trackId)!;
    assert.deepEqual([record.label, record.source, record.confidence], [corrected.label, 'human', 1]);
    assert.equal(training.records.filter((r) => r.source === 'human').length, 1);

    const rows = parseCsv(await fs.readFile(`${stem}.frames.csv`, 'utf8'));
    const header = rows[0]!;
    const row = rows.find((r) => r[header.indexOf('sample_index')] === String(corrected.frameIndex) && r[header.indexOf('track_id')] === String(corrected.trackId))!;
    assert.deepEqual([row[header.indexOf('label')], row[header.indexOf('label_source')]], [corrected.label, 'human']);
    // OpenFace's numbering: the video frame from 1, people from 0.
    assert.deepEqual([row[0], row[1]], [String(Math.round(corrected.timeSec * doc.media.fps) + 1), String(corrected.trackId - 1)]);
    assert.equal(training.frames.length, doc.frames.length, 'every sampled frame, faceless ones too');

    // Py-Feat: read as read_feat reads it; its frame is the 0-based video frame, its emotions our probabilities.
    const fex = readFeatLike(await fs.readFile(`${stem}.pyfeat.csv`, 'utf8'));
    assert.equal(fex.rows, rows.length - 1);
    for (const names of [FEAT_EMOTION_COLUMNS, FEAT_FACEBOX_COLUMNS, OPENFACE_2D_LANDMARK_COLUMNS, FEAT_FACEPOSE_COLUMNS, ['frame']]) fex.select(names);
    assert.equal(fex.dtypes.frame, 'int64');
    assert.ok(FEAT_EMOTION_COLUMNS.every((c) => fex.dtypes[c] === 'float64') && FEAT_FACEBOX_COLUMNS.every((c) => fex.dtypes[c] === 'float64'));
    assert.ok(fex.auColumns.every((c) => /^AU\d\d$/.test(c)), 'no column of ours is taken for an action unit');
    assert.deepEqual(fex.column('frame'), rows.slice(1).map((r) => Number(r[0]) - 1));
    const emotions = fex.select(FEAT_EMOTION_COLUMNS);
    const pyfeatHuman = fex.column('label_source').indexOf('human');
    assert.deepEqual([fex.column('sample_index')[pyfeatHuman], fex.column('track_id')[pyfeatHuman], fex.column('label')[pyfeatHuman]], [corrected.frameIndex, corrected.trackId, corrected.label]);
    emotions.forEach((e, r) => assert.ok(Number.isNaN(fex.column('track_id')[r] as number) || Math.abs(e.reduce((a, b) => a + b, 0) - 1) < 1e-4, `row ${r} sums to 1`));
    assert.equal(rows.length - 1, doc.frames.reduce((n, f) => n + Math.max(1, f.faces.length), 0));
    // Each row's voice columns name the voice segment holding its time.
    for (const r of rows.slice(1)) {
      const t = Number(r[header.indexOf('timestamp')]);
      const index = doc.voice.segments.findIndex((v) => v.startSec <= t && t < v.endSec);
      assert.equal(r[header.indexOf('voice_segment')], index < 0 ? '' : String(index), `voice segment at ${t} s`);
    }
    assert.equal(training.voiceSegments.length, doc.voice.segments.length);
    if (hasVoice) assert.equal(parseCsv(await fs.readFile(`${stem}.voice.csv`, 'utf8')).length - 1, doc.voice.segments.length);

    const eaf = parseXml(await fs.readFile(`${stem}.eaf`, 'utf8'));
    const media = findAll(eaf, 'MEDIA_DESCRIPTOR')[0]!;
    assert.ok(existsSync(fileURLToPath(media.attributes.MEDIA_URL!)), `MEDIA_URL ${media.attributes.MEDIA_URL} points at the video`);
    assert.ok(existsSync(path.resolve(out, decodeURIComponent(media.attributes.RELATIVE_MEDIA_URL!))), 'RELATIVE_MEDIA_URL resolves from the .eaf');
    const slots = new Map(findAll(eaf, 'TIME_SLOT').map((s) => [s.attributes.TIME_SLOT_ID!, Number(s.attributes.TIME_VALUE)]));
    const tier = findAll(eaf, 'TIER').find((t) => t.attributes.TIER_ID === `face ${corrected.trackId}`)!;
    const at = Math.round(corrected.timeSec * 1000);
    const covering = findAll(tier, 'ALIGNABLE_ANNOTATION').find((a) => slots.get(a.attributes.TIME_SLOT_REF1!)! <= at && at < slots.get(a.attributes.TIME_SLOT_REF2!)!);
    assert.equal(findAll(covering!, 'ANNOTATION_VALUE')[0]!.text, corrected.label);

    for (const id of ['voice arousal', 'voice pitch']) {
      const voiceTier = findAll(eaf, 'TIER').find((t) => t.attributes.TIER_ID === id)!;
      assert.equal(findAll(voiceTier, 'ALIGNABLE_ANNOTATION').length, doc.voice.segments.length, `${id}: one annotation per voice segment`);
    }

    const vtt = parseVtt(await fs.readFile(`${stem}.vtt`, 'utf8'));
    assert.equal(vtt.cues.length, doc.transcript.utterances.length);
    if (doc.transcript.status === 'ok') assert.ok(vtt.cues.length > 0, 'the Obama clip has speech');

    const [task] = JSON.parse(await fs.readFile(`${stem}.labelstudio.json`, 'utf8')) as LabelStudioTask[];
    assert.ok(existsSync(task!.data.video), 'data.video defaults to the video file');
    const frame = Math.round(corrected.timeSec * doc.media.fps) + 1;
    const human = task!.annotations![0]!.result.filter((r) => r.meta.text[0]!.endsWith('(human)'));
    assert.equal(human.length, 1);
    assert.equal(human[0]!.value.timelinelabels[0], corrected.label);
    assert.equal(task!.annotations![0]!.result.length, 1, 'annotations hold the human label only');
    assert.ok(human[0]!.value.ranges[0]!.start === frame && human[0]!.meta.text[0] === `track ${corrected.trackId} (human)`);
    const config = parseXml(await fs.readFile(`${stem}.labelstudio.xml`, 'utf8'));
    const [emotion, speaker] = findAll(config, 'TimelineLabels');
    assert.deepEqual(findAll(emotion!, 'Label').map((l) => l.attributes.value), doc.labels);
    // The utterances sit on the speaker timeline, each labelled with one of its labels.
    const utterances = task!.predictions[0]!.result.filter((r) => r.from_name === speaker!.attributes.name);
    assert.equal(utterances.length, doc.transcript.utterances.length);
    const speakers = findAll(speaker!, 'Label').map((l) => l.attributes.value);
    assert.ok(utterances.length > 0 && utterances.every((r) => speakers.includes(r.value.timelinelabels[0]!)), speakers.join(', '));
  });

  it('--video-url-prefix sets the video URL Label Studio loads', async () => {
    const out = path.join(temp.dir, 'exports-url');
    const result = await runCli(['export', docDir, '--format', 'labelstudio', '--out', out, '--video-url-prefix', '/data/local-files/?d=videos/']);
    assert.equal(result.code, 0, result.stderr);
    const [task] = JSON.parse(await fs.readFile(path.join(out, 'Obama_clip1_face_speech.mp4.labelstudio.json'), 'utf8')) as LabelStudioTask[];
    assert.equal(task!.data.video, '/data/local-files/?d=videos/Obama_clip1_face_speech.mp4');
  });

  it('a malformed document: one error line naming it, exit 1, nothing written; the good one beside it is exported', async () => {
    const badDir = path.join(temp.dir, 'bad');
    await fs.mkdir(badDir);
    const truncated = path.join(badDir, 'truncated.mp4.emotion.json');
    await fs.writeFile(truncated, (await fs.readFile(docPath, 'utf8')).slice(0, 5000));
    const out = path.join(temp.dir, 'bad-out');
    const alone = await runCli(['export', truncated, '--format', 'all', '--out', out]);
    assert.equal(alone.code, 1);
    const errors = alone.stderr.split('\n').filter((l) => l !== '');
    assert.equal(errors.length, 1, alone.stderr);
    assert.ok(errors[0]!.startsWith('✗') && errors[0]!.includes(truncated), errors[0]);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, 'nothing written');

    const invalid = path.join(badDir, 'invalid.mp4.emotion.json');
    await fs.writeFile(invalid, JSON.stringify({ ...doc, frames: 'not a list' }));
    const batch = await runCli(['export', invalid, docPath, path.join(badDir, 'missing.emotion.json'), '--format', 'csv', '--out', out]);
    assert.equal(batch.code, 1);
    const lines = batch.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2, batch.stderr);
    assert.ok(lines.some((l) => l.includes(invalid) && /not a valid/.test(l)) && lines.some((l) => l.includes('missing.emotion.json') && /not found/.test(l)), batch.stderr);
    assert.deepEqual(readdirSync(out), ['Obama_clip1_face_speech.mp4.frames.csv']);
  });

  it('an unknown format is a usage error (exit 2) and writes nothing', async () => {
    const result = await runCli(['export', docPath, '--format', 'pdf']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown export format 'pdf'/);
  });
});

const noCliReason = existsSync(cliPath) ? undefined : `${cliPath} is not built (npm run build)`;

describe('emotion-lens export of an audio-only document', skipUnless(noCliReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  const docPath = path.join(temp.dir, 'take 1.wav.emotion.json');

  before(async () => {
    // The fixture's transcript and voice, as a recording with no picture: no frames, faces or corrections.
    const fixture = exportFixture();
    const doc = makeDocument([]);
    doc.media = { ...doc.media, path: 'take 1.wav', kind: 'audio', durationSec: 1.6, fps: 0, width: 0, height: 0, hasAudio: true, audioCodec: 'pcm_s16le' };
    doc.transcript = fixture.transcript;
    doc.voice = fixture.voice;
    doc.segments = fixture.segments.map((s) => ({ ...s, faces: [], disagreement: false, flags: [] }));
    await writeAnnotationDocument(docPath, doc);
  });

  it('--format all writes the formats that hold it and notes, in one line each, the three that do not', async () => {
    const out = path.join(temp.dir, 'all');
    const result = await runCli(['export', docPath, '--format', 'all', '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['eaf', 'training.json', 'voice.csv', 'vtt'].map((s) => `take 1.wav.${s}`).sort());
    assert.match(result.stdout, /\(csv skipped: the per-frame CSV holds video frames, and this document is of an audio file: its voice segments are in the voice CSV \(\.voice\.csv\)\)/);
    assert.match(result.stdout, /\(labelstudio skipped: Label Studio's video timeline needs a video, and this document is of an audio file\)/);
    assert.match(result.stdout, /\(pyfeat skipped: Py-Feat's CSV holds faces in video frames or images, and this document is of an audio file\)/);
    const training = JSON.parse(await fs.readFile(path.join(out, 'take 1.wav.training.json'), 'utf8')) as TrainingExport;
    assert.deepEqual([training.records.length, training.utterances.length, training.voiceSegments.length], [0, 2, 3]);
    assert.equal(parseCsv(await fs.readFile(path.join(out, 'take 1.wav.voice.csv'), 'utf8')).length, 4);
    const eaf = parseXml(await fs.readFile(path.join(out, 'take 1.wav.eaf'), 'utf8'));
    assert.equal(findAll(eaf, 'MEDIA_DESCRIPTOR')[0]!.attributes.MIME_TYPE, 'audio/x-wav');
  });

  it('--format csv, asked for by name, is one error line naming the document, exit 1, nothing written', async () => {
    const out = path.join(temp.dir, 'csv');
    const result = await runCli(['export', docPath, '--format', 'csv', '--out', out]);
    assert.equal(result.code, 1);
    const errors = result.stderr.split('\n').filter((l) => l !== '');
    assert.equal(errors.length, 1, result.stderr);
    assert.ok(errors[0]!.startsWith(`✗ ${docPath}: cannot export as csv:`) && errors[0]!.includes('audio file'), errors[0]);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, 'nothing written');
  });
});

describe('emotion-lens export --speaker-pattern', skipUnless(noCliReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);

  it('is listed in the help', async () => {
    const result = await runCli(['export', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--speaker-pattern R +dataset: a recording's speaker group is the first capture group/);
    assert.match(result.stdout, /dataset\.voice\.csv \+ \.parquet/);
  });

  for (const [what, pattern, message] of [
    ['an invalid regular expression', '-(\\d+\\.wav$', /^emotion-lens: --speaker-pattern: '-\(\\d\+\\\.wav\$' is not a valid regular expression \(.+\)$/],
    ['a pattern without a capture group', '\\d+\\.wav$', /^emotion-lens: --speaker-pattern: '\\d\+\\\.wav\$' has no capture group/],
  ] as const) {
    it(`${what} is a usage error (exit 2) in one line naming the option, and writes nothing`, async () => {
      const out = path.join(temp.dir, 'table');
      const result = await runCli(['export', temp.dir, '--format', 'dataset', '--out', out, '--speaker-pattern', pattern]);
      assert.equal(result.code, 2);
      const [first] = result.stderr.split('\n');
      assert.match(first!, message);
      assert.ok(!existsSync(out), 'nothing written');
    });
  }

  it('without --format dataset it is a usage error saying so', async () => {
    const result = await runCli(['export', temp.dir, '--format', 'csv', '--speaker-pattern', '-(\\d+)\\.wav$']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^emotion-lens: --speaker-pattern groups the speakers of --format dataset, which was not asked for\n/);
  });
});
