import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VoiceFeatures } from '../../src/shared/annotationDocument';
import { fanOut } from '../../src/core/media/chunkFanOut';
import { spansFromScores, VAD_RULES } from '../../src/core/voice/speechActivity';
import { arousalMeasuresOf, arousalOnScale, arousalRawOf, arousalScaleOf, AROUSAL_WEIGHTS, TYPICAL_SPREAD, weightedMedian } from '../../src/core/voice/arousal';
import { arousalAgainst, baselineOf, BASELINE_MIN_SEGMENTS, splitLongSpans } from '../../src/core/voice/voiceSection';

const WINDOW = 0.032;

/** Scores for windows: 1 inside the given [start, end) second ranges, 0 elsewhere. */
function scores(durationSec: number, speech: [number, number][]): number[] {
  return Array.from({ length: Math.round(durationSec / WINDOW) }, (_, i) => (speech.some(([a, b]) => i * WINDOW >= a && i * WINDOW < b) ? 0.9 : 0.05));
}

describe('speech spans from VAD scores', () => {
  it('finds each stretch of speech, padded by 30 ms', () => {
    const spans = spansFromScores(scores(6, [[1, 2], [3, 4.5]]));
    assert.equal(spans.length, 2);
    assert.ok(Math.abs(spans[0]!.startSec - (1 - VAD_RULES.padSec)) < WINDOW + 1e-9, `starts near 0.97 s: ${spans[0]!.startSec}`);
    assert.ok(Math.abs(spans[1]!.endSec - (4.5 + VAD_RULES.padSec)) < WINDOW + 1e-9, `ends near 4.53 s: ${spans[1]!.endSec}`);
  });

  it('bridges pauses shorter than the minimum silence and drops blips shorter than the minimum speech', () => {
    const bridged = spansFromScores(scores(4, [[1, 1.5], [1.55, 2]]));
    assert.equal(bridged.length, 1, 'a 50 ms pause does not split the span');
    assert.equal(spansFromScores(scores(4, [[1, 1.1]])).length, 0, 'a 100 ms blip is not speech');
  });

  it('hysteresis: a score between the two thresholds continues speech but does not start it', () => {
    const s = scores(3, [[1, 2]]).map((v, i) => (i * WINDOW >= 2 && i * WINDOW < 2.5 ? 0.4 : v));
    const spans = spansFromScores(s);
    assert.equal(spans.length, 1);
    assert.ok(spans[0]!.endSec > 2.4, `0.4 keeps speech going: ends ${spans[0]!.endSec}`);
    assert.equal(spansFromScores(scores(3, []).map(() => 0.4)).length, 0, '0.4 alone never starts speech');
  });

  it('speech running to the end of the audio ends there', () => {
    const spans = spansFromScores(scores(2, [[1, 2]]), WINDOW, VAD_RULES, 2);
    assert.equal(spans.at(-1)!.endSec, 2);
  });
});

describe('voice segments and arousal', () => {
  it('cuts long spans into the fewest equal parts no longer than the limit', () => {
    assert.deepEqual(splitLongSpans([{ startSec: 0, endSec: 20 }], 8).map((s) => [s.startSec, s.endSec].map((t) => Math.round(t * 1000) / 1000)), [
      [0, 6.667],
      [6.667, 13.333],
      [13.333, 20],
    ]);
    assert.equal(splitLongSpans([{ startSec: 1, endSec: 9 }], 8).length, 1, 'exactly the limit stays whole');
  });

  const features = (f0: number | null, sones: number | null): VoiceFeatures => ({
    f0MeanSemitones: f0, f0SdSemitones: 1, f0P20Semitones: f0, f0P50Semitones: f0, f0P80Semitones: f0, intensityDb: 70, loudness: sones,
    jitterLocal: 0.01, shimmerLocalDb: 0.5, hnrDb: 12, voicedFraction: 0.6,
  });

  it('raw arousal rises with pitch and with loudness, each in units of its typical spread times its weight', () => {
    const base = arousalRawOf(features(36, 8))!;
    assert.ok(Math.abs(arousalRawOf(features(38, 8))! - base - AROUSAL_WEIGHTS.pitch) < 1e-3, '2 semitones higher: + the pitch weight');
    assert.ok(Math.abs(arousalRawOf(features(36, 8 * 2 ** 0.4))! - base - AROUSAL_WEIGHTS.loudness) < 1e-3, '0.4 doublings louder: + the loudness weight');
    assert.equal(arousalRawOf(features(null, 8)), null, 'no voiced frames: no arousal');
    assert.equal(arousalRawOf(features(36, 0)), null, 'no loudness: no arousal');
  });

  it('the weighted median: the usual median with equal weights, pulled toward heavy values, untouched by a far outlier', () => {
    assert.equal(weightedMedian([3, 1, 2], [1, 1, 1]), 2);
    assert.equal(weightedMedian([1, 2, 3, 4], [1, 1, 1, 1]), 2.5);
    assert.ok(weightedMedian([1, 2, 3], [1, 1, 10]) > 2.5, 'a heavy 3 pulls the median above 2');
    assert.equal(weightedMedian([1, 2, 3, 1000], [1, 1, 1, 0.5]), weightedMedian([1, 2, 3, 4], [1, 1, 1, 0.5]));
  });

  it('a speaker scale: duration-weighted median and 1.4826 MAD per measure, floored at a quarter of the typical spread', () => {
    const spans = [30, 32, 34, 36, 38].map((pitch, i) => ({ measures: { pitch, loudness: 3 }, sec: i === 4 ? 3 : 1 }));
    const scale = arousalScaleOf(spans)!;
    assert.ok(scale.pitch.median > 34 && scale.pitch.median < 38, `the long 38 st segment pulls the median up: ${scale.pitch.median}`);
    assert.equal(scale.loudness.median, 3);
    assert.equal(scale.loudness.spread, 0.25 * TYPICAL_SPREAD.loudness, 'no spread: the floor');
    assert.equal(arousalScaleOf(spans.slice(0, 1)), undefined, 'one segment is no scale');
    // On the scale, a segment at the median is 0, and one typical step up in both measures adds their weighted z-scores.
    const usual = { pitch: scale.pitch.median, loudness: scale.loudness.median };
    assert.equal(arousalOnScale(scale, usual), 0);
    const livelier = arousalOnScale(scale, { pitch: usual.pitch + scale.pitch.spread, loudness: usual.loudness + scale.loudness.spread });
    assert.ok(Math.abs(livelier - 1) < 1e-12, `one spread up in both: ${livelier}`);
    assert.deepEqual(arousalMeasuresOf(features(36, 8)), { pitch: 36, loudness: 3 });
  });

  it('a recording with enough speech is its own baseline; arousal is then a z-score against it', () => {
    const segments = [10, 11, 12, 13, 14, 15].map((raw) => ({ raw, sec: 4 }));
    const baseline = baselineOf(segments);
    assert.equal(baseline.scope, 'recording');
    if (baseline.scope !== 'recording') return;
    assert.equal(baseline.meanRaw, 12.5);
    const z = [10, 15].map((raw) => arousalAgainst(baseline, raw)!);
    assert.ok(z[0]! < -1.3 && z[1]! > 1.3, `the extremes are well beyond one SD: ${z}`);
    assert.ok(Math.abs(z[0]! + z[1]!) < 1e-3, 'symmetric around the mean');
  });

  it('too little speech gives no baseline and null arousal, saying why', () => {
    const baseline = baselineOf(Array.from({ length: BASELINE_MIN_SEGMENTS - 1 }, (_, i) => ({ raw: i, sec: 10 })));
    assert.equal(baseline.scope, 'none');
    if (baseline.scope === 'none') assert.match(baseline.reason, /needs at least/);
    assert.equal(arousalAgainst(baseline, 3), null);
    assert.equal(baselineOf([1, 2, 3, 4, 5, 6].map((raw) => ({ raw, sec: 1 }))).scope, 'none', '6 s of speech is not enough');
  });
});

describe('fanOut', () => {
  async function* numbers(n: number, read: { count: number }): AsyncGenerator<number[]> {
    for (let i = 0; i < n; i++) {
      read.count++;
      yield [i];
    }
  }

  it('gives every consumer every chunk, in order, reading the source once', async () => {
    const read = { count: 0 };
    const [a, b] = fanOut(numbers(50, read), 2, (c) => [...c]);
    const collect = async (it: AsyncIterable<number[]>) => {
      const out: number[] = [];
      for await (const c of it) out.push(c[0]!);
      return out;
    };
    const [x, y] = await Promise.all([collect(a!), collect(b!)]);
    assert.deepEqual(x, Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual(y, x);
    assert.equal(read.count, 50);
  });

  it('a fast consumer waits for a slow one: the source is never more than maxQueued ahead', async () => {
    const read = { count: 0 };
    const [fast, slow] = fanOut(numbers(100, read), 2, (c) => [...c], 4);
    const slowIt = slow![Symbol.asyncIterator]();
    const fastDone = (async () => {
      for await (const _ of fast!) void _;
    })();
    // Source and consumers are promise chains: the fast one runs until it blocks before any timer fires, so this
    // pause holds on a loaded machine too (it is the "while the slow one takes nothing" being checked).
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(read.count <= 5, `read ${read.count} chunks while the slow consumer took none`);
    for (;;) if ((await slowIt.next()).done) break;
    await fastDone;
    assert.equal(read.count, 100);
  });

  it('a consumer that stops early no longer holds the other back, and chunks are copies for all but one', async () => {
    const read = { count: 0 };
    const [first, second] = fanOut(numbers(30, read), 2, (c) => [...c], 2);
    const seen: number[][] = [];
    for await (const c of first!) {
      seen.push(c);
      if (c[0] === 1) break;
    }
    const rest: number[][] = [];
    for await (const c of second!) rest.push(c);
    assert.equal(rest.length, 30);
    assert.notEqual(seen[0], rest[0], 'each consumer has its own chunk object');
  });

  it('a consumer that never read is dropped by returning a fresh iterator of it (a worker that failed to start)', async () => {
    const read = { count: 0 };
    const [never, reader] = fanOut(numbers(40, read), 2, (c) => [...c], 2);
    const got: number[] = [];
    const reading = (async () => {
      for await (const c of reader!) got.push(c[0]!);
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(got.length <= 3, `held back while the other takes nothing: ${got.length}`);
    await never![Symbol.asyncIterator]().return?.(undefined);
    await reading;
    assert.equal(got.length, 40);
  });
});
