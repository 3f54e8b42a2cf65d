/**
 * A span of a voice track summarised the way Praat's queries summarise a selection: F0 statistics over the
 * voiced frames (Pitch: Get mean / standard deviation / quantile, in semitones), the energy mean of the
 * intensity (Intensity: Get mean, "energy"), the mean harmonicity of the sounding frames (Harmonicity: Get
 * mean, which skips Praat's -200 dB frames), local jitter and shimmer from the pulses inside the span
 * (PointProcess: Get jitter (local) 0.0001, 0.02, 1.3; Get shimmer (local_dB) ..., 1.6). Nothing is rounded.
 * A frame belongs to the span when its centre does; a pulse when its time does.
 */
import type { VoiceFeatures } from '../../shared/annotationDocument';
import { LONGEST_PERIOD, MAXIMUM_PERIOD_FACTOR, periodPairCounts, SHORTEST_PERIOD } from './glottalPulses';
import type { VoiceTrack } from './voiceTracker';

/** The semitone scale's reference (A0): 12 log2(f / 27.5). */
export const SEMITONE_REFERENCE_HZ = 27.5;
/** Praat's "Get shimmer": consecutive amplitudes more than this factor apart are not compared. */
const MAXIMUM_AMPLITUDE_FACTOR = 1.6;
/** Fewer periods than this in a span leave jitter and shimmer null. */
const MINIMUM_PERIODS = 3;

export function hertzToSemitones(hertz: number): number {
  return 12 * Math.log2(hertz / SEMITONE_REFERENCE_HZ);
}

export function summariseVoice(track: VoiceTrack, startSec: number, endSec: number): VoiceFeatures {
  const [from, to] = frameRange(track, startSec, endSec);
  const frames = Math.max(0, to - from + 1);
  const semitones: number[] = [];
  let energy = 0, energyFrames = 0, loudness = 0, loudnessFrames = 0, hnr = 0, hnrFrames = 0;
  for (let i = from; i <= to; i++) {
    const f0 = track.f0Hz[i]!;
    if (f0 > 0) semitones.push(hertzToSemitones(f0));
    const db = track.intensityDb[i]!;
    if (Number.isFinite(db)) {
      // Praat's -300 dB (digital silence) counts as zero energy.
      energy += db <= -300 ? 0 : Math.pow(10, db / 10);
      energyFrames++;
    }
    const sones = track.loudness[i]!;
    if (Number.isFinite(sones)) {
      loudness += sones;
      loudnessFrames++;
    }
    const h = track.hnrDb[i]!;
    if (Number.isFinite(h)) {
      hnr += h;
      hnrFrames++;
    }
  }
  const f0 = pitchStatistics(semitones);
  const [firstPulse, lastPulse] = pulseRange(track.periodTimes, startSec, endSec);
  return {
    ...f0,
    intensityDb: energyFrames > 0 ? (energy > 0 ? 10 * Math.log10(energy / energyFrames) : -300) : null,
    loudness: loudnessFrames > 0 ? loudness / loudnessFrames : null,
    jitterLocal: jitterLocal(track.periodTimes, firstPulse, lastPulse),
    shimmerLocalDb: shimmerLocalDb(track.periodTimes, track.periodPeaks, firstPulse, lastPulse),
    hnrDb: hnrFrames > 0 ? hnr / hnrFrames : null,
    voicedFraction: frames > 0 ? semitones.length / frames : 0,
  };
}

/** Frames whose centre lies in [start, end], as an inclusive index range (empty when to < from). */
function frameRange(track: VoiceTrack, startSec: number, endSec: number): [number, number] {
  const n = track.f0Hz.length;
  const position = (t: number) => (t - track.firstFrameSec) / track.frameStepSec;
  const from = Math.max(0, Math.ceil(position(startSec) - 1e-9));
  const to = Math.min(n - 1, Math.floor(position(endSec) + 1e-9));
  return [from, to];
}

type PitchStatistics = Pick<VoiceFeatures, 'f0MeanSemitones' | 'f0SdSemitones' | 'f0P20Semitones' | 'f0P50Semitones' | 'f0P80Semitones'>;

function pitchStatistics(semitones: number[]): PitchStatistics {
  const n = semitones.length;
  if (n === 0) return { f0MeanSemitones: null, f0SdSemitones: null, f0P20Semitones: null, f0P50Semitones: null, f0P80Semitones: null };
  const mean = semitones.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(semitones.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (n - 1)) : null;
  const sorted = Float64Array.from(semitones).sort();
  return { f0MeanSemitones: mean, f0SdSemitones: sd, f0P20Semitones: quantile(sorted, 0.2), f0P50Semitones: quantile(sorted, 0.5), f0P80Semitones: quantile(sorted, 0.8) };
}

/** Praat's NUMquantile on sorted values: linear between the two values around position q n + 0.5 (1-based). */
export function quantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0]!;
  const place = q * n + 0.5;
  const left = Math.min(n - 1, Math.max(1, Math.floor(place)));
  return sorted[left - 1]! + (place - left) * (sorted[left]! - sorted[left - 1]!);
}

/** First pulse at or after start and last at or before end (Praat's window points); to < from when none. */
function pulseRange(times: Float64Array, startSec: number, endSec: number): [number, number] {
  let from = 0;
  while (from < times.length && times[from]! < startSec) from++;
  let to = times.length - 1;
  while (to >= 0 && times[to]! > endSec) to--;
  return [from, to];
}

/** Praat's PointProcess_isPeriod: is the interval from pulse i to i + 1 a period (with the recording's neighbours)? */
function isPeriod(times: Float64Array, i: number): boolean {
  if (i < 0 || i + 1 >= times.length) return false;
  const interval = times[i + 1]! - times[i]!;
  if (interval <= 0 || interval < SHORTEST_PERIOD || interval > LONGEST_PERIOD) return false;
  const previous = i >= 1 ? times[i]! - times[i - 1]! : NaN;
  const next = i + 2 < times.length ? times[i + 2]! - times[i + 1]! : NaN;
  const factor = (neighbour: number) => {
    if (!(neighbour > 0)) return NaN;
    const f = interval / neighbour;
    return f < 1 ? 1 / f : f;
  };
  const previousFactor = factor(previous), nextFactor = factor(next);
  if (Number.isNaN(previousFactor) && Number.isNaN(nextFactor)) return true;
  return !(previousFactor > MAXIMUM_PERIOD_FACTOR && nextFactor > MAXIMUM_PERIOD_FACTOR);
}

function meanPeriod(times: Float64Array, first: number, last: number): number {
  let sum = 0, count = 0;
  for (let i = first; i < last; i++) {
    if (!isPeriod(times, i)) continue;
    sum += times[i + 1]! - times[i]!;
    count++;
  }
  return count > 0 ? sum / count : NaN;
}

/** Praat's Get jitter (local): mean absolute difference of consecutive periods over the mean period. */
function jitterLocal(times: Float64Array, first: number, last: number): number | null {
  if (last - first < MINIMUM_PERIODS) return null;
  let periods = last - first;
  let sum = 0;
  for (let i = first + 1; i < last; i++) {
    const p1 = times[i]! - times[i - 1]!, p2 = times[i + 1]! - times[i]!;
    if (periodPairCounts(p1, p2)) sum += Math.abs(p1 - p2);
    else periods--;
  }
  if (periods < 2) return null;
  const mean = meanPeriod(times, first, last);
  const jitter = sum / (periods - 1) / mean;
  return Number.isFinite(jitter) ? jitter : null;
}

/** Praat's Get shimmer (local_dB): mean |20 log10| of the ratio of consecutive measured pulse amplitudes. */
function shimmerLocalDb(times: Float64Array, peaks: Float32Array, first: number, last: number): number | null {
  if (last - first < MINIMUM_PERIODS) return null;
  let sum = 0, count = 0;
  let previousTime = NaN, previousPeak = NaN;
  for (let i = first + 1; i < last; i++) {
    const peak = peaks[i]!;
    if (!(peak > 0)) continue;
    const time = times[i]!;
    if (!Number.isNaN(previousPeak)) {
      const period = time - previousTime;
      const factor = previousPeak > peak ? previousPeak / peak : peak / previousPeak;
      if (period >= SHORTEST_PERIOD && period <= LONGEST_PERIOD && factor <= MAXIMUM_AMPLITUDE_FACTOR) {
        sum += Math.abs(Math.log10(previousPeak / peak));
        count++;
      }
    }
    previousTime = time;
    previousPeak = peak;
  }
  return count > 0 ? (20 * sum) / count : null;
}
