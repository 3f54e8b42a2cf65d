// A small, hand-built document that exercises every export path: two face tracks (one leaves early, one has
// smoothed probabilities that change a label), a human correction, a sampled frame with no face, a
// transcript of two utterances with sentiment and characters that need escaping, and the voice: three voice
// segments (the first frame before any, the last one unvoiced, with null measures), each utterance's voice.
import type { AnnotationDocument, Utterance, VoiceFeatures, VoiceSegment, Word } from '../../src/shared/annotationDocument';
import type { FaceGeometryMeasures } from '../../src/shared/faceGeometry';
import { ACTION_UNIT_FIELDS, BLENDSHAPES, geometryLayout } from '../../src/shared/faceGeometry';
import { faceKey } from '../../src/shared/labelPrecedence';
import type { MeshLandmarks } from '../../src/core/export/meshLandmarks';
import { correction, LABELS, makeDocument, makeFrames, probsFor } from './documentBuilder';

/** Where the golden files pretend the document lives (media paths are resolved against it). */
export const FIXTURE_DOCUMENT_PATH = '/data/study/clip one.mp4.emotion.json';

/** Model labels per frame (0.2 s apart); undefined = the track is not in that frame. Frame 5 has no face. */
export const TRACK_LABELS: Record<number, (string | undefined)[]> = {
  1: ['neutral', 'neutral', 'happy', 'happy', 'happy', undefined, 'happy', 'sad'],
  2: ['sad', 'sad', 'sad', 'angry', 'angry', undefined, undefined, undefined],
};

/** The correction: frame 1, track 1, neutral → happy. */
export const CORRECTED = { frameIndex: 1, trackId: 1, label: 'happy', modelLabel: 'neutral' };

const LIVELY: VoiceFeatures = { f0MeanSemitones: 33.21, f0SdSemitones: 2.4, f0P20Semitones: 31.02, f0P50Semitones: 33.1, f0P80Semitones: 35.64, intensityDb: 68.2, loudness: 12.5, jitterLocal: 0.0123, shimmerLocalDb: 0.61, hnrDb: 14.2, voicedFraction: 0.72 };
const FLAT: VoiceFeatures = { f0MeanSemitones: 29.87, f0SdSemitones: 1.1, f0P20Semitones: 28.9, f0P50Semitones: 29.8, f0P80Semitones: 30.95, intensityDb: 61.4, loudness: 7.25, jitterLocal: 0.0181, shimmerLocalDb: 0.88, hnrDb: 10.6, voicedFraction: 0.6 };
const UNVOICED: VoiceFeatures = { f0MeanSemitones: null, f0SdSemitones: null, f0P20Semitones: null, f0P50Semitones: null, f0P80Semitones: null, intensityDb: 52.1, loudness: 2.1, jitterLocal: null, shimmerLocalDb: null, hnrDb: null, voicedFraction: 0 };

/**
 * The voice segments: arousal = (raw - 0.1) / 0.5 against the recording's baseline; the third, unvoiced one has
 * no raw score. Frame 0 (0 s) precedes the first; frames 1-4 fall in the first, 5-6 in the second, 7 in the third.
 */
export const VOICE_SEGMENTS: readonly VoiceSegment[] = [
  { startSec: 0.08, endSec: 0.84, ...LIVELY, arousalRaw: 0.76, arousal: 1.32, wordsPerSecond: 3.947 },
  { startSec: 0.96, endSec: 1.3, ...FLAT, arousalRaw: -0.2, arousal: -0.6, wordsPerSecond: 8.824 },
  { startSec: 1.36, endSec: 1.58, ...UNVOICED, arousalRaw: null, arousal: null, wordsPerSecond: 9.091 },
];

export function exportFixture(): AnnotationDocument {
  const frames = makeFrames(8, 0.2, [1, 2], (frame, track) => TRACK_LABELS[track]?.[frame] ?? 'neutral').map((frame) => ({
    ...frame,
    faces: frame.faces
      .filter((face) => TRACK_LABELS[face.trackId]?.[frame.index] !== undefined)
      .map((face) => {
        if (face.trackId !== 2) return face;
        // Track 2 was smoothed: its label is the argmax of smoothedProbs, which on frame 3 differs from the raw argmax.
        const raw = frame.index === 3 ? probsFor('sad', 0.6) : face.probs;
        return { ...face, box: [210.5, 48, 76, 98.25] as [number, number, number, number], score: 0.8125, probs: raw, smoothedProbs: probsFor(face.label, 0.7), confidence: 0.7 };
      }),
  }));
  const doc = makeDocument(frames);
  doc.media = { ...doc.media, path: 'clip one.mp4', durationSec: 1.6, fps: 25, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' };
  doc.provenance.models.push({ role: 'expression', id: 'fer_mobilefacenet_2022july_int8', sha256: 'c'.repeat(64) }, { role: 'speech', id: 'asr_test', sha256: 'd'.repeat(64) });
  const words: Word[] = [
    { text: 'Great,', startSec: 0.1, endSec: 0.4, confidence: 0.9 },
    { text: 'she', startSec: 0.45, endSec: 0.6, confidence: 0.8 },
    { text: 'said', startSec: 0.6, endSec: 0.8, confidence: 0.85 },
    { text: 'not', startSec: 1.0, endSec: 1.1, confidence: 0.7 },
    { text: 'so', startSec: 1.1, endSec: 1.2, confidence: 0.75 },
    { text: '"good"', startSec: 1.2, endSec: 1.35, confidence: 0.6 },
    { text: '&', startSec: 1.35, endSec: 1.4, confidence: 0.5 },
    { text: '<sad>', startSec: 1.4, endSec: 1.55, confidence: 0.65 },
  ];
  const utterances: Utterance[] = [
    { id: 0, startSec: 0.1, endSec: 0.8, text: 'Great, she said', wordStart: 0, wordEnd: 3, sentiment: { compound: 0.6249, pos: 0.577, neu: 0.423, neg: 0, label: 'positive' }, voice: { ...LIVELY, arousalRaw: 0.74, arousal: 1.28, wordsPerSecond: 4.286 } },
    { id: 1, startSec: 1.0, endSec: 1.55, text: 'not so "good" & <sad>', wordStart: 3, wordEnd: 8, sentiment: { compound: -0.4585, pos: 0, neu: 0.455, neg: 0.545, label: 'negative' }, voice: { ...FLAT, jitterLocal: null, shimmerLocalDb: null, voicedFraction: 0.41, arousalRaw: -0.21, arousal: -0.62, wordsPerSecond: 9.091 } },
  ];
  doc.transcript = { status: 'ok', engine: 'sherpa-onnx', model: { id: 'asr_test', path: '/models/asr_test' }, words, utterances };
  doc.voice = {
    status: 'ok',
    segmentation: 'silero-vad',
    baseline: { scope: 'recording', segments: 2, speechSec: 1.1, meanRaw: 0.1, sdRaw: 0.5 },
    overall: { ...FLAT, f0MeanSemitones: 31.9, f0SdSemitones: 2.25, voicedFraction: 0.55 },
    segments: VOICE_SEGMENTS.map((s) => ({ ...s })),
  };
  doc.tracks = [
    { id: 1, firstTimeSec: 0, lastTimeSec: 1.4, frameCount: 7, dominantLabel: 'happy', meanConfidence: 0.8, labelShare: LABELS.map((l) => ({ neutral: 2 / 7, happy: 4 / 7, sad: 1 / 7 })[l] ?? 0) },
    { id: 2, firstTimeSec: 0, lastTimeSec: 0.8, frameCount: 5, dominantLabel: 'sad', meanConfidence: 0.7, labelShare: LABELS.map((l) => ({ sad: 0.6, angry: 0.4 })[l] ?? 0) },
  ];
  doc.segments = [
    { startSec: 0, endSec: 1, faces: [{ trackId: 1, label: 'happy', confidence: 0.62, valence: 0.45, arousal: 0.25 }, { trackId: 2, label: 'sad', confidence: 0.66, valence: -0.5, arousal: -0.24 }], speech: { utteranceId: 0, compound: 0.6249, label: 'positive' }, voice: { segmentIndex: 0, arousal: 1.32, f0MeanSemitones: 33.21 }, disagreement: true, flags: ['face-words'] },
    { startSec: 1, endSec: 1.6, faces: [{ trackId: 1, label: 'happy', confidence: 0.7, valence: 0.6, arousal: 0.3 }], speech: { utteranceId: 1, compound: -0.4585, label: 'negative' }, voice: { segmentIndex: 1, arousal: -0.6, f0MeanSemitones: 29.87 }, disagreement: true, flags: ['face-words'] },
  ];
  const frame1 = frames[CORRECTED.frameIndex];
  if (!frame1) throw new Error('fixture has no frame 1');
  doc.corrections = [correction(frame1, CORRECTED.trackId, CORRECTED.label)];
  addGeometry(doc);
  return doc;
}

/** Frame and track of the one face whose geometry failed. */
export const GEOMETRY_FAILED = { frameIndex: 7, trackId: 1, reason: 'the face mesh model sees no face here (presence 0.21, below 0.5, where MediaPipe drops a face)' };
/** AU12 (lip corner puller) per frame of track 1: present (>= 0.5) on frames 2-4 and 6, as the label turns happy. */
export const TRACK1_AU12 = [0.1, 0.2, 0.81, 0.9, 0.72, undefined, 0.66, undefined];

/** Every face gets geometry: track 1 smiles as it turns happy, track 2 looks down and to its left; one face failed. */
function addGeometry(doc: AnnotationDocument): void {
  doc.provenance.settings.geometry = true;
  doc.provenance.models.push({ role: 'faceMesh', id: 'mediapipe_face_mesh_v2', sha256: 'e'.repeat(64) }, { role: 'blendshapes', id: 'mediapipe_face_blendshapes_v2', sha256: 'f'.repeat(64) });
  let rows = 0;
  for (const frame of doc.frames) {
    for (const face of frame.faces) {
      if (frame.index === GEOMETRY_FAILED.frameIndex && face.trackId === GEOMETRY_FAILED.trackId) {
        face.geometry = { status: 'failed', reason: GEOMETRY_FAILED.reason };
        continue;
      }
      rows++;
      face.geometry = face.trackId === 1 ? trackOneGeometry(frame.index) : trackTwoGeometry(frame.index);
    }
  }
  doc.geometry = { status: 'ok', layout: geometryLayout(), mesh: { path: 'clip one.mp4.emotion.mesh.parquet', format: 'parquet', sha256: '9'.repeat(64), rows, bytes: 123456 } };
}

function trackOneGeometry(frame: number): FaceGeometryMeasures {
  const au12 = TRACK1_AU12[frame] ?? 0;
  return {
    presence: 0.998,
    pose: [12.5, -4, 8.3, 3.1, -1.2, -48.6],
    gaze: [10.2, 3.5, 8.8, 4.1, 9.5, 3.8],
    blendshapes: BLENDSHAPES.map((name) => (name.startsWith('mouthSmile') ? au12 : name === 'jawOpen' ? 0.12 : 0.01)),
    actionUnits: ACTION_UNIT_FIELDS.map((name) => (name === 'AU12_estimate' ? au12 : name === 'AU06_estimate' ? (au12 > 0.7 ? 0.64 : 0.2) : 0.05)),
    mouth: [0.42, 5.31, 0.079],
  };
}

function trackTwoGeometry(frame: number): FaceGeometryMeasures {
  return {
    presence: 0.971,
    pose: [-20.4, 15.2, -3.7, -9.8, 2.4, -61.2],
    gaze: [-14.1, 12, -15.9, 13.2, -15, 12.6],
    blendshapes: BLENDSHAPES.map((name) => (name.startsWith('mouthFrown') ? 0.55 : 0)),
    actionUnits: ACTION_UNIT_FIELDS.map((name) => (name === 'AU15_estimate' ? 0.61 : name === 'AU04_estimate' ? Math.round((0.3 + frame * 0.1) * 100) / 100 : 0)),
    mouth: [0, 4.9, 0],
  };
}

/**
 * Stand-in 68 landmarks of every face with geometry, as loadMeshLandmarks gives them from a sidecar: a face
 * outline scaled into the face's box (point i at a fixed place), so each export's landmark columns are checkable.
 */
export function fixtureLandmarks(doc: AnnotationDocument = exportFixture()): MeshLandmarks {
  const landmarks = new Map<string, number[]>();
  for (const frame of doc.frames) {
    for (const face of frame.faces) {
      if (!face.geometry || 'status' in face.geometry) continue;
      const [x, y, w, h] = face.box;
      landmarks.set(faceKey(frame.index, face.trackId), Array.from({ length: 68 }, (_, i) => [x + (w * ((i * 37) % 64)) / 64, y + (h * ((i * 11) % 64)) / 64]).flat());
    }
  }
  return landmarks;
}

/** Index of the fixture's voice segment holding a time (start inclusive, end exclusive), by a plain scan. */
export function voiceSegmentAt(timeSec: number): number | undefined {
  const index = VOICE_SEGMENTS.findIndex((s) => s.startSec <= timeSec && timeSec < s.endSec);
  return index < 0 ? undefined : index;
}

/** The fixture as an audio recording: no picture, so no frames, tracks, faces or corrections; words and voice kept. */
export function audioFixture(): AnnotationDocument {
  const doc = exportFixture();
  const { videoCodec: _video, ...media } = doc.media;
  doc.media = { ...media, path: 'clip one.wav', kind: 'audio', fps: 0, width: 0, height: 0, audioCodec: 'pcm_s16le' };
  doc.frames = [];
  doc.tracks = [];
  doc.corrections = [];
  doc.segments = doc.segments.map((s) => ({ ...s, faces: [], disagreement: false, flags: [] }));
  doc.provenance.settings.geometry = false;
  doc.provenance.models = doc.provenance.models.filter((m) => m.role !== 'faceMesh' && m.role !== 'blendshapes');
  doc.geometry = { status: 'no-video', reason: 'a speech recording has no faces', layout: geometryLayout() };
  return doc;
}

export const AUDIO_DOCUMENT_PATH = '/data/study/clip one.wav.emotion.json';

/** Model label of a track at a frame, per the fixture's table, and the final label (the correction applied). */
export function finalLabelAt(frame: number, track: number): string | undefined {
  if (frame === CORRECTED.frameIndex && track === CORRECTED.trackId) return CORRECTED.label;
  return TRACK_LABELS[track]?.[frame];
}
