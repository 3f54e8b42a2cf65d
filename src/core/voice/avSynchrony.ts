/**
 * Audio-visual synchrony of one face with one voice: the face's mouth opening and the voice's amplitude envelope,
 * both band-passed to syllable rates (SYLLABLE_BAND_HZ), correlated with the lips leading the sound by up to
 * a couple of hundred milliseconds (lips open before the sound they shape: Chandrasekaran et al. 2009, PLoS
 * Comput Biol 5:e1000436). How high a correlation a face that does NOT speak gets is measured, not assumed: the same
 * lips against the voice shifted by seconds (a null whose every pairing is unrelated), so a span's score is a
 * z against its own null. Pure arithmetic on arrays: unit-tested on synthetic signals.
 */

/** The syllable band: slow head and lighting drift below, frame-to-frame jitter above are removed. */
export const SYLLABLE_BAND_HZ: readonly [number, number] = [1.5, 8];
/**
 * Lags searched, seconds, lips leading the sound (negative: the sound first). Wider than physiology alone (0-200 ms):
 * recordings are often out of sync by a frame or more, and the face's own lag is found once over all its speech.
 */
export const LAGS_SEC: readonly number[] = [-0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16, 0.2, 0.24, 0.28];
/** Null shifts stay at least this far from the true alignment: speech envelopes decorrelate within about a second. */
export const MIN_NULL_SHIFT_SEC = 1.5;
/** Null shifts per span: enough for a stable mean and SD of the null. */
export const NULL_SHIFTS = 40;

/** Frames of one contiguous run of measured video frames (evenly spaced), and their times. */
export interface FrameRun {
  from: number;
  to: number;
}

/** Contiguous runs of `times` (a gap over 1.5 frame steps ends a run). */
export function frameRuns(times: readonly number[]): FrameRun[] {
  const runs: FrameRun[] = [];
  if (times.length === 0) return runs;
  const step = medianStep(times);
  let from = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i === times.length || times[i]! - times[i - 1]! > 1.5 * step) {
      runs.push({ from, to: i - 1 });
      from = i;
    }
  }
  return runs;
}

export function medianStep(times: readonly number[]): number {
  const steps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  return steps.length > 0 ? steps[Math.floor(steps.length / 2)]! : 1 / 25;
}

/**
 * A zero-phase band-pass of each run: second-order Butterworth high- and low-pass sections (RBJ biquads) run
 * forwards and backwards. NaN gaps of a few frames are bridged linearly first; longer ones stay NaN.
 */
export function bandPass(values: readonly number[], runs: readonly FrameRun[], fps: number, band: readonly [number, number] = SYLLABLE_BAND_HZ): number[] {
  const out = new Array<number>(values.length).fill(Number.NaN);
  for (const run of runs) {
    const filled = bridgeGaps(values.slice(run.from, run.to + 1), Math.round(0.2 * fps));
    // Each finite stretch is filtered on its own: a filter cannot run through missing frames.
    for (const [a, b] of finiteStretches(filled)) {
      if (b - a + 1 < Math.max(4, Math.round(fps * 0.5))) continue;
      let x = filled.slice(a, b + 1);
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      x = x.map((v) => v - mean);
      x = zeroPhase(x, biquad('high', band[0], fps));
      if (band[1] < fps / 2) x = zeroPhase(x, biquad('low', band[1], fps));
      x.forEach((v, k) => (out[run.from + a + k] = v));
    }
  }
  return out;
}

function bridgeGaps(values: number[], maxGap: number): number[] {
  const out = [...values];
  let last = -1;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) continue;
    if (last >= 0 && i - last > 1 && i - last - 1 <= maxGap) {
      for (let k = last + 1; k < i; k++) out[k] = out[last]! + ((out[i]! - out[last]!) * (k - last)) / (i - last);
    }
    last = i;
  }
  return out;
}

function finiteStretches(values: readonly number[]): [number, number][] {
  const stretches: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= values.length; i++) {
    const finite = i < values.length && Number.isFinite(values[i]!);
    if (finite && start < 0) start = i;
    if (!finite && start >= 0) {
      stretches.push([start, i - 1]);
      start = -1;
    }
  }
  return stretches;
}

interface Biquad {
  b: [number, number, number];
  a: [number, number];
}

/** RBJ Audio EQ Cookbook high- or low-pass, Q = 1/sqrt(2) (Butterworth). */
function biquad(kind: 'high' | 'low', cutoffHz: number, fps: number): Biquad {
  const w = (2 * Math.PI * cutoffHz) / fps;
  const alpha = Math.sin(w) / Math.SQRT2;
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b = kind === 'low' ? [(1 - cos) / 2, 1 - cos, (1 - cos) / 2] : [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
  return { b: [b[0]! / a0, b[1]! / a0, b[2]! / a0], a: [(-2 * cos) / a0, (1 - alpha) / a0] };
}

function zeroPhase(x: readonly number[], f: Biquad): number[] {
  return filter(filter(x, f).reverse(), f).reverse();
}

function filter(x: readonly number[], { b, a }: Biquad): number[] {
  const y: number[] = [];
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (const v of x) {
    const out = b[0] * v + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = out;
    y.push(out);
  }
  return y;
}

/** Pearson's r over the indices where both are finite; 0 when fewer than 4 pairs or either does not vary. */
export function pearsonOver(x: readonly number[], y: readonly number[], indices: readonly number[]): { r: number; n: number } {
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (const i of indices) {
    const a = x[i]!, b = y[i]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (n < 4) return { r: 0, n };
  const vx = sxx - (sx * sx) / n, vy = syy - (sy * sy) / n;
  return { r: vx > 0 && vy > 0 ? (sxy - (sx * sy) / n) / Math.sqrt(vx * vy) : 0, n };
}

/** The synchrony of one face with the voice over some frames: r at the chosen lag, and its z against the null. */
export interface Synchrony {
  r: number;
  lagSec: number;
  /** (r - null mean) / null SD: about standard normal for a face that does not speak. */
  z: number;
  frames: number;
}

/**
 * `lips`: one face's band-passed aperture per frame; `voiceAt[l]`: the band-passed envelope per frame with the
 * sound taken LAGS_SEC[l] later; `frames`: the frame indices judged. The best of the given lags is taken, and the
 * null takes the same best-of-lags r with the voice's frames circularly shifted by at least MIN_NULL_SHIFT_SEC
 * across all measured frames, so searching lags cannot by itself raise z. Undefined when too few frames.
 */
export function synchrony(lips: readonly number[], voiceAt: readonly (readonly number[])[], frames: readonly number[], fps: number, lags: readonly number[] = LAGS_SEC.map((_, l) => l)): Synchrony | undefined {
  const best = bestOfLags(lips, voiceAt, frames, lags, (i) => i);
  if (best.n < Math.max(8, fps)) return undefined;
  const total = lips.length;
  const minShift = Math.ceil(MIN_NULL_SHIFT_SEC * fps);
  const room = total - 2 * minShift;
  if (room <= 0) return { r: best.r, lagSec: LAGS_SEC[best.lag]!, z: Number.NaN, frames: best.n };
  const nulls: number[] = [];
  for (let k = 0; k < NULL_SHIFTS; k++) {
    const shift = minShift + Math.floor((k * room) / NULL_SHIFTS);
    nulls.push(bestOfLags(lips, voiceAt, frames, lags, (i) => (i + shift) % total).r);
  }
  const mean = nulls.reduce((s, v) => s + v, 0) / nulls.length;
  const sd = Math.sqrt(nulls.reduce((s, v) => s + (v - mean) ** 2, 0) / (nulls.length - 1));
  return { r: best.r, lagSec: LAGS_SEC[best.lag]!, z: sd > 0 ? (best.r - mean) / sd : Number.NaN, frames: best.n };
}

function bestOfLags(lips: readonly number[], voiceAt: readonly (readonly number[])[], frames: readonly number[], lags: readonly number[], voiceIndex: (i: number) => number): { r: number; lag: number; n: number } {
  let best = { r: -Infinity, lag: lags[0] ?? 0, n: 0 };
  for (const l of lags) {
    const voice = voiceAt[l]!;
    const x: number[] = [], y: number[] = [];
    for (const i of frames) {
      x.push(lips[i]!);
      y.push(voice[voiceIndex(i)]!);
    }
    const { r, n } = pearsonOver(x, y, x.map((_, k) => k));
    if (r > best.r) best = { r, lag: l, n };
  }
  return best;
}
