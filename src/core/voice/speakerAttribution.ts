/**
 * Who is speaking: each span of speech is given to the face track whose mouth moves with the voice. The mouth's
 * motion is measured at the video's own rate (mouthMotion.ts: the analysis's 5 sampled frames per second are too
 * few to follow syllables), and over a span the speaker's mouth moves most when the voice is loudest; another
 * face's mouth, even a moving one (listening, laughing, or speaking with its sound muted), does not follow this
 * voice. Each visible track's correlation is judged by its Fisher z, atanh(r) sqrt(n - 3), with n the span's
 * independent moments (one per MOMENT_SEC: neighbouring frames are not independent): about standard
 * normal when the mouth has nothing to do with the voice. The best track speaks when its z passes a one-sided
 * 5 % level, else the voice is off screen. docs/voice.md ("Who is speaking") has the method and its figures.
 */
import type { Speaker, SpeakerAttributionStatus } from '../../shared/annotationDocument';
import type { MouthMotion, TimeSpan } from './mouthMotion';

/** The voice's intensity frame by frame (the voice tracker's: 10 ms steps, dB). */
export interface IntensityEnvelope {
  firstFrameSec: number;
  frameStepSec: number;
  intensityDb: Float32Array;
}

/** One-sided 5 % level of a standard normal: a mouth whose Fisher z passes it moves with the voice. */
export const SPEAKS_Z = 1.645;
/**
 * How long one independent moment of a span lasts: the voice's intensity is averaged over this window, so pairs
 * closer than it share their sound. Shorter moments (0.1 s) name more speakers and more wrong ones (docs/voice.md).
 */
export const MOMENT_SEC = 0.2;
/** A face is named only when it beats the next best this surely; below, two faces are alike and the speaker unknown. */
export const MIN_FACE_CONFIDENCE = 0.75;
/** Fewest independent moments a span needs for a track to be judged (0.8 s). */
export const MIN_MOMENTS = 4;
/**
 * The voice's intensity for a frame is its energy mean from 50 ms before to 150 ms after it: the sound of a
 * mouth's movement follows it by up to a couple of hundred ms (and recordings are often a little out of sync).
 */
const ENVELOPE_FROM_SEC = -0.05;
const ENVELOPE_WINDOW_SEC = 0.2;
/** Intensities below this (digital silence, Praat's -300 dB) count as this floor, so silence does not dominate the correlation. */
const SILENCE_FLOOR_DB = 20;

export interface SpeakerAttributionInput {
  /** Each track's mouth motion over the speech spans; absent when it could not be measured (`geometry` says why). */
  motion?: MouthMotion;
  envelope: IntensityEnvelope;
  /** Speakers are attributed only with face geometry on (`ok`); without it every span is `unknown`. */
  geometry: { ok: true } | { ok: false; reason: string };
}

export interface SpeakerAttributor {
  status: SpeakerAttributionStatus;
  speakerOf(span: TimeSpan): Speaker;
}

/** An attributor over one recording's mouths and voice; speakers are `unknown` when mouths were not measured. */
export function speakerAttributor(input: SpeakerAttributionInput): SpeakerAttributor {
  const motion = input.motion;
  if (!input.geometry.ok || !motion) {
    const reason = input.geometry.ok ? 'mouth motion was not measured' : `no mouth measures: ${input.geometry.reason}`;
    return { status: { status: 'unavailable', reason }, speakerOf: () => ({ kind: 'unknown', reason }) };
  }
  return { status: { status: 'ok', method: 'mouth-voice-correlation' }, speakerOf: (span) => attributeSpan(motion, input.envelope, span) };
}

/** How well one track's mouth follows the voice over a span. */
export interface TrackEvidence {
  trackId: number;
  frames: number;
  correlation: number;
  /** Fisher z: atanh(r) sqrt(moments - 3). */
  z: number;
}

export function attributeSpan(motion: MouthMotion, envelope: IntensityEnvelope, span: TimeSpan): Speaker {
  const moments = (span.endSec - span.startSec) / MOMENT_SEC;
  if (moments < MIN_MOMENTS) return { kind: 'unknown', reason: `too short to tell (${(span.endSec - span.startSec).toFixed(2)} s)` };
  if (motion.tracks.size === 0) return { kind: 'offscreen', confidence: 1 };
  const inSpan = motion.times.flatMap((t, i) => (t >= span.startSec && t <= span.endSec ? [i] : []));
  if (inSpan.length === 0) return { kind: 'unknown', reason: 'no video frame falls in the span' };
  const evidence = trackEvidence(motion, envelope, inSpan, moments);
  if (evidence.length === 0) return { kind: 'offscreen', confidence: 1 };
  return decide(evidence);
}

/**
 * The decision rule: the best-correlated track speaks when it passes SPEAKS_Z and clearly beats the runner-up
 * (else unknown); when none passes, the voice is off screen.
 */
export function decide(evidence: readonly TrackEvidence[]): Speaker {
  const ranked = [...evidence].sort((a, b) => b.z - a.z);
  const best = ranked[0]!;
  if (best.z < SPEAKS_Z) return { kind: 'offscreen', confidence: round(normalCdf(SPEAKS_Z - best.z), 3) };
  // Two independent z's differ by a normal of SD sqrt(2): the chance the best really beats the runner-up (or silence).
  const runnerUp = Math.max(0, ranked[1]?.z ?? 0);
  const confidence = round(normalCdf((best.z - runnerUp) / Math.SQRT2), 3);
  // Two mouths that follow the voice about as well: saying which would be a guess.
  if (confidence < MIN_FACE_CONFIDENCE) return { kind: 'unknown', reason: `two faces move with the voice alike (tracks ${best.trackId} and ${ranked[1]!.trackId})` };
  return { kind: 'face', trackId: best.trackId, confidence };
}

/** Each track visible through most of the span: the correlation of its mouth motion with the voice's intensity. */
export function trackEvidence(motion: MouthMotion, envelope: IntensityEnvelope, frames: readonly number[], moments: number): TrackEvidence[] {
  const voice = frames.map((i) => intensityAround(envelope, motion.times[i]!));
  const evidence: TrackEvidence[] = [];
  for (const [trackId, series] of motion.tracks) {
    const x: number[] = [], y: number[] = [];
    frames.forEach((i, k) => {
      const m = series[i]!;
      if (Number.isFinite(m) && voice[k] !== undefined) {
        x.push(m);
        y.push(voice[k]);
      }
    });
    // A face seen in under half the span is judged on too little of it.
    if (x.length < frames.length / 2) continue;
    const r = pearson(x, y);
    const n = moments * (x.length / frames.length);
    evidence.push({ trackId, frames: x.length, correlation: round(r, 4), z: fisherZ(r, n) });
  }
  return evidence;
}

/** Energy-mean intensity (dB) over the envelope window of a frame at `timeSec`, floored; undefined outside the envelope. */
export function intensityAround(envelope: IntensityEnvelope, timeSec: number): number | undefined {
  const { firstFrameSec, frameStepSec, intensityDb } = envelope;
  const start = timeSec + ENVELOPE_FROM_SEC;
  const from = Math.max(0, Math.ceil((start - firstFrameSec) / frameStepSec));
  const to = Math.min(intensityDb.length - 1, Math.floor((start + ENVELOPE_WINDOW_SEC - firstFrameSec) / frameStepSec));
  let energy = 0, count = 0;
  for (let i = from; i <= to; i++) {
    const db = intensityDb[i]!;
    if (!Number.isFinite(db)) continue;
    energy += Math.pow(10, Math.max(SILENCE_FLOOR_DB, db) / 10);
    count++;
  }
  return count > 0 ? 10 * Math.log10(energy / count) : undefined;
}

/** Pearson's r; 0 when either series does not vary (a still mouth tells nothing). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

function fisherZ(r: number, n: number): number {
  const clamped = Math.max(-0.999, Math.min(0.999, r));
  return round(Math.atanh(clamped) * Math.sqrt(Math.max(1, n - 3)), 3);
}

/** The standard normal's cumulative distribution (Abramowitz & Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
