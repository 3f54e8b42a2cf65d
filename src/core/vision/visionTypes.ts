import type { Box, FaceSource } from '../../shared/annotationDocument';
import type { FaceGeometryRecord } from '../../shared/faceGeometry';

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
export interface AnalyzedFace extends DetectedFace {
  probs: number[];
  /** With two or more expression models: each one's calibrated probabilities (the configuration's order), for the adaptation. */
  memberProbs?: number[][];
  /** Present when the geometry stage ran: the document's compact measures, or why they could not be had. */
  geometry?: FaceGeometryRecord;
}

export interface FrameAnalysis {
  index: number;
  timeSec: number;
  /** Faces in source pixel coordinates (already multiplied by the frame's scaleToSource). */
  faces: AnalyzedFace[];
  /** With geometry: 478 x (x, y, z) per face in `faces` order, source pixels (NaN for a face without geometry). */
  meshes?: Float32Array;
}
