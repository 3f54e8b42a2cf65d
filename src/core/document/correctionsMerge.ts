import type { AnnotationDocument, Correction } from '../../shared/annotationDocument';
import { carriedAdaptation } from '../adaptation/documentAdaptation';

export interface MergeReport {
  /** Corrections carried over onto the new analysis. */
  kept: number;
  /** Corrections whose frame or track is gone; they move to `unplacedCorrections`, never dropped. */
  unplaced: Correction[];
}

/** Frame times from the same video and settings agree to the microsecond; allow rounding in stored JSON. */
const TIME_TOLERANCE_SEC = 0.0005;

/**
 * Carries a previous document's human corrections onto a fresh analysis of the same video. A correction is
 * placed when a frame at the same time still has a face of the same track and the label still exists;
 * its frame index is updated if sampling moved it. Everything else is reported and kept aside. An adaptation
 * learnt from the corrections comes along too, suggesting again from the new probabilities.
 */
export function mergeCorrections(previous: AnnotationDocument, next: AnnotationDocument): { document: AnnotationDocument; report: MergeReport } {
  const labels = new Set(next.labels);
  const frameAt = indexFramesByTime(next);
  const placed = new Map<string, Correction>();
  const unplaced: Correction[] = [...previous.unplacedCorrections];
  for (const correction of previous.corrections) {
    const frame = frameAt(correction.timeSec);
    const face = frame?.faces.find((f) => f.trackId === correction.trackId);
    if (!frame || !face || !labels.has(correction.label)) {
      unplaced.push(correction);
      continue;
    }
    // A later correction of the same face wins, as it did in the old document.
    placed.set(`${frame.index}:${face.trackId}`, { ...correction, frameIndex: frame.index, timeSec: frame.timeSec, modelLabel: face.label });
  }
  const corrections = [...placed.values()].sort((a, b) => a.frameIndex - b.frameIndex || a.trackId - b.trackId);
  const newlyUnplaced = unplaced.slice(previous.unplacedCorrections.length);
  const adaptation = carriedAdaptation(previous, next);
  return {
    document: { ...next, corrections, unplacedCorrections: unplaced, ...(adaptation && { adaptation }) },
    report: { kept: corrections.length, unplaced: newlyUnplaced },
  };
}

function indexFramesByTime(doc: AnnotationDocument): (timeSec: number) => AnnotationDocument['frames'][number] | undefined {
  const frames = doc.frames;
  return (timeSec) => {
    let lo = 0;
    let hi = frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = frames[mid]!.timeSec;
      if (Math.abs(t - timeSec) <= TIME_TOLERANCE_SEC) return frames[mid];
      if (t < timeSec) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
}
