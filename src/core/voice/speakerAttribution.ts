/**
 * Who is speaking: each voice segment is given to the face track whose mouth moves with that voice (avSynchrony.ts:
 * the jaw drop from the face mesh against the voice's amplitude envelope at syllable rates, scored as a z against the same
 * mouth with the voice shifted by seconds). One segment holds little evidence, so each face is first judged over
 * all the speech at once (its own lag, and whether its mouth follows the voice at all); only a face that does can
 * be named for a segment, by its evidence there at that lag. With no such face the voice is off screen. An
 * utterance takes the speaker of the segments it overlaps most. docs/voice.md has the method and its figures.
 */
import type { Speaker, SpeakerAttributionStatus } from '../../shared/annotationDocument';
import { bandPass, frameRuns, LAGS_SEC, medianStep, synchrony } from './avSynchrony';
import { groupVoices } from './voicePrint';
import type { Synchrony } from './avSynchrony';
import type { MouthSeries } from './mouthOpenings';
import { withinSpans } from './timeSpans';
import type { TimeSpan } from './timeSpans';

/** The voice's intensity frame by frame (the voice tracker's: 10 ms steps, dB), and its critical-band levels when measured (for voice prints). */
export interface IntensityEnvelope {
  firstFrameSec: number;
  frameStepSec: number;
  intensityDb: Float32Array;
  bands?: number;
  bandDb?: Float32Array;
}

/** One-sided 1 % level of a standard normal: a face whose mouth follows the voice over all the speech this surely speaks. */
export const SPEAKS_Z = 2.326;
/** One-sided 5 % level: a segment's own evidence for a face among several. */
export const SEGMENT_Z = 1.645;
/** The best face must beat every other by this much (z difference over sqrt 2, one-sided 5 %); else unknown. */
export const MARGIN_Z = 1.645;
/** A face seen in under this share of a segment's frames is not judged on it. */
const MIN_COVERAGE = 0.6;
/** Less of another speaker in an utterance is boundary jitter: the VAD keeps no shorter speech (speechActivity.ts, VAD_RULES.minSpeechSec). */
const MIN_SPEECH_SEC = 0.25;
/** Intensities this far below the recording's loudest frame count as that floor: silence must not dominate. */
const FLOOR_BELOW_MAX_DB = 50;

export interface SpeakerAttributionInput {
  /** Each track's mouth opening over the speech spans; absent when it could not be measured (`geometry` says why). */
  mouths?: MouthSeries;
  envelope: IntensityEnvelope;
  /** Speakers are attributed only with face geometry on (`ok`); without it every span is `unknown`. */
  geometry: { ok: true } | { ok: false; reason: string };
}

export interface SpeakerAttributor {
  status: SpeakerAttributionStatus;
  /** One speaker per segment, in order. */
  attribute(segments: readonly TimeSpan[]): Speaker[];
}

/** An attributor over one recording's mouths and voice; speakers are `unknown` when mouths were not measured. */
export function speakerAttributor(input: SpeakerAttributionInput): SpeakerAttributor {
  const mouths = input.mouths;
  if (!input.geometry.ok || !mouths) {
    const reason = input.geometry.ok ? 'mouth openings were not measured' : `no mouth measures: ${input.geometry.reason}`;
    return { status: { status: 'unavailable', reason }, attribute: (segments) => segments.map(() => ({ kind: 'unknown', reason })) };
  }
  return { status: { status: 'ok', method: 'mouth-voice-synchrony' }, attribute: (segments) => attributeSegments(mouths, input.envelope, segments) };
}

/**
 * Every segment's speaker. First each face's synchrony over all the speech at once (its best lag, and whether
 * it follows the voice at all: `speaks`); then each segment's synchrony at the face's own lag.
 */
export function attributeSegments(mouths: MouthSeries, envelope: IntensityEnvelope, segments: readonly TimeSpan[]): Speaker[] {
  if (mouths.tracks.size === 0) return segments.map(() => ({ kind: 'offscreen', confidence: 1 }));
  const signals = syllableSignals(mouths, envelope);
  const inSpeech = mouths.times.flatMap((t, i) => (withinSpans(t, segments) ? [i] : []));
  const faces = new Map<number, Synchrony>();
  for (const [id, values] of signals.tracks) {
    const whole = synchrony(values, signals.voiceAt, inSpeech.filter((i) => Number.isFinite(values[i]!)), signals.fps);
    if (whole) faces.set(id, whole);
  }
  const voiceOf = envelope.bands && envelope.bandDb ? groupVoices({ ...envelope, bands: envelope.bands, bandDb: envelope.bandDb }, segments).voiceOf : segments.map(() => -1);
  const byVoice = new Map<number, VoiceSpeaker | undefined>();
  for (const voice of new Set(voiceOf.filter((v) => v >= 0))) {
    const itsSegments = segments.filter((_, k) => voiceOf[k] === voice);
    const frames = inSpeech.filter((i) => withinSpans(mouths.times[i]!, itsSegments));
    byVoice.set(voice, decideVoice(signals, frames));
  }
  return segments.map((span, k) => {
    const voice = byVoice.get(voiceOf[k]!);
    // The voice's face is measured at its lag with that voice: over all the speech its lag is blurred by other people's voices.
    const evidence = segmentEvidence(signals, faces, span, voice ? new Map([[voice.speaker.trackId, voice.lagSec]]) : undefined);
    return withVoice(decide(evidence), voice?.speaker, evidence);
  });
}

/**
 * One voice's speaker, from all its segments at once: a face whose mouth follows that voice (z >= SPEAKS_Z over its
 * frames, at its best lag), beats every other face seen on them by MARGIN_Z, and is the only one that follows it
 * (another face at SPEAKS_Z says the group may hold two people's segments). Undefined when there is none.
 */
function decideVoice(signals: SyllableSignals, frames: readonly number[]): VoiceSpeaker | undefined {
  const scores: { trackId: number; z: number; lagSec: number }[] = [];
  for (const [id, values] of signals.tracks) {
    const seen = frames.filter((i) => Number.isFinite(values[i]!));
    if (seen.length < MIN_COVERAGE * frames.length) continue;
    const found = synchrony(values, signals.voiceAt, seen, signals.fps);
    if (found && Number.isFinite(found.z)) scores.push({ trackId: id, z: found.z, lagSec: found.lagSec });
  }
  scores.sort((a, b) => b.z - a.z);
  const [best, ...others] = scores;
  if (!best || best.z < SPEAKS_Z || others.some((o) => o.z >= SPEAKS_Z)) return undefined;
  const margin = (best.z - Math.max(0, ...others.map((o) => o.z))) / Math.SQRT2;
  return margin >= MARGIN_Z ? { speaker: { kind: 'face', trackId: best.trackId, confidence: round(normalCdf(margin), 3) }, lagSec: best.lagSec } : undefined;
}

/** A voice's speaker, and the lag at which that face's mouth follows that voice best. */
interface VoiceSpeaker {
  speaker: Extract<Speaker, { kind: 'face' }>;
  lagSec: number;
}

/**
 * A segment takes its voice's speaker unless its own evidence goes against it: that face unseen in it, its mouth
 * against this span (z < 0) or following it less than another face's does, or the span on its own naming another
 * face (then unknown). Without a voice speaker, the span's own.
 */
function withVoice(own: Speaker, voice: Extract<Speaker, { kind: 'face' }> | undefined, evidence: readonly FaceEvidence[]): Speaker {
  if (!voice) return own;
  if (own.kind === 'face' && own.trackId !== voice.trackId) return { kind: 'unknown', reason: `its voice is track ${voice.trackId}'s, but the span alone is track ${own.trackId}'s` };
  const here = evidence.find((e) => e.trackId === voice.trackId);
  // Too short to measure (z NaN) is no evidence against: the voice print placed it.
  const against = !here || here.z < 0 || evidence.some((e) => e.trackId !== voice.trackId && e.z > here.z);
  if (against) return own.kind === 'face' ? own : { kind: 'unknown', reason: `its voice is track ${voice.trackId}'s, but that mouth does not follow this span best` };
  return voice;
}

interface SyllableSignals {
  fps: number;
  frameTimes: readonly number[];
  /** The band-passed voice envelope per frame, one array per lag of LAGS_SEC. */
  voiceAt: number[][];
  /** Each track's band-passed mouth opening per frame. */
  tracks: Map<number, number[]>;
}

function syllableSignals(mouths: MouthSeries, envelope: IntensityEnvelope): SyllableSignals {
  const runs = frameRuns(mouths.times);
  const fps = 1 / medianStep(mouths.times);
  const amplitude = amplitudeAt(envelope);
  const voiceAt = LAGS_SEC.map((lag) => bandPass(mouths.times.map((t) => amplitude(t + lag)), runs, fps));
  return { fps, frameTimes: mouths.times, voiceAt, tracks: new Map([...mouths.tracks].map(([id, values]) => [id, bandPass(values, runs, fps)])) };
}

/** One face's evidence in a segment: z at its own lag, and whether over all the speech it follows the voice at all. */
export interface FaceEvidence {
  trackId: number;
  z: number;
  /** The face's whole-speech z passed SPEAKS_Z. */
  speaks: boolean;
  /** The face's whole-speech z. */
  overallZ: number;
}

function segmentEvidence(signals: SyllableSignals, faces: ReadonlyMap<number, Synchrony>, span: TimeSpan, lags?: ReadonlyMap<number, number>): FaceEvidence[] {
  const times = signals.voiceAt[0]!.map((_, i) => i);
  const evidence: FaceEvidence[] = [];
  for (const [id, values] of signals.tracks) {
    const frames = times.filter((i) => signals.frameTimes[i]! >= span.startSec && signals.frameTimes[i]! <= span.endSec);
    const seen = frames.filter((i) => Number.isFinite(values[i]!));
    const whole = faces.get(id);
    if (frames.length === 0 || seen.length < MIN_COVERAGE * frames.length || !whole) continue;
    const own = synchrony(values, signals.voiceAt, seen, signals.fps, [LAGS_SEC.indexOf(lags?.get(id) ?? whole.lagSec)]);
    evidence.push({ trackId: id, z: own?.z ?? Number.NaN, speaks: whole.z >= SPEAKS_Z, overallZ: whole.z });
  }
  return evidence;
}

/**
 * The decision rule. Only a face whose mouth follows the voice over all the speech (`speaks`) can be named; with
 * none on screen the voice is off screen. A lone face that speaks takes every segment its mouth does not go against
 * (z >= 0); among several faces the best must pass SEGMENT_Z and beat every other visible face by MARGIN_Z, else
 * the segment is unknown. Confidence: the normal probability of the winning margin.
 */
export function decide(evidence: readonly FaceEvidence[]): Speaker {
  if (evidence.length === 0) return { kind: 'offscreen', confidence: 1 };
  const candidates = evidence.filter((e) => e.speaks && Number.isFinite(e.z)).sort((a, b) => b.z - a.z);
  // A face that speaks is on screen, but this span is too short to measure: it may be theirs.
  if (candidates.length === 0 && evidence.some((e) => e.speaks)) return { kind: 'unknown', reason: 'too short to measure how a mouth follows it' };
  if (candidates.length === 0) {
    const closest = Math.max(...evidence.map((e) => (Number.isFinite(e.overallZ) ? e.overallZ : -Infinity)));
    if (!Number.isFinite(closest)) return { kind: 'unknown', reason: 'too little speech to measure how a mouth follows it' };
    return { kind: 'offscreen', confidence: round(normalCdf(SPEAKS_Z - closest), 3) };
  }
  const best = candidates[0]!;
  const others = evidence.filter((e) => e.trackId !== best.trackId && Number.isFinite(e.z));
  if (others.length === 0) {
    return best.z >= 0 ? { kind: 'face', trackId: best.trackId, confidence: round(normalCdf(best.z), 3) } : { kind: 'unknown', reason: `the mouth of track ${best.trackId} does not follow this span` };
  }
  const runnerUp = Math.max(0, ...others.map((e) => e.z));
  const margin = (best.z - runnerUp) / Math.SQRT2;
  if (best.z < SEGMENT_Z || margin < MARGIN_Z) return { kind: 'unknown', reason: `no face's mouth follows this span clearly more than another's (track ${best.trackId}: z ${best.z.toFixed(2)})` };
  return { kind: 'face', trackId: best.trackId, confidence: round(normalCdf(margin), 3) };
}

/** The voice's amplitude (linear, from dB, floored FLOOR_BELOW_MAX_DB under the loudest frame) at any time, interpolated. */
export function amplitudeAt(envelope: IntensityEnvelope): (timeSec: number) => number {
  const { firstFrameSec, frameStepSec, intensityDb } = envelope;
  let max = -Infinity;
  for (const db of intensityDb) if (Number.isFinite(db) && db > max) max = db;
  const floor = max - FLOOR_BELOW_MAX_DB;
  const amp = Float64Array.from(intensityDb, (db) => Math.pow(10, (Number.isFinite(db) ? Math.max(floor, db) : floor) / 20));
  return (timeSec) => {
    const x = (timeSec - firstFrameSec) / frameStepSec;
    if (!(x >= 0) || x > amp.length - 1 || amp.length === 0) return Number.NaN;
    const i = Math.floor(x);
    const w = x - i;
    return i + 1 < amp.length ? amp[i]! * (1 - w) + amp[i + 1]! * w : amp[i]!;
  };
}

/**
 * The speaker of a span (an utterance) from the segments it overlaps: the one with the most overlapping time. A span
 * that holds speech of two known speakers (each for at least the shortest span the VAD keeps) is a turn change
 * inside one utterance: no one speaker can be named for it.
 */
export function speakerByOverlap(span: TimeSpan, segments: readonly (TimeSpan & { speaker?: Speaker })[]): Speaker {
  const time = new Map<string, { speaker: Speaker; sec: number }>();
  for (const s of segments) {
    const overlap = Math.min(span.endSec, s.endSec) - Math.max(span.startSec, s.startSec);
    if (overlap <= 0 || !s.speaker) continue;
    const key = s.speaker.kind === 'face' ? `face ${s.speaker.trackId}` : s.speaker.kind;
    const entry = time.get(key) ?? { speaker: s.speaker, sec: 0 };
    entry.sec += overlap;
    time.set(key, entry);
  }
  const ranked = [...time.values()].sort((a, b) => b.sec - a.sec);
  const known = ranked.filter((e) => e.speaker.kind !== 'unknown' && e.sec >= MIN_SPEECH_SEC);
  if (known.length > 1) return { kind: 'unknown', reason: `it holds the speech of ${known.map((e) => speakerLabel(e.speaker)).join(' and ')}` };
  return ranked[0]?.speaker ?? { kind: 'unknown', reason: 'no voice segment overlaps it' };
}

/** The standard normal's cumulative distribution (Abramowitz & Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function speakerLabel(speaker: Speaker): string {
  return speaker.kind === 'face' ? `track ${speaker.trackId}` : speaker.kind;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
