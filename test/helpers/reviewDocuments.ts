// Review-panel documents at the size the issue names: an hour at 5 fps with two people (18,000 frames,
// 36,000 faces), with varied labels and confidences, a gap in one track, segments (some where face and
// speech disagree) and a transcript. Deterministic, so tests can reason about what it contains.
// Also the voice: a video with voice segments, utterance voice and both kinds of flags, an audio-only
// recording (jfk.wav: its words with their times as a recogniser gives them), and a version 2 document.
import type {
  AnnotationDocument, FrameRecord, Segment, Utterance, UtteranceVoice, Voice, VoiceFeatures, VoiceSegment, Word,
} from '../../src/shared/annotationDocument';
import { LABELS, makeDocument, probsFor } from './documentBuilder';

export const HOUR_FRAMES = 18_000;
export const STEP_SEC = 0.2;
/** Track 2 is out of the picture for these frames (a gap its chart must show). */
export const TRACK2_GAP = { from: 9_000, to: 9_500 };
/** Every SEGMENT_SEC a segment; segment k disagrees when k % 10 === 3. */
export const SEGMENT_SEC = 2;

/** Confidence of frame i, track t: spread over 0.3..0.95 so about a third falls below 0.5. */
export function confidenceOf(frame: number, track: number): number {
  return 0.3 + 0.65 * (((frame * 37 + track * 11) % 100) / 100);
}

/** Label of frame i, track t: changes every minute, the two tracks out of step. */
export function labelOf(frame: number, track: number): string {
  return LABELS[(Math.floor(frame / 300) + track * 3) % LABELS.length]!;
}

export function hourDocument(frameCount = HOUR_FRAMES): AnnotationDocument {
  const frames: FrameRecord[] = [];
  for (let index = 0; index < frameCount; index++) {
    const tracks = index >= TRACK2_GAP.from && index < TRACK2_GAP.to ? [1] : [1, 2];
    frames.push({
      index,
      timeSec: Math.round(index * STEP_SEC * 1e6) / 1e6,
      faces: tracks.map((trackId) => {
        const label = labelOf(index, trackId);
        const confidence = confidenceOf(index, trackId);
        return { trackId, box: [100 * trackId, 50, 80, 100], source: 'detected', score: 0.9, landmarks: [10, 10, 30, 10, 20, 20, 12, 30, 28, 30], probs: probsFor(label, confidence), label, confidence };
      }),
    });
  }
  const doc = makeDocument(frames);
  doc.media.durationSec = frameCount * STEP_SEC;
  doc.media.hasAudio = true;
  doc.segments = segments(doc.media.durationSec);
  doc.transcript = transcript(doc.media.durationSec);
  doc.voice = { status: 'not-analysed', reason: 'the test document has no voice', baseline: { scope: 'none', reason: 'not analysed' }, segments: [] };
  return doc;
}

function segments(durationSec: number): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k * SEGMENT_SEC < durationSec; k++) {
    out.push({ startSec: k * SEGMENT_SEC, endSec: Math.min(durationSec, (k + 1) * SEGMENT_SEC), faces: [], disagreement: k % 10 === 3, flags: k % 10 === 3 ? ['face-words'] : [] });
  }
  return out;
}

/** An utterance of three words every 10 s, sentiment alternating positive, negative, neutral. */
function transcript(durationSec: number): AnnotationDocument['transcript'] {
  const words: Word[] = [];
  const utterances: Utterance[] = [];
  const kinds = [
    { text: ['what', 'a', 'delight'], compound: 0.6, label: 'positive' as const },
    { text: ['this', 'is', 'terrible'], compound: -0.5, label: 'negative' as const },
    { text: ['we', 'went', 'home'], compound: 0, label: 'neutral' as const },
  ];
  for (let u = 0; u * 10 + 2 < durationSec; u++) {
    const kind = kinds[u % kinds.length]!;
    const start = u * 10 + 1;
    const wordStart = words.length;
    kind.text.forEach((text, i) => words.push({ text, startSec: start + i * 0.5, endSec: start + i * 0.5 + 0.4, confidence: 1 }));
    utterances.push({
      id: u, startSec: start, endSec: start + 1.4, text: kind.text.join(' '), wordStart, wordEnd: words.length,
      sentiment: { compound: kind.compound, pos: 0, neu: 1, neg: 0, label: kind.label },
    });
  }
  return { status: 'ok', engine: 'vosk', model: { id: 'vosk-model-small-en-us-0.15' }, words, utterances };
}

/** Voice measures with plausible values around a mean pitch (semitones re 27.5 Hz); null pitch: nothing voiced. */
export function voiceFeatures(f0: number | null, intensityDb = 68): VoiceFeatures {
  return {
    f0MeanSemitones: f0,
    f0SdSemitones: f0 === null ? null : 2.1,
    f0P20Semitones: f0 === null ? null : f0 - 1.8,
    f0P50Semitones: f0,
    f0P80Semitones: f0 === null ? null : f0 + 1.9,
    intensityDb,
    loudness: 12.5,
    jitterLocal: f0 === null ? null : 0.018,
    shimmerLocalDb: f0 === null ? null : 0.9,
    hnrDb: f0 === null ? null : 11.2,
    voicedFraction: f0 === null ? 0 : 0.62,
  };
}

function voiceSegment(startSec: number, endSec: number, arousal: number | null, f0: number | null, wordsPerSecond?: number): VoiceSegment {
  return { startSec, endSec, ...voiceFeatures(f0), arousalRaw: arousal === null ? null : 0.4 + 0.2 * arousal, arousal, ...(wordsPerSecond === undefined ? {} : { wordsPerSecond }) };
}

function utteranceVoice(arousal: number | null, f0: number | null, wordsPerSecond: number): UtteranceVoice {
  return { ...voiceFeatures(f0), arousalRaw: arousal === null ? null : 0.4 + 0.2 * arousal, arousal, wordsPerSecond };
}

/** The voice of hourWithVoice's utterances, in turn: lively, flat, usual. */
export const UTTERANCE_AROUSAL = [1.3, -1.1, 0.2] as const;
/** Segment k of hourWithVoice is flagged face vs voice when k % 10 === 7 (face vs words stays at k % 10 === 3). */
export const FACE_VOICE_SEGMENT = 7;

/**
 * hourDocument (its first `frameCount` frames) with the voice measured: a voice segment over each utterance
 * (arousal in turn UTTERANCE_AROUSAL, pitch rising 0.5 st per utterance), a laugh without words at 14.1-15.8 s
 * of every minute (arousal +1.8, no pitch: unvoiced), and the segments at k % 10 === 7 flagged face vs voice.
 */
export function hourWithVoice(frameCount = HOUR_FRAMES): AnnotationDocument {
  const doc = hourDocument(frameCount);
  const segmentsOut: VoiceSegment[] = [];
  doc.transcript.utterances.forEach((u, i) => {
    const arousal = UTTERANCE_AROUSAL[i % UTTERANCE_AROUSAL.length]!;
    const f0 = 30 + 0.5 * (i % 8);
    u.voice = utteranceVoice(arousal, f0, 2.1);
    segmentsOut.push(voiceSegment(u.startSec - 0.1, u.endSec + 0.1, arousal, f0, 2.1));
    if (i % 6 === 1) segmentsOut.push(voiceSegment(u.startSec + 3.1, u.startSec + 4.8, 1.8, null));
  });
  doc.voice = {
    status: 'ok', segmentation: 'silero-vad',
    baseline: { scope: 'recording', segments: segmentsOut.length, speechSec: segmentsOut.reduce((t, s) => t + s.endSec - s.startSec, 0), meanRaw: 0.4, sdRaw: 0.2 },
    overall: voiceFeatures(31),
    segments: segmentsOut,
  };
  doc.segments.forEach((segment, k) => {
    if (k % 10 !== FACE_VOICE_SEGMENT) return;
    segment.flags = [...segment.flags, 'face-voice'];
    segment.disagreement = true;
  });
  return doc;
}

/** jfk.wav's words (../shared/media/speech/jfk.txt) with the times a recogniser gives them. */
const JFK_WORDS: [string, number, number][] = [
  ['and', 0.32, 0.5], ['so', 0.62, 0.86], ['my', 1.02, 1.2], ['fellow', 1.26, 1.62], ['americans', 1.68, 2.58],
  ['ask', 3.3, 3.62], ['not', 3.7, 4.08],
  ['what', 4.62, 4.86], ['your', 4.9, 5.08], ['country', 5.12, 5.6], ['can', 5.7, 5.92], ['do', 5.98, 6.2], ['for', 6.26, 6.46], ['you', 6.52, 7.16],
  ['ask', 8.2, 8.5], ['what', 8.58, 8.78], ['you', 8.84, 8.98], ['can', 9.04, 9.28], ['do', 9.34, 9.5], ['for', 9.56, 9.72], ['your', 9.78, 9.98], ['country', 10.04, 10.7],
];
/** Where jfk.wav's utterances start and end, in JFK_WORDS (a pause of 0.5 s ends one). */
const JFK_UTTERANCES: [number, number][] = [[0, 5], [5, 14], [14, 22]];
/** Arousal of jfk.wav's utterances: the opening lively, the middle usual, the close flat. */
export const JFK_AROUSAL = [1.3, 0.2, -1.1] as const;

/**
 * An audio-only document for jfk.wav (11 s, 16 kHz mono; media.path names it, so put it beside the document):
 * its transcript, and four voice segments, each utterance's voice (arousal JFK_AROUSAL). `baseline: false`:
 * the voice was measured but has no baseline, so no arousal is scored.
 */
export function jfkAudioDocument(options: { baseline?: boolean; mediaPath?: string } = {}): AnnotationDocument {
  const baseline = options.baseline ?? true;
  const doc = makeDocument([]);
  doc.media = { path: options.mediaPath ?? 'jfk.wav', sha256: 'c'.repeat(64), kind: 'audio', durationSec: 11, fps: 0, width: 0, height: 0, rotation: 0, startTimeSec: 0, hasAudio: true, audioCodec: 'pcm_s16le', analysedUntilSec: { audio: 11 } };
  const words: Word[] = JFK_WORDS.map(([text, startSec, endSec]) => ({ text, startSec, endSec, confidence: 0.97 }));
  const utterances: Utterance[] = JFK_UTTERANCES.map(([from, to], id) => {
    const startSec = words[from]!.startSec;
    const endSec = words[to - 1]!.endSec;
    const arousal = baseline ? JFK_AROUSAL[id]! : null;
    return {
      id, startSec, endSec, text: words.slice(from, to).map((w) => w.text).join(' '), wordStart: from, wordEnd: to,
      sentiment: { compound: 0, pos: 0, neu: 1, neg: 0, label: 'neutral' },
      voice: utteranceVoice(arousal, [29.8, 28.4, 27.1][id]!, (to - from) / (endSec - startSec)),
    };
  });
  doc.transcript = { status: 'ok', engine: 'vosk', model: { id: 'vosk-model-small-en-us-0.15' }, words, utterances };
  const segmentsOut = [
    voiceSegment(0.25, 2.7, 1.3, 29.8, 2.0), voiceSegment(3.2, 4.15, -0.3, 28.9, 2.1),
    voiceSegment(4.5, 7.3, 0.4, 28.2, 2.5), voiceSegment(8.1, 10.8, -1.1, 27.1, 3.0),
  ].map((s) => (baseline ? s : { ...s, arousal: null }));
  const voice: Voice = {
    status: 'ok', segmentation: 'silero-vad',
    baseline: baseline
      ? { scope: 'recording', segments: 4, speechSec: 8.85, meanRaw: 0.4, sdRaw: 0.2 }
      : { scope: 'none', reason: 'less than 10 s of speech: too little to know this speaker\u2019s usual voice' },
    overall: voiceFeatures(28.5),
    segments: segmentsOut,
  };
  doc.voice = voice;
  doc.segments = [0, 2, 4, 6, 8, 10].map((startSec) => ({ startSec, endSec: Math.min(11, startSec + 2), faces: [], disagreement: false, flags: [] }));
  doc.provenance.settings = { ...doc.provenance.settings, voice: true };
  return doc;
}

/**
 * The document as a version 2 Emotion Lens wrote it (parsed JSON): no voice section, no flags, no face arousal,
 * no utterance voice, no `voice` setting. For the in-memory upgrade (core/document/documentUpgrade.ts).
 */
export function asVersionTwo(doc: AnnotationDocument): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown> & AnnotationDocument;
  const { voice: _voice, ...rest } = copy;
  const { voice: _setting, ...settings } = copy.provenance.settings;
  return {
    ...rest,
    schemaVersion: 2,
    provenance: { ...copy.provenance, settings },
    transcript: { ...copy.transcript, utterances: copy.transcript.utterances.map(({ voice: _v, ...u }) => u) },
    // Version 2 flagged face against words only.
    segments: copy.segments.map(({ flags, voice: _voice, ...segment }) => ({ ...segment, disagreement: flags.includes('face-words'), faces: segment.faces.map(({ arousal: _arousal, ...face }) => face) })),
  };
}
