import type { FaceRecord, FrameRecord, TrackSummary } from '../../shared/annotationDocument';
import { smoothTrack } from '../tracking/temporalSmoothing';
import type { FrameAnalysis } from '../vision/visionTypes';
import { argmax } from '../../shared/probabilityVectors';
import { round6 } from './labelMath';

/** A frame analysis whose faces have been given track ids (same order as `faces`). */
export interface TrackedFrame extends FrameAnalysis {
  trackIds: number[];
}

/**
 * Turns tracked frame analyses into the document's frame records: raw probabilities are kept as they are,
 * smoothed ones are added per track, and each face's label comes from the smoothed values when there are any.
 */
export function buildFrameRecords(labels: readonly string[], frames: readonly TrackedFrame[], smoothingSec: number): FrameRecord[] {
  const records: FrameRecord[] = frames.map((frame) => ({
    index: frame.index,
    timeSec: round6(frame.timeSec),
    faces: frame.faces.map((face, i): FaceRecord => ({
      trackId: frame.trackIds[i] ?? 0,
      box: face.box.map((v) => Math.round(v * 10) / 10) as FaceRecord['box'],
      source: face.source ?? 'detected',
      score: round6(face.score),
      landmarks: face.landmarks.map((v) => Math.round(v * 10) / 10),
      probs: face.probs.map(round6),
      label: '',
      confidence: 0,
      // Three decimals: what the adaptation needs (about 100 bytes a face for three models), not float noise.
      ...(face.memberProbs ? { memberProbs: face.memberProbs.map((p) => p.map(round3)) } : {}),
    })),
  }));
  if (smoothingSec > 0) addSmoothedProbs(records, smoothingSec);
  for (const record of records) for (const face of record.faces) setLabel(labels, face);
  // Last in each face's record: its geometry (from the worker, already rounded), when it was measured.
  records.forEach((record, f) => record.faces.forEach((face, i) => {
    const geometry = frames[f]!.faces[i]!.geometry;
    if (geometry) face.geometry = geometry;
  }));
  return records;
}

function addSmoothedProbs(records: FrameRecord[], smoothingSec: number): void {
  for (const faces of facesByTrack(records).values()) {
    const smoothed = smoothTrack(
      faces.map(({ timeSec }) => timeSec),
      faces.map(({ face }) => face.probs),
      smoothingSec,
    );
    faces.forEach(({ face }, i) => (face.smoothedProbs = smoothed[i]!.map(round6)));
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function setLabel(labels: readonly string[], face: FaceRecord): void {
  const probs = face.smoothedProbs ?? face.probs;
  const best = argmax(probs);
  face.label = labels[best] ?? String(best);
  face.confidence = probs[best] ?? 0;
}

/** Each track's faces with their frame times, in time order. */
export function facesByTrack(records: readonly FrameRecord[]): Map<number, { timeSec: number; frameIndex: number; face: FaceRecord }[]> {
  const tracks = new Map<number, { timeSec: number; frameIndex: number; face: FaceRecord }[]>();
  for (const record of records) {
    for (const face of record.faces) {
      let list = tracks.get(face.trackId);
      if (!list) tracks.set(face.trackId, (list = []));
      list.push({ timeSec: record.timeSec, frameIndex: record.index, face });
    }
  }
  return tracks;
}

/** Per track: first and last time, frame count, dominant label, mean confidence and label shares. */
export function summariseTracks(labels: readonly string[], records: readonly FrameRecord[]): TrackSummary[] {
  return [...facesByTrack(records).entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, faces]) => {
      const counts = new Array<number>(labels.length).fill(0);
      let confidenceSum = 0;
      for (const { face } of faces) {
        const index = labels.indexOf(face.label);
        if (index >= 0) counts[index]!++;
        confidenceSum += face.confidence;
      }
      return {
        id,
        firstTimeSec: faces[0]!.timeSec,
        lastTimeSec: faces[faces.length - 1]!.timeSec,
        frameCount: faces.length,
        dominantLabel: labels[argmax(counts)] ?? '',
        meanConfidence: round6(confidenceSum / faces.length),
        labelShare: counts.map((count) => round6(count / faces.length)),
      };
    });
}
