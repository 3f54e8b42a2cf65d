/**
 * Glottal pulses as Praat's "To PointProcess (periodic, cc)" finds them (Sound_Pitch_to_PointProcess_cc):
 * in each voiced stretch of the pitch path, start at the largest absolute extremum within one period of the
 * stretch's middle, then step one period at a time to the left and to the right, each time to where the
 * cycle correlates best with the previous one (search 0.8 to 1.25 periods away), keeping a point when the
 * correlation is above 0.3 and the cycle is not near-silent; past the stretch's edge one more point is kept
 * if it is clearly periodic (correlation above 0.7). The period amplitudes for shimmer follow Praat's
 * PointProcess_Sound_to_AmplitudeTier_period: a Hann-windowed RMS around each pulse.
 *
 * Times are seconds with sample n at n / sampleRate (the engine's convention); Praat's own time axis puts
 * sample n at (n + 0.5) / sampleRate, a constant shift that no period measure sees.
 */

/** The part of the recording still held, addressed by absolute sample number. */
export interface SoundView {
  samples: Float32Array;
  /** Absolute number of samples[0]. */
  offset: number;
  /** Samples in the recording so far (all of it once finished): Praat clips its windows to these. */
  total: number;
  sampleRate: number;
}

/** The pitch path so far: F0 per frame (0 = unvoiced), frame k centred at firstFrameSec + k * frameStepSec. */
export interface PitchContour {
  f0: ArrayLike<number>;
  frames: number;
  firstFrameSec: number;
  frameStepSec: number;
}

function sampleAt(sound: SoundView, index: number): number {
  return sound.samples[index - sound.offset]!;
}

/** Praat's Pitch_getValueAtTime (linear): the nearest frame must be voiced; the other one is blended in when it is. */
export function pitchAt(contour: PitchContour, sound: SoundView, time: number): number {
  const domainStart = -0.5 / sound.sampleRate, domainEnd = (sound.total - 0.5) / sound.sampleRate;
  if (time < domainStart || time > domainEnd) return NaN;
  const real = (time - contour.firstFrameSec) / contour.frameStepSec;
  const left = Math.floor(real);
  let phase = real - left;
  let near: number, far: number;
  if (phase < 0.5) {
    near = left;
    far = left + 1;
  } else {
    near = left + 1;
    far = left;
    phase = 1 - phase;
  }
  if (near < 0 || near >= contour.frames) return NaN;
  const fNear = contour.f0[near]!;
  if (!(fNear > 0)) return NaN;
  if (far < 0 || far >= contour.frames) return fNear;
  const fFar = contour.f0[far]!;
  if (!(fFar > 0)) return fNear;
  return fNear + phase * (fFar - fNear);
}

/** Time of the largest absolute sample in [tmin, tmax], refined by a parabola through its neighbours. */
export function findExtremum(sound: SoundView, tmin: number, tmax: number): number {
  const fs = sound.sampleRate;
  const first = Math.max(0, Math.floor(tmin * fs));
  const last = Math.min(sound.total - 1, Math.ceil(tmax * fs));
  const n = last - first + 1;
  if (n <= 0) return 0.5 * (tmin + tmax);
  let position: number;
  if (n === 1) position = 0;
  else if (n === 2) {
    const a = Math.abs(sampleAt(sound, first)), b = Math.abs(sampleAt(sound, last));
    position = a > b ? 0 : a < b ? 1 : 0.5;
  } else position = extremumPosition(sound, first, n);
  return (first + position) / fs;
}

/** Offset (from `first`, fractional) of the extremum among n >= 3 samples, as Praat's findExtremum_3. */
function extremumPosition(sound: SoundView, first: number, n: number): number {
  let minimum = sampleAt(sound, first), maximum = minimum, iMin = 0, iMax = 0;
  for (let i = 1; i < n; i++) {
    const v = sampleAt(sound, first + i);
    if (v < minimum) {
      minimum = v;
      iMin = i;
    }
    if (v > maximum) {
      maximum = v;
      iMax = i;
    }
  }
  if (minimum === maximum) return 0.5 * (n - 1);
  const i = Math.abs(minimum) > Math.abs(maximum) ? iMin : iMax;
  if (i === 0 || i === n - 1) return i;
  const mid = sampleAt(sound, first + i), left = sampleAt(sound, first + i - 1), right = sampleAt(sound, first + i + 1);
  return i + (0.5 * (right - left)) / (2 * mid - left - right);
}

export interface CorrelationPeak {
  /** -1 when no maximum was found. */
  correlation: number;
  time: number;
  /** Largest absolute sample of the matched cycle (Praat's quirk: of the window after the best one). */
  peak: number;
}

/**
 * Where between tmin2 and tmax2 a window of `windowLength` looks most like the one centred at t1 (Praat's
 * Sound_findMaximumCorrelation): normalised correlation at each sample shift, the best local maximum, and a
 * parabola through it and its neighbours.
 */
export function findMaximumCorrelation(sound: SoundView, t1: number, windowLength: number, tmin2: number, tmax2: number): CorrelationPeak {
  const fs = sound.sampleRate;
  const half = 0.5 * windowLength;
  const left1 = Math.floor((t1 - half) * fs + 0.5);
  const right1 = Math.floor((t1 + half) * fs + 0.5);
  const left2Min = Math.floor((tmin2 - half) * fs);
  const left2Max = Math.ceil((tmax2 - half) * fs);
  const width = right1 - left1 + 1;
  const inside = left1 >= 0 && right1 < sound.total && left2Min >= 0 && left2Max + width - 1 < sound.total;
  const correlate = inside ? correlationInside : correlationAtEdges;
  let best = -1, r1Best = NaN, r3Best = NaN, shiftBest = NaN, peak = 0;
  let r1 = 0, r2 = 0, r3 = 0;
  const state: WindowNorms = { norm1: NaN, norm2: NaN };
  for (let left2 = left2Min; left2 <= left2Max; left2++) {
    r1 = r2;
    r2 = r3;
    r3 = correlate(sound, left1, width, left2, state);
    if (r2 > best && r2 >= r1 && r2 >= r3) {
      r1Best = r1;
      best = r2;
      r3Best = r3;
      shiftBest = left2 - 1;
      // Praat keeps the peak of the window just correlated (left2), not of the best one (left2 - 1).
      peak = windowPeak(sound, left2, width);
    }
  }
  if (!(best > -1)) return { correlation: -1, time: NaN, peak };
  const d2r = 2 * best - r1Best - r3Best;
  if (d2r !== 0) {
    const dr = 0.5 * (r3Best - r1Best);
    best += (0.5 * dr * dr) / d2r;
    shiftBest += dr / d2r;
  }
  return { correlation: best, time: t1 + (shiftBest - left1) / fs, peak };
}

/** Sums of squares of the fixed window and of the sliding one, carried from one shift to the next. */
interface WindowNorms {
  norm1: number;
  norm2: number;
}

/** Normalised correlation of the windows at left1 and left2, both inside the recording (norm2 slides along). */
function correlationInside(sound: SoundView, left1: number, width: number, left2: number, state: WindowNorms): number {
  const x = sound.samples, o = sound.offset;
  const a0 = left1 - o, b0 = left2 - o;
  let product = 0;
  for (let i = 0; i < width; i++) product += x[a0 + i]! * x[b0 + i]!;
  if (Number.isNaN(state.norm2)) {
    state.norm1 = 0;
    state.norm2 = 0;
    for (let i = 0; i < width; i++) {
      state.norm1 += x[a0 + i]! * x[a0 + i]!;
      state.norm2 += x[b0 + i]! * x[b0 + i]!;
    }
  } else {
    const leaving = x[b0 - 1]!, entering = x[b0 + width - 1]!;
    state.norm2 += entering * entering - leaving * leaving;
  }
  return product !== 0 ? product / Math.sqrt(state.norm1 * state.norm2) : 0;
}

/** The same near the recording's ends, where Praat skips the sample pairs that fall outside. */
function correlationAtEdges(sound: SoundView, left1: number, width: number, left2: number): number {
  let norm1 = 0, norm2 = 0, product = 0;
  for (let i = 0; i < width; i++) {
    const i1 = left1 + i, i2 = left2 + i;
    if (i1 < 0 || i1 >= sound.total || i2 < 0 || i2 >= sound.total) continue;
    const a = sampleAt(sound, i1), b = sampleAt(sound, i2);
    norm1 += a * a;
    norm2 += b * b;
    product += a * b;
  }
  return product !== 0 ? product / Math.sqrt(norm1 * norm2) : 0;
}

function windowPeak(sound: SoundView, left: number, width: number): number {
  let peak = 0;
  for (let i = Math.max(0, left); i < Math.min(sound.total, left + width); i++) peak = Math.max(peak, Math.abs(sampleAt(sound, i)));
  return peak;
}

export interface PulseState {
  /** The last point added going right, carried from one voiced stretch to the next (Praat's addedRight). */
  addedRight: number;
}

/**
 * The pulses of the voiced stretch from frame `firstFrame` to `lastFrame` (inclusive), in time order.
 * `absolutePeak`: the recording's largest absolute sample (Praat's threshold for near-silent cycles).
 */
export function pulsesInStretch(
  sound: SoundView, contour: PitchContour, firstFrame: number, lastFrame: number, absolutePeak: number, state: PulseState,
): number[] {
  const dt = contour.frameStepSec;
  const domainStart = -0.5 / sound.sampleRate, domainEnd = (sound.total - 0.5) / sound.sampleRate;
  const tLeft = Math.max(domainStart, contour.firstFrameSec + firstFrame * dt - 0.5 * dt);
  const tRight = Math.min(domainEnd, contour.firstFrameSec + lastFrame * dt + 0.5 * dt);
  const tMiddle = 0.5 * (tLeft + tRight);
  const f0Middle = pitchAt(contour, sound, tMiddle);
  if (!(f0Middle > 0)) return [];
  const leftward: number[] = [];
  const rightward: number[] = [];
  const start = findExtremum(sound, tMiddle - 0.5 / f0Middle, tMiddle + 0.5 / f0Middle);
  let t = start;
  for (;;) {
    const f0 = pitchAt(contour, sound, t);
    if (!(f0 > 0)) break;
    const found = findMaximumCorrelation(sound, t, 1 / f0, t - 1.25 / f0, t - 0.8 / f0);
    // No maximum at all: Praat drops this one period and carries on a period further.
    t = found.correlation === -1 ? t - 1 / f0 : found.time;
    if (t < tLeft) {
      if (found.correlation > 0.7 && found.peak > 0.023333 * absolutePeak && t - state.addedRight > 0.8 / f0) leftward.push(t);
      break;
    }
    if (found.correlation > 0.3 && (found.peak === 0 || found.peak > 0.01 * absolutePeak)) {
      // Do not fill in a short unvoiced gap twice (the previous stretch's rightward points reached it).
      if (t - state.addedRight > 0.8 / f0) leftward.push(t);
    }
  }
  t = start;
  for (;;) {
    const f0 = pitchAt(contour, sound, t);
    if (!(f0 > 0)) break;
    const found = findMaximumCorrelation(sound, t, 1 / f0, t + 0.8 / f0, t + 1.25 / f0);
    t = found.correlation === -1 ? t + 1 / f0 : found.time;
    if (t > tRight) {
      if (found.correlation > 0.7 && found.peak > 0.023333 * absolutePeak) {
        rightward.push(t);
        state.addedRight = t;
      }
      break;
    }
    if (found.correlation > 0.3 && (found.peak === 0 || found.peak > 0.01 * absolutePeak)) {
      rightward.push(t);
      state.addedRight = t;
    }
  }
  const points = [...leftward, start, ...rightward].sort((a, b) => a - b);
  // Praat's point process holds each time once.
  return points.filter((p, i) => i === 0 || p !== points[i - 1]);
}

/** Praat's period-amplitude rules for shimmer: a period between 0.1 and 20 ms, neighbours within a factor 1.3. */
export const SHORTEST_PERIOD = 0.0001;
export const LONGEST_PERIOD = 0.02;
export const MAXIMUM_PERIOD_FACTOR = 1.3;

export function periodPairCounts(p1: number, p2: number): boolean {
  const factor = p1 > p2 ? p1 / p2 : p2 / p1;
  return p1 >= SHORTEST_PERIOD && p1 <= LONGEST_PERIOD && p2 >= SHORTEST_PERIOD && p2 <= LONGEST_PERIOD && factor <= MAXIMUM_PERIOD_FACTOR;
}

/**
 * The amplitude Praat's shimmer uses for the pulse at `time` between its neighbours: the RMS under a Hann
 * window reaching 0.2 of the period before and 0.2 of the period after; NaN when Praat would not measure it.
 */
export function pulseAmplitude(sound: SoundView, previous: number, time: number, next: number): number {
  const p1 = time - previous, p2 = next - time;
  if (!periodPairCounts(p1, p2)) return NaN;
  const widthLeft = 0.2 * p1, widthRight = 0.2 * p2;
  const fs = sound.sampleRate;
  const first = Math.max(0, Math.ceil((time - widthLeft) * fs));
  const last = Math.min(sound.total - 1, Math.floor((time + widthRight) * fs));
  if (last - first + 1 < 3) return NaN;
  let sumSquares = 0, windowSquares = 0;
  for (let i = first; i <= last; i++) {
    const t = i / fs;
    const width = t < time ? widthLeft : widthRight;
    const w = 0.5 + 0.5 * Math.cos((Math.PI * (t - time)) / width);
    const v = sampleAt(sound, i) * w;
    sumSquares += v * v;
    windowSquares += w * w;
  }
  const rms = Math.sqrt(sumSquares / windowSquares);
  return rms > 0 ? rms : NaN;
}
