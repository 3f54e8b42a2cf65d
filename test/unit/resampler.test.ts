// The voice worker's 16 kHz copy for the voice activity model, from any rate the voice is measured at: tones
// below the new Nyquist frequency pass at their level and phase (output sample j is the input at j / 16000 s: no
// delay), tones above it are removed, and the chunking of the stream changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Resampler } from '../../src/core/voice/resampler';
import { voiceSampleRate } from '../../src/core/media/audioReader';

function tone(hertz: number, rate: number, samples: number): Float32Array {
  return Float32Array.from({ length: samples }, (_, i) => Math.sin((2 * Math.PI * hertz * i) / rate));
}

function resample(from: number, to: number, input: Float32Array, chunk: number): Float32Array {
  const r = new Resampler(from, to);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(r.push(input.subarray(i, Math.min(input.length, i + chunk))));
  parts.push(r.finish());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Largest difference from the expected signal away from the ends (where the filter runs past the signal). */
function worst(x: Float32Array, expected: Float32Array, margin: number): number {
  let w = 0;
  for (let j = margin; j < x.length - margin; j++) w = Math.max(w, Math.abs(x[j]! - expected[j]!));
  return w;
}

function rmsDb(x: Float32Array, margin: number): number {
  let sum = 0;
  for (let j = margin; j < x.length - margin; j++) sum += x[j]! ** 2;
  return 10 * Math.log10(sum / (x.length - 2 * margin) / 0.5);
}

describe('Resampler', () => {
  for (const rate of [48000, 44100, 22050]) {
    it(`${rate / 1000} kHz to 16 kHz: a 1 kHz tone keeps its level and phase, an 11 kHz one is removed`, () => {
      const low = resample(rate, 16000, tone(1000, rate, rate), 24000);
      assert.equal(low.length, 16000);
      assert.ok(worst(low, tone(1000, 16000, 16000), 100) < 0.01, `largest difference from the 16 kHz tone: ${worst(low, tone(1000, 16000, 16000), 100)}`);
      if (rate > 22050) {
        const high = rmsDb(resample(rate, 16000, tone(11000, rate, rate), 24000), 100);
        assert.ok(high < -60, `11 kHz tone attenuated by only ${high.toFixed(1)} dB`);
      }
    });
  }

  it('up from 8 kHz: the tone is read between the samples', () => {
    const up = resample(8000, 16000, tone(440, 8000, 8000), 1000);
    assert.equal(up.length, 16000);
    assert.ok(worst(up, tone(440, 16000, 16000), 100) < 0.01);
  });

  it('gives the same samples whatever the chunk sizes, ceil(n x out / in) of them', () => {
    const input = Float32Array.from({ length: 10001 }, (_, i) => Math.sin(i * 0.01) + 0.3 * Math.sin(i * 0.37));
    const whole = resample(44100, 16000, input, input.length);
    assert.equal(whole.length, Math.ceil((10001 * 16000) / 44100));
    for (const chunk of [1, 7, 333, 4096]) assert.deepEqual(resample(44100, 16000, input, chunk), whole, `chunks of ${chunk}`);
  });

  it('digital silence between tones: exact zeros where the kernel sees only silence, the tones unchanged, whatever the chunks', () => {
    const rate = 48000;
    const input = new Float32Array(3 * rate);
    input.set(tone(1000, rate, rate / 2), 0);
    input.set(tone(300, rate, rate / 2), 2 * rate);
    const whole = resample(rate, 16000, input, input.length);
    // Output j reads input 3j; the kernel reaches 53 input samples each side, so j in 8018..31981 sees only zeros.
    for (let j = 8018; j < 31982; j++) assert.ok(Object.is(whole[j], 0), `output ${j} is ${whole[j]}`);
    assert.ok(whole[7990] !== 0 && whole[32010] !== 0);
    assert.ok(worst(whole.subarray(0, 8000), tone(1000, 16000, 8000), 100) < 0.01);
    for (const chunk of [1, 511, 24000]) assert.deepEqual(resample(rate, 16000, input, chunk), whole, `chunks of ${chunk}`);
  });

  it('passes 16 kHz audio through untouched', () => {
    const input = tone(440, 16000, 1000);
    assert.deepEqual(resample(16000, 16000, input, 300), input);
  });
});

describe('voiceSampleRate', () => {
  it('measures the voice at the recording\'s own rate, at most 48 kHz; 16 kHz when unknown', () => {
    const cases: [number | undefined, number][] = [[undefined, 16000], [8000, 8000], [16000, 16000], [22050, 22050], [44100, 44100], [48000, 48000], [96000, 48000]];
    for (const [native, voice] of cases) assert.equal(voiceSampleRate(native), voice, `native ${native}`);
  });
});
