import type { Box, FaceSource } from '../../shared/annotationDocument';

/** A face found in one frame, in that frame's pixel coordinates. */
export interface DetectedFace {
  box: Box;
  score: number;
  /** Right eye, left eye, nose tip, right and left mouth corners: x0, y0, ..., x4, y4. */
  landmarks: number[];
  /** Absent: detected. */
  source?: FaceSource;
}

/** A detected face with its expression probabilities (canonical label order). */
export interface AnalysedFace extends DetectedFace {
  probs: number[];
}

export interface FrameAnalysis {
  index: number;
  timeSec: number;
  /** Faces in source pixel coordinates (already multiplied by the frame's scaleToSource). */
  faces: AnalysedFace[];
}
