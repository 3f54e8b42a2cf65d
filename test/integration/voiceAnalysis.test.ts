// The voice through the whole engine: speech recordings analysed like videos (no faces), voice segments found
// by Silero VAD (bundled) or by the energy rule without it, measured, and carried onto utterances and the
// timeline; a video with speech gets the same beside its faces.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { noFfmpegReason, runFfmpeg, sharedVideos } from '../helpers/mediaFixtures';
import { makeTempDir, mediaFile, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noFfmpegReason, noModelsReason, noMediaReason);

/** Silero VAD's phrases of jfk.wav, as ../shared/models/silero_vad/MODEL.md measured them with the python package. */
const JFK_PHRASES = [
  [0.29, 2.29],
  [3.26, 4.43],
  [5.37, 7.7],
  [8.16, 10.94],
];

describe('voice analysis through the engine', skip, () => {
  const temp = makeTempDir('emotion-lens-voice-');
  const session = new AnalysisSession();
  after(async () => {
    await session.close();
    temp.cleanup();
  });

  async function analyse(input: string, outName: string, overrides: Parameters<typeof makeRequest>[1] = {}, using = session): Promise<AnnotationDocument> {
    const outcome = await using.analyze(makeRequest(input, { outDir: temp.dir, outName, models: { modelsDir }, existingDocument: 'replace', ...overrides }));
    const doc = await readAnnotationDocument(outcome.outputPath);
    assert.deepEqual(annotationProblems(doc), [], 'the document is valid against the schema');
    return doc;
  }

  let jfk: AnnotationDocument;
  before(async () => {
    jfk = await analyse(mediaFile('speech', 'jfk.wav'), 'jfk.emotion.json');
  });

  it('a wav is analysed as audio: no frames, a transcript, and the voice', () => {
    assert.equal(jfk.media.kind, 'audio');
    assert.equal(jfk.media.width, 0);
    assert.deepEqual(jfk.frames, []);
    assert.equal(jfk.transcript.status, 'ok');
    assert.ok(jfk.transcript.words.length >= 15, `${jfk.transcript.words.length} words`);
    assert.equal(jfk.voice.status, 'ok');
    assert.equal(jfk.voice.segmentation, 'silero-vad');
    assert.equal(jfk.voice.sampleRateHz, 16000, 'a 16 kHz recording is measured at 16 kHz');
    assert.ok(jfk.provenance.models.some((m) => m.role === 'vad' && m.id === 'silero_vad'), 'the VAD model is in the provenance');
    assert.ok(!jfk.warnings.some((w) => /face/.test(w)), `no face warnings for a recording: ${jfk.warnings.join('; ')}`);
  });

  it('finds the four phrases where the Silero package finds them', () => {
    const spans = jfk.voice.segments.map((s) => [s.startSec, s.endSec]);
    assert.equal(spans.length, JFK_PHRASES.length, JSON.stringify(spans));
    spans.forEach(([start, end], i) => {
      assert.ok(Math.abs(start! - JFK_PHRASES[i]![0]!) < 0.1 && Math.abs(end! - JFK_PHRASES[i]![1]!) < 0.1, `phrase ${i}: ${start}-${end} vs ${JFK_PHRASES[i]}`);
    });
  });

  it('measures each segment and each utterance: a male voice, voiced, with a speaking rate', () => {
    for (const segment of jfk.voice.segments) {
      assert.ok(segment.f0MeanSemitones! > 25 && segment.f0MeanSemitones! < 45, `F0 ${segment.f0MeanSemitones} st`);
      assert.ok(segment.voicedFraction > 0.3, `voiced ${segment.voicedFraction}`);
      assert.ok(segment.intensityDb! > 50, `intensity ${segment.intensityDb}`);
      assert.ok(segment.hnrDb !== null && segment.jitterLocal !== null && segment.shimmerLocalDb !== null);
      assert.ok(segment.wordsPerSecond! > 0.5 && segment.wordsPerSecond! < 6, `rate ${segment.wordsPerSecond}`);
    }
    assert.ok(jfk.transcript.utterances.length > 0);
    for (const u of jfk.transcript.utterances) assert.ok(u.voice && u.voice.f0MeanSemitones !== null && u.voice.wordsPerSecond > 0, JSON.stringify(u.voice));
    assert.ok(jfk.voice.overall && jfk.voice.overall.voicedFraction > 0.2, 'a whole-recording summary');
  });

  it('11 s of speech is too little for a baseline: arousal is null and the reason says where to get it', () => {
    assert.equal(jfk.voice.baseline.scope, 'none');
    if (jfk.voice.baseline.scope === 'none') assert.match(jfk.voice.baseline.reason, /dataset/);
    assert.ok(jfk.voice.segments.every((s) => s.arousal === null && s.arousalRaw !== null));
  });

  it('the timeline of a recording carries the voice of each span', () => {
    const withVoice = jfk.segments.filter((s) => s.voice);
    assert.ok(withVoice.length >= 8, `${withVoice.length} timeline segments with voice`);
    assert.ok(jfk.segments.every((s) => s.faces.length === 0 && Array.isArray(s.flags)));
  });

  it('an mp3 with cover art is a recording too (the picture is not a video)', async () => {
    const cover = path.join(temp.dir, 'cover.png');
    const mp3 = path.join(temp.dir, 'jfk speech.mp3');
    await runFfmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=64x64', '-frames:v', '1', cover]);
    await runFfmpeg(['-i', mediaFile('speech', 'jfk.wav'), '-i', cover, '-map', '0:a', '-map', '1:v', '-c:a', 'libmp3lame', '-q:a', '4', '-c:v', 'png', '-disposition:v', 'attached_pic', mp3]);
    const doc = await analyse(mp3, 'jfk-mp3.emotion.json', { settings: { speech: false } });
    assert.equal(doc.media.kind, 'audio');
    assert.equal(doc.media.audioCodec, 'mp3');
    assert.equal(doc.voice.segments.length, jfk.voice.segments.length, 'the same phrases');
    const f0 = (d: AnnotationDocument) => d.voice.overall!.f0MeanSemitones!;
    assert.ok(Math.abs(f0(doc) - f0(jfk)) < 0.3, `mp3 ${f0(doc)} st vs wav ${f0(jfk)} st`);
    assert.equal(doc.transcript.status, 'disabled');
  });

  it('a 48 kHz recording: the voice measured at 48 kHz, the same phrases found, the words heard again (16 kHz read apart)', async () => {
    const wav48k = path.join(temp.dir, 'jfk 48k.wav');
    await runFfmpeg(['-i', mediaFile('speech', 'jfk.wav'), '-ar', '48000', '-c:a', 'pcm_s16le', wav48k]);
    const doc = await analyse(wav48k, 'jfk-48k.emotion.json');
    assert.equal(doc.voice.sampleRateHz, 48000);
    // Silero VAD sees our 16 kHz copy of the 48 kHz samples instead of ffmpeg's: the phrases stay put.
    const spans = doc.voice.segments.map((s) => [s.startSec, s.endSec]);
    assert.equal(spans.length, jfk.voice.segments.length, JSON.stringify(spans));
    spans.forEach(([start, end], i) => assert.ok(Math.abs(start! - jfk.voice.segments[i]!.startSec) < 0.05 && Math.abs(end! - jfk.voice.segments[i]!.endSec) < 0.05, `phrase ${i}: ${start}-${end}`));
    // The upsampled file holds nothing above 8 kHz: pitch and its periods read as at 16 kHz, to within resampling.
    const [ours, at16k] = [doc.voice.overall!, jfk.voice.overall!];
    assert.ok(Math.abs(ours.f0MeanSemitones! - at16k.f0MeanSemitones!) < 0.1, `F0 ${ours.f0MeanSemitones} vs ${at16k.f0MeanSemitones} st`);
    assert.ok(Math.abs(ours.jitterLocal! - at16k.jitterLocal!) < 0.002 && Math.abs(ours.hnrDb! - at16k.hnrDb!) < 0.5, `jitter ${ours.jitterLocal} vs ${at16k.jitterLocal}, HNR ${ours.hnrDb} vs ${at16k.hnrDb}`);
    const heard = new Set(doc.transcript.words.map((w) => w.text));
    const same = jfk.transcript.words.filter((w) => heard.has(w.text)).length;
    assert.ok(same >= 0.9 * jfk.transcript.words.length, `the recogniser still gets 16 kHz: ${same} of ${jfk.transcript.words.length} words heard again`);
    assert.equal(doc.media.analysedUntilSec?.audio, jfk.media.analysedUntilSec?.audio);
  });

  it('a video with speech: voice beside faces, on utterances and on the timeline', async () => {
    const doc = await analyse(sharedVideos.obama(), 'obama.emotion.json');
    assert.equal(doc.media.kind, 'video');
    assert.ok(doc.frames.some((f) => f.faces.length > 0));
    assert.equal(doc.voice.status, 'ok');
    assert.ok(doc.voice.segments.length >= 4, `${doc.voice.segments.length} voice segments`);
    assert.ok(doc.segments.some((s) => s.voice && s.faces.length > 0), 'a timeline span with both a face and a voice');
    assert.ok(doc.segments.every((s) => s.faces.every((f) => typeof f.arousal === 'number')));
  });

  it('--no-voice: the voice is not measured and the document says so', async () => {
    const doc = await analyse(mediaFile('speech', 'jfk.wav'), 'jfk-novoice.emotion.json', { settings: { voice: false, speech: false } });
    assert.equal(doc.voice.status, 'disabled');
    assert.deepEqual(doc.voice.segments, []);
    assert.equal(doc.provenance.settings.voice, false);
  });

  it('without the VAD model, speech is found by the energy rule, and a warning names what to do', async () => {
    const emptyModels = path.join(temp.dir, 'no-models');
    const previous = process.env.EMOTION_LENS_NO_BUNDLED_MODELS;
    process.env.EMOTION_LENS_NO_BUNDLED_MODELS = '1';
    const own = new AnalysisSession();
    try {
      const doc = await analyse(mediaFile('speech', 'jfk.wav'), 'jfk-energy.emotion.json', { settings: { speech: false }, models: { modelsDir: emptyModels, cacheDir: path.join(temp.dir, 'empty-cache') } }, own);
      assert.equal(doc.voice.segmentation, 'energy');
      assert.ok(doc.warnings.some((w) => /energy and voicing rule/.test(w) && /silero_vad/i.test(w)), doc.warnings.join('; '));
      assert.ok(doc.voice.segments.length >= 3 && doc.voice.segments.length <= 6, `${doc.voice.segments.length} segments`);
      const speechSec = doc.voice.segments.reduce((s, x) => s + x.endSec - x.startSec, 0);
      assert.ok(speechSec > 6 && speechSec < 10.5, `${speechSec} s of speech (Silero: 8.2 s)`);
    } finally {
      await own.close();
      if (previous === undefined) delete process.env.EMOTION_LENS_NO_BUNDLED_MODELS;
      else process.env.EMOTION_LENS_NO_BUNDLED_MODELS = previous;
    }
  });
});
