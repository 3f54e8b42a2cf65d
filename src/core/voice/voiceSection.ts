/**
 * The document's voice section from a voice measurement: speech spans cut into segments, each measured
 * (prosody, voice quality, speaking rate), and arousal (arousal.ts) scored against the speaker's own baseline
 * within the recording when it holds enough speech. The same measures go on each utterance. docs/voice.md has the method.
 */
import type { PersonBaseline, Speaker, Utterance, UtteranceVoice, Voice, VoiceArousal, VoiceFeatures, VoiceSegment, Word } from '../../shared/annotationDocument';
import type { SpeechSpan } from './speechActivity';
import type { VoiceMeasurement } from './voiceWorkerProtocol';
import { arousalRawOf } from './arousal';
import { speakerByOverlap } from './speakerAttribution';
import type { SpeakerAttributor } from './speakerAttribution';
import { summariseVoice } from './voiceSummary';

/** Spans longer than this are cut into equal parts, so a long monologue still shows arousal over time. */
export const MAX_SEGMENT_SEC = 8;

/**
 * A recording is its own baseline only with at least this much speech: fewer segments give a mean and SD
 * that one emphatic sentence moves. Shorter recordings (a corpus of single sentences) are scored against
 * their speaker group in the dataset table instead.
 */
export const BASELINE_MIN_SEGMENTS = 5;
export const BASELINE_MIN_SPEECH_SEC = 15;
/** The SD of arousalRaw never counts below this, so a very monotonous recording does not turn noise into large scores. */
const MIN_BASELINE_SD = 0.25;

export interface VoiceSectionResult {
  voice: Voice;
  /** One per utterance, in order. */
  utteranceVoices: UtteranceVoice[];
  /** One per utterance, in order, when speakers were attributed. */
  utteranceSpeakers?: Speaker[];
}

/**
 * `speakers`: attributes each segment and utterance to a face (a video's frames); each attributed person with
 * enough speech of their own then gets their own arousal baseline. Without it (audio, no faces) nothing changes.
 */
export function buildVoiceSection(
  measurement: VoiceMeasurement,
  words: readonly Word[],
  utterances: readonly Utterance[],
  hasTranscript: boolean,
  speakers?: SpeakerAttributor,
): VoiceSectionResult {
  const { track, segmentation } = measurement;
  const spans = splitLongSpans(measurement.spans, MAX_SEGMENT_SEC);
  const summarised = spans.map((span) => {
    const features = roundedFeatures(summariseVoice(track, span.startSec, span.endSec));
    return { span, features, raw: arousalRawOf(features) };
  });
  const segmentSpeakers = speakers?.attribute(summarised.map(({ span }) => span));
  const measured = summarised.map((m, i) => ({ ...m, speaker: segmentSpeakers?.[i] }));
  const baseline = baselineOf(measured.map((m) => ({ raw: m.raw, sec: m.span.endSec - m.span.startSec })));
  const personBaselines = personBaselinesOf(measured.map((m) => ({ raw: m.raw, sec: m.span.endSec - m.span.startSec, speaker: m.speaker })));
  const score = (raw: number | null, speaker: Speaker | undefined): VoiceArousal => {
    const own = speaker?.kind === 'face' ? personBaselines.find((b) => b.trackId === speaker.trackId) : undefined;
    return { arousalRaw: raw, arousal: arousalAgainst(own ? { scope: 'recording', ...own } : baseline, raw) };
  };
  const segments: VoiceSegment[] = measured.map(({ span, features, raw, speaker }) => ({
    startSec: round(span.startSec, 3),
    endSec: round(span.endSec, 3),
    ...features,
    ...score(raw, speaker),
    ...(hasTranscript ? { wordsPerSecond: wordsPerSecond(words, span.startSec, span.endSec) } : {}),
    ...(speaker ? { speaker } : {}),
  }));
  const utteranceSpeakers = speakers ? utterances.map((u) => speakerByOverlap(u, segments)) : undefined;
  const utteranceVoices = utterances.map((u, i): UtteranceVoice => {
    const features = roundedFeatures(summariseVoice(track, u.startSec, u.endSec));
    return { ...features, ...score(arousalRawOf(features), utteranceSpeakers?.[i]), wordsPerSecond: round((u.wordEnd - u.wordStart) / Math.max(0.001, u.endSec - u.startSec), 3) };
  });
  const overall = roundedFeatures(summariseVoice(track, 0, measurement.audioSec));
  const found = segmentation === 'silero-vad' ? 'Silero VAD' : 'the energy and voicing rule';
  const attributed = speakers ? { speakers: speakers.status, ...(personBaselines.length > 0 ? { personBaselines } : {}) } : {};
  const voice: Voice =
    segments.length > 0
      ? { status: 'ok', segmentation, sampleRateHz: track.sampleRate, baseline, ...attributed, overall, segments }
      : { status: 'no-speech', reason: `no speech was found (${found})`, segmentation, sampleRateHz: track.sampleRate, baseline, ...attributed, overall, segments };
  return { voice, utteranceVoices, ...(utteranceSpeakers ? { utteranceSpeakers } : {}) };
}

/** A baseline per attributed face track, for each with enough measured speech of its own (the recording's thresholds). */
export function personBaselinesOf(segments: readonly { raw: number | null; sec: number; speaker: Speaker | undefined }[]): PersonBaseline[] {
  const byTrack = new Map<number, { raw: number | null; sec: number }[]>();
  for (const s of segments) {
    if (s.speaker?.kind !== 'face') continue;
    const list = byTrack.get(s.speaker.trackId) ?? [];
    list.push(s);
    byTrack.set(s.speaker.trackId, list);
  }
  return [...byTrack.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([trackId, list]) => {
      const own = baselineOf(list);
      return own.scope === 'recording' ? [{ trackId, segments: own.segments, speechSec: own.speechSec, meanRaw: own.meanRaw, sdRaw: own.sdRaw }] : [];
    });
}

/** Cuts each span longer than `maxSec` into the fewest equal parts no longer than it. */
export function splitLongSpans(spans: readonly SpeechSpan[], maxSec: number): SpeechSpan[] {
  return spans.flatMap((span) => {
    const length = span.endSec - span.startSec;
    const parts = Math.max(1, Math.ceil(length / maxSec - 1e-9));
    const step = length / parts;
    return Array.from({ length: parts }, (_, i) => ({ startSec: span.startSec + i * step, endSec: i === parts - 1 ? span.endSec : span.startSec + (i + 1) * step }));
  });
}

type Baseline = Voice['baseline'];

/** The recording as its own baseline when it holds enough measured speech; otherwise why not. */
export function baselineOf(segments: readonly { raw: number | null; sec: number }[]): Baseline {
  const usable = segments.filter((s): s is { raw: number; sec: number } => s.raw !== null);
  const speechSec = usable.reduce((sum, s) => sum + s.sec, 0);
  if (usable.length < BASELINE_MIN_SEGMENTS || speechSec < BASELINE_MIN_SPEECH_SEC) {
    return {
      scope: 'none',
      reason:
        `${usable.length} measured voice segment(s), ${speechSec.toFixed(1)} s of speech: a baseline within the recording needs at least ` +
        `${BASELINE_MIN_SEGMENTS} segments and ${BASELINE_MIN_SPEECH_SEC} s of speech; the dataset table (export --format dataset) scores arousal against the speaker group`,
    };
  }
  const mean = usable.reduce((sum, s) => sum + s.raw, 0) / usable.length;
  const variance = usable.reduce((sum, s) => sum + (s.raw - mean) ** 2, 0) / (usable.length - 1);
  return { scope: 'recording', segments: usable.length, speechSec: round(speechSec, 2), meanRaw: round(mean, 4), sdRaw: round(Math.sqrt(variance), 4) };
}

export function arousalAgainst(baseline: Baseline, raw: number | null): number | null {
  if (raw === null || baseline.scope !== 'recording') return null;
  return round((raw - baseline.meanRaw) / Math.max(MIN_BASELINE_SD, baseline.sdRaw), 3);
}

/** Words whose middle falls in the span, per second of the span. */
function wordsPerSecond(words: readonly Word[], startSec: number, endSec: number): number {
  const count = words.filter((w) => {
    const middle = (w.startSec + w.endSec) / 2;
    return middle >= startSec && middle < endSec;
  }).length;
  return round(count / Math.max(0.001, endSec - startSec), 3);
}

function roundedFeatures(f: VoiceFeatures): VoiceFeatures {
  const r = (value: number | null, digits: number): number | null => (value === null || !Number.isFinite(value) ? null : round(value, digits));
  return {
    f0MeanSemitones: r(f.f0MeanSemitones, 3),
    f0SdSemitones: r(f.f0SdSemitones, 3),
    f0P20Semitones: r(f.f0P20Semitones, 3),
    f0P50Semitones: r(f.f0P50Semitones, 3),
    f0P80Semitones: r(f.f0P80Semitones, 3),
    intensityDb: r(f.intensityDb, 2),
    loudness: r(f.loudness, 4),
    jitterLocal: r(f.jitterLocal, 6),
    shimmerLocalDb: r(f.shimmerLocalDb, 4),
    hnrDb: r(f.hnrDb, 2),
    voicedFraction: round(f.voicedFraction, 4),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
