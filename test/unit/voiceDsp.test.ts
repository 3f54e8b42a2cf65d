// The voice measures on synthetic signals whose answers are known: tones and pulse trains at a set F0, noise,
// a pulse train with a set period jitter and amplitude shimmer, tones of a set level; and the tracker's
// streaming (any chunk size gives the same track).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RealFft } from '../../src/core/voice/realFft';
import { interpolateSinc, improveMaximum } from '../../src/core/voice/sincInterpolation';
import type { VoiceTrack } from '../../src/core/voice/voiceTracker';
import { VoiceTracker } from '../../src/core/voice/voiceTracker';
import { hertzToSemitones, quantile, summariseVoice } from '../../src/core/voice/voiceSummary';
import { seededRandom as random } from '../helpers/seededRandom';

const RATE = 16000;

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function sine(hertz: number, seconds: number, amplitude: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hertz * i) / RATE);
  return x;
}

/** One glottal cycle's waveform: a decaying 1 kHz resonance, like a formant rung by a closing glottis. */
function cycle(t: number): number {
  return t < 0 ? 0 : Math.exp(-t / 0.001) * Math.sin(2 * Math.PI * 1000 * t);
}

/** Cycles starting at `onsets` (seconds) with `amplitudes`, placed at exact (sub-sample) times. */
function pulseTrain(onsets: number[], amplitudes: number[], seconds: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * RATE));
  onsets.forEach((onset, k) => {
    const first = Math.max(0, Math.ceil(onset * RATE));
    const last = Math.min(x.length - 1, Math.floor((onset + 0.012) * RATE));
    for (let i = first; i <= last; i++) x[i]! += amplitudes[k]! * cycle(i / RATE - onset);
  });
  return x;
}

function track(samples: Float32Array, chunk = 8000, options = {}): VoiceTrack {
  const tracker = new VoiceTracker(RATE, options);
  for (let i = 0; i < samples.length; i += chunk) tracker.push(samples.subarray(i, i + chunk));
  return tracker.finish();
}

function whole(samples: Float32Array, chunk?: number) {
  return summariseVoice(track(samples, chunk), 0, samples.length / RATE);
}

describe('voice DSP building blocks', () => {
  it('the real FFT matches a direct DFT, and its inverse gives the circular autocorrelation', () => {
    const n = 64;
    const fft = new RealFft(n);
    const next = random(1);
    const x = Float64Array.from({ length: n }, () => next() - 0.5);
    const power = new Float64Array(n / 2 + 1);
    fft.powerSpectrum(x, power);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0, im = 0;
      for (let t = 0; t < n; t++) {
        re += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        im += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      assert.ok(Math.abs(re * re + im * im - power[k]!) < 1e-9, `bin ${k}`);
    }
    const ac = new Float64Array(n);
    fft.inverseOfRealSpectrum(power, ac);
    for (let lag = 0; lag < n; lag++) {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += x[t]! * x[(t + lag) % n]!;
      assert.ok(Math.abs(ac[lag]! / n - sum) < 1e-9, `lag ${lag}`);
    }
  });

  it('sinc interpolation passes through the samples and finds a band-limited peak between them', () => {
    const y = Float64Array.from({ length: 401 }, (_, i) => Math.cos((2 * Math.PI * (i - 200)) / 40.3));
    assert.equal(interpolateSinc(y, 100, 70), y[100]);
    // The cosine's maximum at 40.3 samples from the centre: refined from the best sample (240).
    const peak = improveMaximum(y, 240, 70);
    assert.ok(Math.abs(peak.x - 240.3) < 1e-3, `peak at ${peak.x}`);
    assert.ok(Math.abs(peak.value - 1) < 1e-3, `peak value ${peak.value}`);
  });

  it("quantiles follow Praat's rule (linear around position q n + 0.5)", () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    assert.equal(quantile(sorted, 0.5), 2.5);
    assert.equal(quantile(sorted, 0.2), 1.3);
    assert.equal(quantile(Float64Array.from([7]), 0.8), 7);
  });
});

describe('voice tracker on synthetic signals', () => {
  for (const hertz of [110, 220, 440]) {
    it(`a ${hertz} Hz tone reads ${hertz} Hz (within 0.1 semitone), voiced throughout`, () => {
      const f = whole(sine(hertz, 1, 0.5));
      const truth = hertzToSemitones(hertz);
      assert.ok(Math.abs(f.f0MeanSemitones! - truth) < 0.1, `mean ${f.f0MeanSemitones} vs ${truth}`);
      assert.ok(Math.abs(f.f0P50Semitones! - truth) < 0.1);
      assert.ok(f.f0SdSemitones! < 0.05, `SD ${f.f0SdSemitones}`);
      assert.ok(f.voicedFraction > 0.95, `voiced ${f.voicedFraction}`);
    });
  }

  it('a pulse train at 125 Hz reads 125 Hz, with pulses one period apart and no jitter or shimmer', () => {
    const period = 0.008;
    const onsets = Array.from({ length: 180 }, (_, k) => 0.003 + k * period);
    const t = track(pulseTrain(onsets, onsets.map(() => 0.6), 1.5));
    const f = summariseVoice(t, 0, 1.5);
    assert.ok(Math.abs(f.f0MeanSemitones! - hertzToSemitones(125)) < 0.1, `mean ${f.f0MeanSemitones}`);
    assert.ok(t.periodTimes.length > 150, `${t.periodTimes.length} pulses`);
    for (let i = 1; i < t.periodTimes.length; i++) assert.ok(Math.abs(t.periodTimes[i]! - t.periodTimes[i - 1]! - period) < 1e-5);
    assert.ok(f.jitterLocal! < 0.001, `jitter ${f.jitterLocal}`);
    assert.ok(f.shimmerLocalDb! < 0.05, `shimmer ${f.shimmerLocalDb}`);
  });

  it('white noise is unvoiced', () => {
    const next = random(7);
    const x = Float32Array.from({ length: 2 * RATE }, () => 0.1 * gaussian(next));
    const f = whole(x);
    assert.ok(f.voicedFraction < 0.05, `voiced ${f.voicedFraction}`);
    assert.equal(f.hnrDb === null || f.hnrDb < 0, true, `HNR ${f.hnrDb}`);
  });

  it('a pulse train with known period jitter (about 2 %) and amplitude shimmer (about 0.55 dB) reads them back within 5 %', () => {
    const next = random(42);
    const onsets: number[] = [];
    const amplitudes: number[] = [];
    let t = 0.003;
    while (t < 1.95) {
      onsets.push(t);
      amplitudes.push(0.5 * (1 + 0.2 * (next() - 0.5)));
      t += 0.008 * (1 + 0.06 * (next() - 0.5));
    }
    const periods = onsets.slice(1).map((o, k) => o - onsets[k]!);
    const meanPeriod = periods.reduce((s, p) => s + p, 0) / periods.length;
    const trueJitter = periods.slice(1).reduce((s, p, k) => s + Math.abs(p - periods[k]!), 0) / (periods.length - 1) / meanPeriod;
    const trueShimmer = amplitudes.slice(1).reduce((s, a, k) => s + Math.abs(20 * Math.log10(a / amplitudes[k]!)), 0) / (amplitudes.length - 1);
    const f = whole(pulseTrain(onsets, amplitudes, 2));
    assert.ok(Math.abs(f.jitterLocal! - trueJitter) < 0.05 * trueJitter, `jitter ${f.jitterLocal} vs ${trueJitter}`);
    assert.ok(Math.abs(f.shimmerLocalDb! - trueShimmer) < 0.05 * trueShimmer, `shimmer ${f.shimmerLocalDb} vs ${trueShimmer}`);
  });

  it("a tone's intensity is its level re 20 uPa with samples as pascals (full scale about 91 dB)", () => {
    const quiet = whole(sine(300, 1, 0.05));
    assert.ok(Math.abs(quiet.intensityDb! - 20 * Math.log10(0.05 / Math.SQRT2 / 2e-5)) < 0.05, `${quiet.intensityDb}`);
    const full = whole(sine(300, 1, 1));
    assert.ok(Math.abs(full.intensityDb! - 90.97) < 0.05, `${full.intensityDb}`);
  });

  it('a 1 kHz tone at 40 dB SPL is 1 sone, and louder tones are louder', () => {
    const at = (db: number) => whole(sine(1000, 1, 2e-5 * Math.pow(10, db / 20) * Math.SQRT2)).loudness!;
    assert.ok(Math.abs(at(40) - 1) < 0.05, `${at(40)} sones`);
    assert.ok(at(50) > 1.8 && at(50) < 2.5, `${at(50)} sones at 50 dB`);
    assert.ok(at(70) > at(60) && at(60) > at(50));
  });

  it('a tone with noise 10 dB below it has an HNR of about 10 dB', () => {
    const next = random(3);
    const tone = sine(200, 2, 0.3);
    const noiseRms = 0.3 / Math.SQRT2 / Math.sqrt(10);
    const x = tone.map((v) => v + noiseRms * gaussian(next));
    const f = whole(x);
    assert.ok(Math.abs(f.hnrDb! - 10) < 1.5, `HNR ${f.hnrDb}`);
  });

  it('a span with no voiced frames or too few pulses measures nothing, but still has intensity', () => {
    const x = new Float32Array(3 * RATE);
    x.set(sine(150, 1, 0.4), RATE);
    const t = track(x);
    const silent = summariseVoice(t, 0.2, 0.8);
    assert.equal(silent.f0MeanSemitones, null);
    assert.equal(silent.f0SdSemitones, null);
    assert.equal(silent.jitterLocal, null);
    assert.equal(silent.shimmerLocalDb, null);
    assert.equal(silent.hnrDb, null);
    assert.equal(silent.voicedFraction, 0);
    assert.equal(typeof silent.intensityDb, 'number');
    const tooShort = summariseVoice(t, 1.5, 1.51);
    assert.equal(tooShort.jitterLocal, null);
    const voiced = summariseVoice(t, 1.2, 1.8);
    assert.ok(voiced.voicedFraction > 0.95);
    assert.ok(Math.abs(voiced.f0MeanSemitones! - hertzToSemitones(150)) < 0.1);
  });

  it('gives the same track whatever the chunk size (one chunk, 997 samples, 8000 samples)', () => {
    // Several seconds, so the path's decisions, the peak look-ahead and the buffer trimming all take part.
    const next = random(11);
    const seconds = 7;
    const x = new Float32Array(seconds * RATE);
    for (let i = 0; i < x.length; i++) {
      const t = i / RATE;
      const voiced = Math.sin(2 * Math.PI * 0.4 * t) > -0.2;
      const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
      const envelope = 0.3 + 0.25 * Math.sin(2 * Math.PI * 1.3 * t);
      x[i] = (voiced ? envelope * Math.sin(2 * Math.PI * f0 * t) + 0.3 * envelope * Math.sin(4 * Math.PI * f0 * t) : 0) + 0.01 * gaussian(next);
    }
    const once = track(x, x.length);
    for (const chunk of [997, 8000]) assert.deepStrictEqual(track(x, chunk), once, `chunks of ${chunk}`);
    assert.ok(once.periodTimes.length > 500);
    assert.equal(once.f0Hz.length, once.intensityDb.length);
    assert.equal(once.f0Hz.length, once.hnrDb.length);
    assert.equal(once.periodTimes.length, once.periodPeaks.length);
  });

  it('keeps the critical-band levels only when asked (voice prints), and every other measure is the same either way', () => {
    const next = random(12);
    const x = Float32Array.from({ length: 3 * RATE }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 150 * i) / RATE) + 0.02 * gaussian(next));
    const { bands, bandDb, ...plain } = track(x, 8000, { bandLevels: true });
    const without = track(x, 8000);
    assert.equal(without.bands, undefined);
    assert.equal(without.bandDb, undefined);
    assert.deepStrictEqual(without, plain);
    assert.equal(bands, Math.ceil(7 * Math.asinh(RATE / 2 / 650)), "one band per Bark (Praat's formula) up to 8 kHz");
    assert.equal(bandDb!.length, bands! * plain.f0Hz.length, 'one level per band and frame');
    assert.ok(bandDb!.every((v) => Number.isFinite(v) && v >= -60), 'levels in dB, floored at -60');
  });

  it("lays frames out as Praat does when the length is known, and keeps 10 ms frames either way", () => {
    const x = sine(200, 1.2345, 0.3);
    const plain = track(x);
    const aligned = track(x, 8000, { expectedSamples: x.length });
    assert.equal(plain.frameStepSec, 0.01);
    assert.ok(Math.abs(plain.firstFrameSec - 318.5 / RATE) < 1e-12);
    // Praat: floor((1.2345 - 0.04) / 0.01) + 1 = 120 frames centred in the sound.
    assert.equal(aligned.f0Hz.length, 120);
    const praatFirst = 0.5 * 1.2345 - 0.5 * 120 * 0.01 + 0.005;
    assert.ok(Math.abs(aligned.firstFrameSec + 0.5 / RATE - praatFirst) <= 1 / RATE, `${aligned.firstFrameSec}`);
    // A wrong length moves the frames by less than one step, never past the start.
    for (const guess of [1, 10 * x.length, Math.round(x.length / 3)]) {
      const first = track(x, 8000, { expectedSamples: guess }).firstFrameSec;
      assert.ok(first >= plain.firstFrameSec && first < plain.firstFrameSec + 0.01, `guess ${guess}: ${first}`);
    }
  });

  it('finishes an empty or too short stream without frames', () => {
    const empty = new VoiceTracker(RATE).finish();
    assert.equal(empty.f0Hz.length, 0);
    assert.equal(empty.periodTimes.length, 0);
    const short = track(new Float32Array(100));
    assert.equal(short.f0Hz.length, 0);
    const f = summariseVoice(short, 0, 1);
    assert.equal(f.intensityDb, null);
    assert.equal(f.voicedFraction, 0);
  });
});
