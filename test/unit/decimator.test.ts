// The voice worker's 48 kHz to 16 kHz copy for the voice activity model: tones below the new Nyquist frequency
// pass at their level and phase, tones above it are removed, output sample j is input sample 3j (no delay), and
// the chunking of the stream changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimator } from '../../src/core/voice/decimator';
import { voiceSampleRate } from '../../src/core/media/audioReader';

function tone(hertz: number, rate: number, samples: number): Float32Array {
  return Float32Array.from({ length: samples }, (_, i) => Math.sin((2 * Math.PI * hertz * i) / rate));
}

function decimate(factor: number, input: Float32Array, chunk: number): Float32Array {
  const d = new Decimator(factor);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(d.push(input.subarray(i, Math.min(input.length, i + chunk))));
  parts.push(d.finish());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function rms(x: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! ** 2;
  return Math.sqrt(sum / (to - from));
}

describe('Decimator', () => {
  it('keeps a 1 kHz tone (level and phase) and removes a 10 kHz one when going from 48 to 16 kHz', () => {
    const n = 48000;
    const low = decimate(3, tone(1000, 48000, n), 24000);
    assert.equal(low.length, n / 3);
    const expected = tone(1000, 16000, n / 3);
    // Away from the ends (where the filter runs past the signal), every sample is the 16 kHz tone's.
    let worst = 0;
    for (let j = 100; j < low.length - 100; j++) worst = Math.max(worst, Math.abs(low[j]! - expected[j]!));
    assert.ok(worst < 0.01, `largest difference from the 16 kHz tone: ${worst}`);
    const high = decimate(3, tone(10000, 48000, n), 24000);
    const attenuationDb = 20 * Math.log10(rms(high, 100, high.length - 100) / Math.SQRT1_2);
    assert.ok(attenuationDb < -60, `10 kHz tone attenuated by only ${attenuationDb.toFixed(1)} dB`);
  });

  it('gives the same samples whatever the chunk sizes, and ceil(n / factor) of them', () => {
    const input = Float32Array.from({ length: 10001 }, (_, i) => Math.sin(i * 0.01) + 0.3 * Math.sin(i * 0.37));
    const whole = decimate(2, input, input.length);
    assert.equal(whole.length, 5001);
    for (const chunk of [1, 7, 333, 4096]) assert.deepEqual(decimate(2, input, chunk), whole, `chunks of ${chunk}`);
  });

  it('passes 16 kHz audio through untouched (factor 1) and refuses a fractional factor', () => {
    const input = tone(440, 16000, 1000);
    assert.deepEqual(decimate(1, input, 300), input);
    assert.throws(() => new Decimator(2.75625), /whole number/);
  });
});

describe('voiceSampleRate', () => {
  it('measures the voice at the smallest multiple of 16 kHz keeping the recorded band, at most 48 kHz', () => {
    const cases: [number | undefined, number][] = [[undefined, 16000], [8000, 16000], [16000, 16000], [22050, 32000], [32000, 32000], [44100, 48000], [48000, 48000], [96000, 48000]];
    for (const [native, voice] of cases) assert.equal(voiceSampleRate(native), voice, `native ${native}`);
  });
});
