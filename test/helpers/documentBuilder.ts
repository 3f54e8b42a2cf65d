// Builds small, valid annotation documents for unit tests of the document logic (merge, validation, files).
import type { AnnotationDocument, Correction, FrameRecord } from '../../src/shared/annotationDocument';
import { SCHEMA_VERSION } from '../../src/shared/annotationDocument';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import { geometryLayout } from '../../src/shared/faceGeometry';

/** The default settings without the default ensemble's weighting of small crops (one model here, fixed). */
const { smallCrops: _smallCrops, ...generalSettings } = defaultSettings;

export const LABELS = ['angry', 'disgust', 'fearful', 'happy', 'neutral', 'sad', 'surprised'];

/** A one-hot-ish probability vector peaking at `label`. */
export function probsFor(label: string, confidence = 0.8): number[] {
  const rest = (1 - confidence) / (LABELS.length - 1);
  return LABELS.map((l) => (l === label ? confidence : rest));
}

/** Frames every `step` seconds; each listed track id has one face labelled by `labelAt`. */
export function makeFrames(count: number, step: number, trackIds: number[], labelAt: (frame: number, track: number) => string = () => 'neutral'): FrameRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    timeSec: Math.round(index * step * 1e6) / 1e6,
    faces: trackIds.map((trackId) => {
      const label = labelAt(index, trackId);
      return {
        trackId,
        box: [100 * trackId, 50, 80, 100] as [number, number, number, number],
        source: 'detected' as const,
        score: 0.9,
        landmarks: [10, 10, 30, 10, 20, 20, 12, 30, 28, 30],
        probs: probsFor(label),
        label,
        confidence: 0.8,
      };
    }),
  }));
}

export function makeDocument(frames: FrameRecord[] = makeFrames(10, 0.2, [1])): AnnotationDocument {
  return {
    schemaVersion: SCHEMA_VERSION,
    media: {
      path: 'clip.mp4',
      sha256: 'a'.repeat(64),
      kind: 'video',
      durationSec: frames.length * 0.2,
      fps: 25,
      width: 640,
      height: 360,
      rotation: 0,
      startTimeSec: 0,
      hasAudio: false,
    },
    provenance: {
      tool: { name: 'emotion-lens', version: '0.0.0-test' },
      models: [{ role: 'faceDetector', id: 'face_detection_yunet_2023mar', sha256: 'b'.repeat(64) }],
      // Fixed, not the current defaults: golden export files must not change when `npm run eval` picks a new ensemble.
      settings: { ...generalSettings, expressionModels: ['fer_mobilefacenet_2022july_int8'], expressionWeights: [1], ensembleTemperature: 1, geometry: false, speakers: 'off' },
      createdAt: '2026-11-24T00:00:00.000Z',
      elapsedSec: 1,
    },
    labels: [...LABELS],
    frames,
    tracks: [],
    transcript: { status: 'no-audio', reason: 'the file has no audio stream', words: [], utterances: [] },
    voice: { status: 'no-audio', reason: 'the file has no audio stream', baseline: { scope: 'none', reason: 'no audio' }, segments: [] },
    geometry: { status: 'disabled', reason: 'turned off (--no-geometry)', layout: geometryLayout() },
    segments: [],
    corrections: [],
    unplacedCorrections: [],
    warnings: [],
  };
}

export function correction(frame: FrameRecord, trackId: number, label: string): Correction {
  return { frameIndex: frame.index, timeSec: frame.timeSec, trackId, label, modelLabel: frame.faces.find((f) => f.trackId === trackId)?.label ?? '', createdAt: '2026-11-24T01:00:00.000Z' };
}
