// The voice as `npm run eval` measures it and as a user gets it, on development data only: RAVDESS actors 01 and
// 02 (16 kHz, as shared) and 04 (48 kHz FLAC as distributed, the actor whose arousal is hardest to read) laid out
// one folder per actor, and jfk.wav, analysed by `node dist/cli.js analyze`; the documents' whole-recording
// measures against Praat on the original files, at both rates; the dataset table's arousal (scored on each
// actor's own scale) against the acted arousal, and against the method chosen by leave-one-speaker-out.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AROUSAL_WEIGHTS } from '../../src/core/voice/arousal';
import { aucPerActor, pooledAuc, recordingScores, segmentArousal } from '../../scripts/evaluation/arousalSelection';
import { analyzeVoiceCorpus, devCorpus, measuredAt, praatRows, productScores } from '../../scripts/evaluation/voiceEvaluation';
import type { DevCorpus, VoiceRun } from '../../scripts/evaluation/voiceEvaluation';
import { praatAgreement, praatAgreementTable } from '../../scripts/evaluation/praatAgreement';
import { noPraatReason } from '../helpers/praatReference';
import { noFfmpegReason } from '../helpers/mediaFixtures';
import { mediaDir, mediaFile, modelsDir, noMediaReason, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';

/** Measured here: 0.959, 1.000 and 0.834 (the method before issue 23: 0.961, 1.000, 0.794); 0.933 over the three at once. */
const MIN_AUC: Record<string, number> = { '01': 0.93, '02': 0.95, '04': 0.8 };
const MIN_POOLED_AUC = 0.92;

describe('the voice of RAVDESS actors 01, 02 and 04 and jfk.wav, through the CLI and the dataset table', skipUnless(noFfmpegReason, noModelsReason, noMediaReason, noPraatReason), () => {
  let corpus: DevCorpus;
  let run: VoiceRun;
  before(async () => {
    corpus = devCorpus(mediaDir!, ['01', '02', '04']);
    run = await analyzeVoiceCorpus(path.join(repoRoot, 'dist', 'cli.js'), corpus.dir, [mediaFile('speech', 'jfk.wav')], { ...process.env, EMOTION_LENS_MODELS: modelsDir });
  });
  after(() => corpus?.cleanup());

  it('every recording is measured at its own rate, has voice segments, a raw arousal, and no baseline of its own', () => {
    assert.equal(run.documents.length, 181);
    assert.equal(measuredAt(run, 16000).length, 121, 'actors 01 and 02 and jfk.wav are 16 kHz');
    // Actor 04 as distributed: 48 kHz, but for one take at 22.05 kHz.
    assert.equal(measuredAt(run, 48000).length, 59);
    assert.deepEqual(measuredAt(run, 22050).map((d) => path.basename(d.file)), ['03-01-04-01-01-01-04.flac']);
    for (const { file, doc } of run.documents) {
      assert.equal(doc.voice.status, 'ok', `${path.basename(file)}: ${doc.voice.reason ?? ''}`);
      if (path.basename(file) === 'jfk.wav') continue;
      assert.equal(doc.voice.baseline.scope, 'none', 'one sentence is too short to be its own baseline');
      assert.ok(doc.voice.segments.some((s) => s.arousalRaw !== null), path.basename(file));
    }
  });

  it('16 kHz originals: the documents measure whole recordings as Praat does (F0 mean within 0.5 st for 90 %, r per measure)', async () => {
    const rows = await praatRows(measuredAt(run, 16000));
    console.log(praatAgreementTable(rows));
    const agreement = praatAgreement(rows);
    assert.ok(agreement.f0WithinHalfSemitone >= 0.9, `${(100 * agreement.f0WithinHalfSemitone).toFixed(1)} % within 0.5 st`);
    const r = (feature: string) => agreement.features.find((f) => f.feature === feature)!.pearsonR;
    // Measured: r 1.000 for every measure, F0 mean 100 % within 0.5 st (the engine lays frames as Praat does).
    const measured = agreement.features.map((f) => `${f.feature} r=${f.pearsonR.toFixed(3)}`).join(', ');
    assert.ok(r('intensity') > 0.99 && r('HNR') > 0.95 && r('F0 SD') > 0.9 && r('jitter (local)') > 0.85 && r('shimmer (local)') > 0.8, measured);
  });

  it('48 kHz originals (every 6th of actor 04): jitter, shimmer and HNR as Praat measures them on the original file', async () => {
    const rows = await praatRows(measuredAt(run, 48000).filter((_, i) => i % 6 === 0));
    console.log(praatAgreementTable(rows));
    const agreement = praatAgreement(rows);
    assert.equal(agreement.f0WithinHalfSemitone, 1);
    // Measured: 0.000 median difference for each. Measured at 16 kHz instead, the same files are off by a median
    // 0.07 % jitter, 0.02 dB shimmer and 0.65 dB HNR (HNR +0.74 dB on average).
    for (const [name, maxMedian] of [['jitter (local)', 0.01], ['shimmer (local)', 0.005], ['HNR', 0.05], ['F0 mean', 0.01]] as const) {
      const f = agreement.features.find((x) => x.feature === name)!;
      assert.ok(f.medianAbsDifference <= maxMedian && f.pearsonR > 0.99, `${name}: median |diff| ${f.medianAbsDifference}, r ${f.pearsonR}`);
    }
  });

  it('separates high from low acted arousal on each actor\'s scale, and the table\'s arousal is the method docs/voice.md describes', () => {
    const scores = productScores(run.rows);
    const perActor = aucPerActor(scores);
    console.log(`arousal AUC: ${[...perActor].map(([a, auc]) => `actor ${a} ${auc.toFixed(3)}`).join(', ')}; over the three ${pooledAuc(scores).toFixed(3)}; analyze took ${run.analyzeSec.toFixed(1)} s`);
    assert.deepEqual([...perActor.keys()], ['01', '02', '04']);
    for (const [actor, auc] of perActor) assert.ok(auc >= MIN_AUC[actor]!, `actor ${actor}: AUC ${auc}`);
    assert.ok(pooledAuc(scores) >= MIN_POOLED_AUC, `pooled AUC ${pooledAuc(scores)}`);
    // The way chosen by leave-one-speaker-out, computed by the evaluation from the table's own measures.
    const chosen = recordingScores(run.rows, segmentArousal(run.rows, { pitch: 'f0_mean_semitones', level: 'loudness', pitchWeight: AROUSAL_WEIGHTS.pitch, scale: 'robust', weighting: 'duration' }));
    assert.equal(chosen.size, scores.size);
    for (const [file, score] of scores) assert.ok(Math.abs(score - chosen.get(file)!) < 1e-4, `${file}: ${score} vs ${chosen.get(file)}`);
  });
});
