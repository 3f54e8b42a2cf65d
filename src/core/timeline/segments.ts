import type { DisagreementKind, FrameRecord, Segment, SegmentFace, Utterance, VoiceSegment } from '../../shared/annotationDocument';
import { argmax, meanVector } from '../../shared/probabilityVectors';
import { faceArousal, faceValence, round6 } from './labelMath';

export interface SegmentOptions {
  segmentSec: number;
  /** Face valence and speech compound must each pass this magnitude, with opposite signs, to disagree. */
  disagreementThreshold: number;
  /** Face arousal (-1..1) must pass this magnitude to disagree with the voice. */
  faceArousalThreshold: number;
  /** Voice arousal (a z-score against the speaker's baseline) must pass this magnitude to disagree with the face. */
  voiceArousalThreshold: number;
}

export const defaultSegmentOptions: SegmentOptions = {
  segmentSec: 1,
  disagreementThreshold: 0.3,
  // A neutral face (0) never disagrees with the voice: talking heads are mostly neutral, and a lively voice
  // over one is ordinary. A sad face (-0.4 when certain, about -0.2 at 80 %) under a voice one SD livelier
  // than usual, or a surprised or angry face (0.8) over a voice one SD flatter, is worth a look.
  faceArousalThreshold: 0.2,
  voiceArousalThreshold: 1,
};

/**
 * Puts faces and speech on one timeline: fixed-length spans, each with every visible track's dominant
 * expression, its valence, the speech sentiment of the utterance overlapping most, and a disagreement flag.
 */
export function buildSegments(
  labels: readonly string[],
  frames: readonly FrameRecord[],
  utterances: readonly Utterance[],
  voiceSegments: readonly VoiceSegment[],
  durationSec: number,
  options: SegmentOptions = defaultSegmentOptions,
): Segment[] {
  const step = options.segmentSec;
  const end = Math.max(durationSec, lastTime(frames), ...utterances.map((u) => u.endSec), ...voiceSegments.map((v) => v.endSec));
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
    const speech = mostOverlapping(utterances, start, stop);
    const voiceIndex = mostOverlappingIndex(voiceSegments, start, stop);
    const voice = voiceIndex === undefined ? undefined : voiceSegments[voiceIndex]!;
    const flags = disagreementFlags(faces, speech?.sentiment.compound, voice?.arousal ?? null, options);
    segments.push({
      startSec: round6(start),
      endSec: round6(stop),
      faces,
      ...(speech ? { speech: { utteranceId: speech.id, compound: speech.sentiment.compound, label: speech.sentiment.label } } : {}),
      ...(voice ? { voice: { segmentIndex: voiceIndex!, arousal: voice.arousal, f0MeanSemitones: voice.f0MeanSemitones } } : {}),
      disagreement: flags.length > 0,
      flags,
    });
  }
  return segments;
}

function disagreementFlags(faces: readonly SegmentFace[], compound: number | undefined, voiceArousal: number | null, options: SegmentOptions): DisagreementKind[] {
  const flags: DisagreementKind[] = [];
  if (compound !== undefined && faces.some((face) => opposite(face.valence, options.disagreementThreshold, compound, options.disagreementThreshold))) {
    flags.push('face-words');
  }
  if (voiceArousal !== null && faces.some((face) => opposite(face.arousal, options.faceArousalThreshold, voiceArousal, options.voiceArousalThreshold))) {
    flags.push('face-voice');
  }
  return flags;
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
      return {
        trackId,
        label: labels[best] ?? '',
        confidence: round6(mean[best] ?? 0),
        valence: round6(faceValence(labels, mean)),
        arousal: round6(faceArousal(labels, mean)),
      };
    });
}

interface Span {
  startSec: number;
  endSec: number;
}

function mostOverlapping<T extends Span>(spans: readonly T[], start: number, stop: number): T | undefined {
  const index = mostOverlappingIndex(spans, start, stop);
  return index === undefined ? undefined : spans[index];
}

function mostOverlappingIndex(spans: readonly Span[], start: number, stop: number): number | undefined {
  let best: number | undefined;
  let bestOverlap = 0;
  spans.forEach((span, i) => {
    const overlap = Math.min(stop, span.endSec) - Math.max(start, span.startSec);
    if (overlap > bestOverlap) {
      best = i;
      bestOverlap = overlap;
    }
  });
  return best;
}

/** Each value passes its threshold, with opposite signs. */
function opposite(a: number, aThreshold: number, b: number, bThreshold: number): boolean {
  return (a >= aThreshold && b <= -bThreshold) || (a <= -aThreshold && b >= bThreshold);
}

function lastTime(frames: readonly FrameRecord[]): number {
  return frames.length > 0 ? frames[frames.length - 1]!.timeSec : 0;
}
