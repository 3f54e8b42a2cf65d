// Our voice measures against Praat's on real speech: the 120 RAVDESS recordings and jfk.wav (16 kHz), 12 RAVDESS
// originals at 48 kHz and the 4 at 22.05 kHz (voice/ravdess-dev), and 3 converted to 44.1 kHz, each read through
// the engine's own audio path (ffmpeg to mono s16 at the rate the engine measures the voice at, in 0.5 s chunks)
// and measured over the whole file, while Praat measures the original file with its standard commands
// (test/helpers/praatReference.ts). Prints the agreement tables (docs/voice.md "Agreement with Praat" holds the
// same numbers): as the engine streams without the length (frames start at the first full window), and with the
// recording's length given beforehand (`expectedSamples`: Praat's own frame layout), where the two should agree
// to rounding.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AgreementRow, PraatAgreement } from '../../scripts/evaluation/praatAgreement';
import { praatAgreement, praatAgreementTable } from '../../scripts/evaluation/praatAgreement';
import { readAudio, voiceSampleRate } from '../../src/core/media/audioReader';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { probeMedia } from '../../src/core/media/probe';
import type { FfmpegTools } from '../../src/core/media/mediaTypes';
import { VoiceTracker } from '../../src/core/voice/voiceTracker';
import { summariseVoice } from '../../src/core/voice/voiceSummary';
import { noFfmpegReason, runFfmpeg } from '../helpers/mediaFixtures';
import { noPraatReason, praatVoiceMeasures } from '../helpers/praatReference';
import { makeTempDir, mediaDir, noMediaReason, skipUnless } from '../helpers/testEnvironment';

const skip = skipUnless(noMediaReason, noFfmpegReason, noPraatReason);

function inputFiles(): string[] {
  const ravdess = path.join(mediaDir!, 'voice', 'ravdess');
  const wavs = readdirSync(ravdess).filter((name) => name.endsWith('.wav')).sort().map((name) => path.join(ravdess, name));
  return [...wavs, path.join(mediaDir!, 'speech', 'jfk.wav')];
}

/** Three recordings of each development actor recorded at 48 kHz (a neutral, an angry and a sad one). */
function originals48k(): string[] {
  return ['04', '05', '07', '08'].flatMap((actor) => ['01-01-01-01', '05-02-01-01', '04-02-02-02'].map((take) => path.join(mediaDir!, 'voice', 'ravdess-dev', `Actor_${actor}`, `03-01-${take}-${actor}.flac`)));
}

/** The takes of the development actors that RAVDESS distributes at 22.05 kHz (emotion-intensity-statement-repetition-actor). */
const ODD_RATE_TAKES = ['07-01-01-01-07', '04-01-01-01-04', '08-01-01-01-08', '05-02-02-01-05'];

/** The engine's audio of a file at `rate`, mono, as floats in [-1, 1) (s16 / 32768), in the reader's chunks. */
async function engineAudio(tools: FfmpegTools, file: string, rate: number): Promise<Float32Array[]> {
  const chunks: Float32Array[] = [];
  for await (const chunk of readAudio(tools, file, { sampleRate: rate })) chunks.push(Float32Array.from(chunk, (v) => v / 32768));
  return chunks;
}

interface Measured {
  rows: AgreementRow[];
  aligned: AgreementRow[];
  audioSec: number;
  trackerMs: number;
}

/**
 * Our measures of every file (both frame layouts) and Praat's, Praat running while we measure: at the rate the
 * engine measures the voice at (the file's own, capped at 48 kHz), or at `rate` when given.
 */
async function measureAll(files: string[], rate?: number): Promise<Measured> {
  const tools = await locateFfmpeg();
  const measured: Measured = { rows: [], aligned: [], audioSec: 0, trackerMs: 0 };
  for (const file of files) {
    const praat = praatVoiceMeasures(file);
    const sampleRate = rate ?? voiceSampleRate((await probeMedia(tools, file)).audioSampleRate);
    const chunks = await engineAudio(tools, file, sampleRate);
    const samples = chunks.reduce((n, c) => n + c.length, 0);
    const started = performance.now();
    const streamed = new VoiceTracker(sampleRate);
    for (const chunk of chunks) streamed.push(chunk);
    const track = streamed.finish();
    measured.trackerMs += performance.now() - started;
    measured.audioSec += samples / sampleRate;
    const aligned = new VoiceTracker(sampleRate, { expectedSamples: samples });
    for (const chunk of chunks) aligned.push(chunk);
    const alignedTrack = aligned.finish();
    const end = samples / sampleRate;
    const reference = await praat;
    measured.rows.push({ file: path.basename(file), ours: summariseVoice(track, 0, end), praat: reference });
    measured.aligned.push({ file: path.basename(file), ours: summariseVoice(alignedTrack, 0, end), praat: reference });
  }
  return measured;
}

function feature(agreement: PraatAgreement, name: string) {
  const found = agreement.features.find((f) => f.feature === name);
  assert.ok(found, `no ${name} in the agreement`);
  return found;
}

describe('voice measures agree with Praat on real speech', skip, () => {
  it('RAVDESS (120 files) and jfk.wav: F0, voicing, jitter, shimmer, HNR and intensity', async () => {
    const files = inputFiles();
    assert.equal(files.length, 121, 'expected the 120 RAVDESS files and jfk.wav');
    const measured = await measureAll(files);
    console.log(`\nAs the engine streams (frames from the first full window), ${files.length} files:\n${praatAgreementTable(measured.rows)}`);
    console.log(`\nWith the length known beforehand (Praat's frame layout):\n${praatAgreementTable(measured.aligned)}`);
    console.log(`\nVoiceTracker: ${measured.audioSec.toFixed(1)} s of audio in ${measured.trackerMs.toFixed(0)} ms, ${(measured.audioSec * 1000 / measured.trackerMs).toFixed(0)}x real time`);

    // Measured (Praat 6.3.07, these 121 files): within 0.5 st 96.7 % of files; r: F0 SD 0.986, voiced
    // fraction 0.989, jitter 0.965, shimmer 0.924, HNR 0.997, intensity 1.000 (mean diff -0.05 dB). The
    // remaining differences come from where the 10 ms frames fall (see the aligned table).
    const streamed = praatAgreement(measured.rows);
    assert.ok(streamed.f0WithinHalfSemitone >= 0.9, `F0 mean within 0.5 st for ${streamed.f0WithinHalfSemitone}`);
    const bounds: [string, number][] = [['F0 mean', 0.99], ['F0 SD', 0.95], ['voiced fraction', 0.97], ['jitter (local)', 0.92], ['shimmer (local)', 0.88], ['HNR', 0.98], ['intensity', 0.995]];
    for (const [name, r] of bounds) {
      const f = feature(streamed, name);
      assert.equal(f.n, files.length, `${name}: measured on ${f.n} files`);
      assert.ok(f.pearsonR >= r, `${name}: r = ${f.pearsonR} < ${r}`);
    }
    assert.ok(Math.abs(feature(streamed, 'intensity').meanDifference) < 0.15, 'intensity mean difference');
    assert.ok(Math.abs(feature(streamed, 'HNR').meanDifference) < 0.2, 'HNR mean difference');

    // Measured with Praat's frame layout: every file within 0.5 st; median |diff| 0.000 for F0 mean and SD,
    // jitter (90th pct 0.003 %), shimmer (0.004 dB), HNR (0.010 dB); intensity -0.05 dB (edge frames).
    const aligned = praatAgreement(measured.aligned);
    assert.equal(aligned.f0WithinHalfSemitone, 1);
    for (const name of ['F0 mean', 'F0 SD', 'voiced fraction', 'jitter (local)', 'shimmer (local)', 'HNR']) {
      const f = feature(aligned, name);
      assert.ok(f.pearsonR >= 0.999, `${name} (aligned): r = ${f.pearsonR}`);
      assert.ok(f.medianAbsDifference < 0.01, `${name} (aligned): median |diff| ${f.medianAbsDifference}`);
    }
  });

  it('RAVDESS originals at 48 kHz (and 22.05 and 44.1 kHz), measured at their own rate as the engine does: jitter, shimmer and HNR as Praat has them', async () => {
    const files = originals48k();
    const native = await measureAll(files);
    const at16k = await measureAll(files, 16000);
    console.log(`\n${files.length} RAVDESS originals at 48 kHz, measured at 48 kHz with Praat's frame layout:\n${praatAgreementTable(native.aligned)}`);
    console.log(`\nThe same measured at 16 kHz (as before issue 23), Praat's frame layout:\n${praatAgreementTable(at16k.aligned)}`);
    console.log(`\nVoiceTracker at 48 kHz: ${native.audioSec.toFixed(1)} s of audio in ${native.trackerMs.toFixed(0)} ms, ${(native.audioSec * 1000 / native.trackerMs).toFixed(0)}x real time (at 16 kHz: ${(at16k.audioSec * 1000 / at16k.trackerMs).toFixed(0)}x)`);

    // Measured (these 12 files): median |diff| 0.000 for every measure at 48 kHz, r 1.000 but for the F0 SD
    // (0.994: one file, actor 05's first neutral take, has one frame fewer voiced than Praat, a path decision
    // the float arithmetic tips; 4 of the 240 originals do); at 16 kHz the HNR reads 0.66 dB high on average,
    // and jitter and shimmer move by a median 0.05 % and 0.03 dB.
    const aligned = praatAgreement(native.aligned);
    assert.equal(aligned.f0WithinHalfSemitone, 1);
    for (const name of ['F0 mean', 'F0 SD', 'voiced fraction', 'jitter (local)', 'shimmer (local)', 'HNR']) {
      const f = feature(aligned, name);
      assert.equal(f.n, files.length, `${name}: measured on ${f.n} files`);
      assert.ok(f.pearsonR >= (name === 'F0 SD' ? 0.99 : 0.999), `${name} (48 kHz, aligned): r = ${f.pearsonR}`);
      assert.ok(f.medianAbsDifference < 0.01 && f.p90AbsDifference < 0.05, `${name} (48 kHz, aligned): median |diff| ${f.medianAbsDifference}, 90th pct ${f.p90AbsDifference}`);
    }
    assert.ok(Math.abs(feature(aligned, 'HNR').meanDifference) < 0.05, 'HNR mean difference at 48 kHz');
    // The four takes RAVDESS distributes at 22.05 kHz, measured at 22.05 kHz: frames are rounded to whole samples
    // (220.5 per 10 ms), which HNR feels a little (measured: up to 0.13 dB), the pulse measures not.
    const odd = await measureAll(ODD_RATE_TAKES.map((name) => path.join(mediaDir!, 'voice', 'ravdess-dev', `Actor_${name.slice(-2)}`, `03-01-${name}.flac`)));
    console.log(`\nThe 4 RAVDESS originals at 22.05 kHz, measured at 22.05 kHz with Praat's frame layout:\n${praatAgreementTable(odd.aligned)}`);
    const oddAgreement = praatAgreement(odd.aligned);
    for (const name of ['F0 mean', 'jitter (local)', 'shimmer (local)']) assert.ok(feature(oddAgreement, name).p90AbsDifference < 0.01, `${name} (22.05 kHz): 90th pct |diff| ${feature(oddAgreement, name).p90AbsDifference}`);
    assert.ok(feature(oddAgreement, 'HNR').p90AbsDifference < 0.2, `HNR (22.05 kHz): 90th pct |diff| ${feature(oddAgreement, 'HNR').p90AbsDifference}`);
    // 44.1 kHz, the commonest rate of consumer audio: three originals converted by ffmpeg, measured at 44.1 kHz
    // (measured: every pulse measure as Praat's to 0.003 %; measured at 48 kHz instead, jitter was off by up to 0.14 %).
    const temp = makeTempDir('emotion-lens-44k-');
    try {
      const cd = await Promise.all(files.slice(0, 3).map(async (file) => {
        const copy = path.join(temp.dir, `${path.basename(file, '.flac')}.wav`);
        await runFfmpeg(['-i', file, '-ar', '44100', '-c:a', 'pcm_s16le', copy]);
        return copy;
      }));
      const at44k = praatAgreement((await measureAll(cd)).aligned);
      for (const name of ['F0 mean', 'jitter (local)', 'shimmer (local)', 'HNR']) assert.ok(feature(at44k, name).p90AbsDifference < 0.01, `${name} (44.1 kHz): 90th pct |diff| ${feature(at44k, name).p90AbsDifference}`);
    } finally {
      temp.cleanup();
    }
    // Streaming without the length, the frames fall up to 5 ms from Praat's, as at 16 kHz.
    const streamed = praatAgreement(native.rows);
    for (const [name, r] of [['F0 mean', 0.99], ['jitter (local)', 0.9], ['shimmer (local)', 0.85], ['HNR', 0.98]] as const) assert.ok(feature(streamed, name).pearsonR >= r, `${name} (48 kHz, streamed): r = ${feature(streamed, name).pearsonR}`);
  });
});
