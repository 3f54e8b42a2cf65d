/**
 * The labels every export writes: per frame and face, the human correction if there is one, else the adapted
 * model's suggestion (when the document has an adaptation), else the model's label (the precedence of
 * shared/labelPrecedence.ts, which the review panel and the notebook renderer follow too). One pure function
 * shared by all exporters so they can never disagree about what "final" means.
 */
import type { FaceGeometryRecord } from '../../shared/faceGeometry';
import type { AnnotationDocument, Box, Correction, FaceSource, Suggestion } from '../../shared/annotationDocument';
import { faceKey, finalLabel, finalLabelSource } from '../../shared/labelPrecedence';
import type { LabelSource } from '../../shared/labelPrecedence';

export interface FinalFace {
  frameIndex: number;
  timeSec: number;
  trackId: number;
  box: Box;
  /** How the face was found: by the detector, or as the whole image of a face crop. */
  faceSource: FaceSource;
  /** Face detector score, 0..1. */
  detectorScore: number;
  /** The human's label where a correction matches (frameIndex + trackId), else the adapted suggestion, else the model's. */
  label: string;
  source: LabelSource;
  /**
   * How sure the label is: 1 for a human label (a reviewer's decision is not a probability), the adapted
   * probability for an adapted label, the model's confidence (its probability of its own label) for a model label.
   */
  confidence: number;
  modelLabel: string;
  modelConfidence: number;
  /** The adapted model's suggestion for this face, also under a human label (absent without an adaptation). */
  adaptedLabel?: string;
  adaptedConfidence?: number;
  /** Who made the human label, when the correction says. */
  annotator?: string;
  /**
   * The distribution the model label is the argmax of: `smoothedProbs` when the document has them, else the
   * raw `probs`; in `labels` order.
   */
  probs: number[];
  /** The model's raw per-frame probabilities (never smoothed). */
  rawProbs: number[];
  /** The face's geometry as the document has it (absent when not measured). */
  geometry?: FaceGeometryRecord;
}

export interface FinalFrame {
  /** Position in the document's `frames` array (equal to `index` in documents Emotion Lens writes). */
  position: number;
  index: number;
  timeSec: number;
  /** Where this sample's span ends: the next sample's time, or for the last one its time + one sample interval. */
  endSec: number;
  faces: FinalFace[];
}

export interface FinalLabels {
  frames: FinalFrame[];
  /** Corrections that were applied (the last one wins when a frame and face has several). */
  appliedCorrections: number;
  /** Corrections whose frame and face do not exist in the document: no export can place them. */
  unmatchedCorrections: number;
}

export function finalLabels(doc: AnnotationDocument): FinalLabels {
  const corrections = new Map<string, Correction>();
  for (const c of doc.corrections) corrections.set(faceKey(c.frameIndex, c.trackId), c);
  const suggestions = new Map<string, Suggestion>();
  for (const s of doc.adaptation?.suggestions ?? []) suggestions.set(faceKey(s.frameIndex, s.trackId), s);
  const used = new Set<string>();
  const interval = sampleIntervalSec(doc);
  const frames = doc.frames.map((frame, position): FinalFrame => {
    const next = doc.frames[position + 1];
    const endSec = next ? next.timeSec : lastFrameEndSec(frame.timeSec, interval, doc.media.durationSec);
    const faces = frame.faces.map((face): FinalFace => {
      const key = faceKey(frame.index, face.trackId);
      const human = corrections.get(key);
      const adapted = suggestions.get(key);
      if (human !== undefined) used.add(key);
      const source = finalLabelSource(human !== undefined, adapted !== undefined);
      return {
        frameIndex: frame.index,
        timeSec: frame.timeSec,
        trackId: face.trackId,
        box: [...face.box],
        faceSource: face.source,
        detectorScore: face.score,
        label: finalLabel(human?.label, adapted?.label, face.label),
        source,
        confidence: human ? 1 : adapted ? adapted.confidence : face.confidence,
        modelLabel: face.label,
        modelConfidence: face.confidence,
        ...(adapted && { adaptedLabel: adapted.label, adaptedConfidence: adapted.confidence }),
        ...(human?.annotator !== undefined && { annotator: human.annotator }),
        probs: [...(face.smoothedProbs ?? face.probs)],
        rawProbs: [...face.probs],
        ...(face.geometry && { geometry: face.geometry }),
      };
    });
    return { position, index: frame.index, timeSec: frame.timeSec, endSec, faces };
  });
  return { frames, appliedCorrections: used.size, unmatchedCorrections: new Set(doc.corrections.map((c) => faceKey(c.frameIndex, c.trackId))).size - used.size };
}

/** Time between two samples: 1 / sampleFps, or one video frame when every frame was analysed. */
export function sampleIntervalSec(doc: AnnotationDocument): number {
  const { sampleFps } = doc.provenance.settings;
  if (sampleFps > 0) return 1 / sampleFps;
  return doc.media.fps > 0 ? 1 / doc.media.fps : 1;
}

/** The last sample spans one interval, but never past the end of the media (when the media has a length). */
function lastFrameEndSec(timeSec: number, interval: number, durationSec: number): number {
  const end = timeSec + interval;
  return durationSec > timeSec ? Math.min(end, durationSec) : end;
}

/** A stretch of consecutive samples of one track with the same final label. */
export interface LabelRun {
  trackId: number;
  label: string;
  /** The source every face in the run has, or 'mixed'. */
  source: LabelSource | 'mixed';
  startSec: number;
  /** Where the last sample's span ends (see FinalFrame.endSec). */
  endSec: number;
  faces: FinalFace[];
}

/**
 * Runs per track, in track then time order. A run ends where the label changes, where the track is missing
 * from the next sample, or (with splitOnSource) where human and model labels meet.
 */
export function labelRuns(labels: FinalLabels, options: { splitOnSource?: boolean } = {}): LabelRun[] {
  const byTrack = new Map<number, LabelRun[]>();
  const open = new Map<number, { run: LabelRun; position: number }>();
  for (const frame of labels.frames) {
    for (const face of frame.faces) {
      const current = open.get(face.trackId);
      const continues =
        current !== undefined &&
        current.position === frame.position - 1 &&
        current.run.label === face.label &&
        (!options.splitOnSource || current.run.source === face.source);
      if (current && continues) {
        current.run.faces.push(face);
        current.run.endSec = frame.endSec;
        if (current.run.source !== face.source) current.run.source = 'mixed';
        current.position = frame.position;
        continue;
      }
      const run: LabelRun = { trackId: face.trackId, label: face.label, source: face.source, startSec: frame.timeSec, endSec: frame.endSec, faces: [face] };
      const runs = byTrack.get(face.trackId) ?? [];
      runs.push(run);
      byTrack.set(face.trackId, runs);
      open.set(face.trackId, { run, position: frame.position });
    }
  }
  return [...byTrack.keys()].sort((a, b) => a - b).flatMap((id) => byTrack.get(id) ?? []);
}

/** Track ids in ascending order, from the frames (the source of truth for exports). */
export function trackIds(labels: FinalLabels): number[] {
  return [...new Set(labels.frames.flatMap((f) => f.faces.map((face) => face.trackId)))].sort((a, b) => a - b);
}

/** Rounds to `digits` decimals and prints the shortest form ('.' decimal point, no exponent, no "-0"). */
export function formatNumber(value: number, digits = 6): string {
  const rounded = Number(value.toFixed(digits));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
