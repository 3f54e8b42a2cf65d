/**
 * Which voice segments are the same voice: a voice print per segment (the mean cepstrum of its loud frames, from
 * the critical-band levels the voice tracker already measures: the long-term spectral envelope that tells one
 * vocal tract and one microphone from another, where pitch alone does not), and an agglomerative grouping that
 * stops by a rule measured in the recording itself: how far apart the two halves of one segment are (one voice by
 * construction) sets how far apart two segments of one voice may be. Hand-written rather than with an npm DSP library such
 * as meyda (its MFCC): the band spectrum exists already (loudness.ts), so the cepstrum is a 12-by-bands product,
 * where a library would run its own FFT over the PCM a second time. Pure arithmetic on arrays: unit-tested on synthetic spectra.
 */
import type { TimeSpan } from './timeSpans';

/** The voice's critical-band levels frame by frame (the voice tracker's: 10 ms steps, dB). */
export interface BandLevels {
  firstFrameSec: number;
  frameStepSec: number;
  intensityDb: Float32Array;
  /** Bands per frame in bandDb. */
  bands: number;
  /** Frame-major, dB. */
  bandDb: Float32Array;
}


/** Cepstral coefficients kept (c1..c12: the spectral envelope; c0, the level, is left out). */
export const CEPSTRA = 12;
/** Frames quieter than this under the segment's loudest are pauses and breaths, not the voice. */
const LOUD_WITHIN_DB = 25;
/** A half segment needs this many loud frames to be compared with the other half. */
const MIN_HALF_FRAMES = 30;
/** Merges stop at this level of the within-recording null (one-sided 1 %). */
const MERGE_Z = 2.326;

/** One segment's loud frames as cepstra (frame-major, CEPSTRA per frame). */
export function segmentCepstra(levels: BandLevels, span: TimeSpan): Float64Array[] {
  const { firstFrameSec, frameStepSec, intensityDb, bands, bandDb } = levels;
  const frames = intensityDb.length;
  const from = Math.max(0, Math.ceil((span.startSec - firstFrameSec) / frameStepSec));
  const to = Math.min(frames - 1, Math.floor((span.endSec - firstFrameSec) / frameStepSec));
  let loudest = -Infinity;
  for (let i = from; i <= to; i++) if (intensityDb[i]! > loudest) loudest = intensityDb[i]!;
  const out: Float64Array[] = [];
  if (bands < 2 || bandDb.length < frames * bands) return out;
  const basis = dctBasis(bands);
  for (let i = from; i <= to; i++) {
    if (!(intensityDb[i]! >= loudest - LOUD_WITHIN_DB)) continue;
    const c = new Float64Array(CEPSTRA);
    for (let k = 0; k < CEPSTRA; k++) {
      let sum = 0;
      for (let b = 0; b < bands; b++) sum += basis[k]![b]! * bandDb[i * bands + b]!;
      c[k] = sum;
    }
    out.push(c);
  }
  return out;
}

/** DCT-II rows 1..CEPSTRA over `bands` values (orthonormal scaling). */
function dctBasis(bands: number): Float64Array[] {
  return Array.from({ length: CEPSTRA }, (_, j) => Float64Array.from({ length: bands }, (_, b) => Math.sqrt(2 / bands) * Math.cos((Math.PI * (j + 1) * (b + 0.5)) / bands)));
}

interface Print {
  mean: Float64Array;
  frames: number;
}

function printOf(cepstra: readonly Float64Array[]): Print {
  const mean = new Float64Array(CEPSTRA);
  for (const c of cepstra) for (let k = 0; k < CEPSTRA; k++) mean[k]! += c[k]! / cepstra.length;
  return { mean, frames: cepstra.length };
}

/**
 * How far apart two prints are: the squared difference of means in units of the within-segment frame variance,
 * over (1/nA + 1/nB), so that for independent frames of one voice it would be chi-square with CEPSTRA degrees of
 * freedom. Frames are not independent (10 ms apart) and phonemes differ, so what one voice's distances are is
 * measured instead (groupVoices: the halves of each segment).
 */
function distance(a: Print, b: Print, variance: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < CEPSTRA; k++) sum += (a.mean[k]! - b.mean[k]!) ** 2 / variance[k]!;
  return sum / (1 / a.frames + 1 / b.frames);
}

/** Segments grouped into voices. */
export interface VoiceGrouping {
  /** Per segment, its voice (0, 1, ...: in order of first appearance); -1 where too few loud frames to print. */
  voiceOf: number[];
  /** The largest distance at which two groups may merge; undefined: too few segments to measure it (nothing grouped). */
  limit?: number;
}

/**
 * Groups segments into voices, agglomeratively: two groups merge while the mean distance between their
 * segments (average linkage) stays under the one-sided 1 % level of the same-voice distances, which are
 * measured in this recording: between the two halves of each segment long enough to halve (one voice by
 * construction), taken as log-normal (they are positive and skewed; chi-square fits their tail badly as frames
 * 10 ms apart are not independent). With fewer than three such segments nothing is grouped.
 */
export function groupVoices(levels: BandLevels, segments: readonly TimeSpan[]): VoiceGrouping {
  const cepstra = segments.map((s) => segmentCepstra(levels, s));
  const printable = cepstra.flatMap((c, i) => (c.length >= MIN_HALF_FRAMES ? [i] : []));
  const alone = (): VoiceGrouping => ({ voiceOf: numberInOrder(cepstra.map((_, i) => (printable.includes(i) ? i : -1))) });
  const variance = withinVariance(printable.map((i) => cepstra[i]!));
  const nulls: number[] = [];
  for (const c of cepstra) {
    if (c.length < 2 * MIN_HALF_FRAMES) continue;
    const half = Math.floor(c.length / 2);
    nulls.push(distance(printOf(c.slice(0, half)), printOf(c.slice(half)), variance));
  }
  if (nulls.length < 3 || variance.some((v) => !(v > 0))) return alone();
  const logs = nulls.map((d) => Math.log(Math.max(d, 1e-9)));
  const limit = Math.exp(mean(logs) + MERGE_Z * standardDeviation(logs));
  const prints = cepstra.map((c) => printOf(c));
  const d = (a: number, b: number) => distance(prints[a]!, prints[b]!, variance);
  const groups = printable.map((i) => [i]);
  const link = (a: number[], b: number[]) => {
    return mean(a.flatMap((i) => b.map((j) => d(i, j))));
  };
  for (;;) {
    let best: { a: number; b: number; d: number } | undefined;
    for (let a = 0; a < groups.length; a++) {
      for (let b = a + 1; b < groups.length; b++) {
        const between = link(groups[a]!, groups[b]!);
        if (!best || between < best.d) best = { a, b, d: between };
      }
    }
    if (!best || best.d > limit) break;
    groups[best.a] = [...groups[best.a]!, ...groups[best.b]!];
    groups.splice(best.b, 1);
  }
  const label = new Array<number>(segments.length).fill(-1);
  groups.forEach((g, k) => g.forEach((i) => (label[i] = k)));
  return { voiceOf: numberInOrder(label), limit };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function standardDeviation(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/** Frame variance of each coefficient about its own segment's mean, pooled over segments. */
function withinVariance(cepstra: readonly (readonly Float64Array[])[]): Float64Array {
  const sum = new Float64Array(CEPSTRA);
  let dof = 0;
  for (const c of cepstra) {
    const { mean } = printOf(c);
    for (const frame of c) for (let k = 0; k < CEPSTRA; k++) sum[k]! += (frame[k]! - mean[k]!) ** 2;
    dof += c.length - 1;
  }
  return sum.map((s) => (dof > 0 ? s / dof : 0));
}

/** Renumbers labels 0, 1, ... in order of first appearance; -1 stays. */
function numberInOrder(labels: readonly number[]): number[] {
  const seen = new Map<number, number>();
  return labels.map((l) => (l < 0 ? -1 : (seen.get(l) ?? (seen.set(l, seen.size), seen.size - 1))));
}

