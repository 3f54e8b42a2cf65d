import type { FrameRecord, Segment, SegmentFace, Utterance } from '../../shared/annotationDocument';
import { argmax, faceValence, meanVector, round6 } from './labelMath';

export interface SegmentOptions {
  segmentSec: number;
  /** Face valence and speech compound must each pass this magnitude, with opposite signs, to disagree. */
  disagreementThreshold: number;
}

export const defaultSegmentOptions: SegmentOptions = { segmentSec: 1, disagreementThreshold: 0.3 };

/**
 * Puts faces and speech on one timeline: fixed-length spans, each with every visible track's dominant
 * expression, its valence, the speech sentiment of the utterance overlapping most, and a disagreement flag.
 */
export function buildSegments(
  labels: readonly string[],
  frames: readonly FrameRecord[],
  utterances: readonly Utterance[],
  durationSec: number,
  options: SegmentOptions = defaultSegmentOptions,
): Segment[] {
  const step = options.segmentSec;
  const end = Math.max(durationSec, lastTime(frames), ...utterances.map((u) => u.endSec));
  const count = Math.max(1, Math.ceil(end / step));
  const segments: Segment[] = [];
  let frameCursor = 0;
  for (let k = 0; k < count; k++) {
    const start = k * step;
    const isLast = k === count - 1;
    const stop = isLast && end > start ? end : start + step;
    const inSpan: FrameRecord[] = [];
    // The last span takes every remaining frame, including one stamped exactly at the end.
    while (frameCursor < frames.length && (isLast || frames[frameCursor]!.timeSec < stop)) inSpan.push(frames[frameCursor++]!);
    const faces = segmentFaces(labels, inSpan);
    const speech = dominantUtterance(utterances, start, stop);
    segments.push({
      startSec: round6(start),
      endSec: round6(stop),
      faces,
      ...(speech ? { speech: { utteranceId: speech.id, compound: speech.sentiment.compound, label: speech.sentiment.label } } : {}),
      disagreement: speech !== undefined && faces.some((face) => disagrees(face.valence, speech.sentiment.compound, options.disagreementThreshold)),
    });
  }
  return segments;
}

function segmentFaces(labels: readonly string[], frames: readonly FrameRecord[]): SegmentFace[] {
  const byTrack = new Map<number, number[][]>();
  for (const frame of frames) {
    for (const face of frame.faces) {
      const list = byTrack.get(face.trackId) ?? [];
      list.push(face.smoothedProbs ?? face.probs);
      byTrack.set(face.trackId, list);
    }
  }
  return [...byTrack.entries()]
    .sort(([a], [b]) => a - b)
    .map(([trackId, probs]) => {
      const mean = meanVector(probs);
      const best = argmax(mean);
      return { trackId, label: labels[best] ?? '', confidence: round6(mean[best] ?? 0), valence: round6(faceValence(labels, mean)) };
    });
}

function dominantUtterance(utterances: readonly Utterance[], start: number, stop: number): Utterance | undefined {
  let best: Utterance | undefined;
  let bestOverlap = 0;
  for (const utterance of utterances) {
    const overlap = Math.min(stop, utterance.endSec) - Math.max(start, utterance.startSec);
    if (overlap > bestOverlap) {
      best = utterance;
      bestOverlap = overlap;
    }
  }
  return best;
}

function disagrees(valence: number, compound: number, threshold: number): boolean {
  return (valence >= threshold && compound <= -threshold) || (valence <= -threshold && compound >= threshold);
}

function lastTime(frames: readonly FrameRecord[]): number {
  return frames.length > 0 ? frames[frames.length - 1]!.timeSec : 0;
}
