/**
 * The region of interest the face mesh model reads: a rotated rectangle around the face, in frame pixels,
 * and the mappings between it and the model's S x S input (MediaPipe's image_to_tensor and landmark
 * projection calculators; see ../shared/models/mediapipe_face_landmarker/MODEL.md, steps 2-4).
 */
import type { Affine } from '../vision/imageOps';
import type { DetectedFace } from '../vision/visionTypes';
import { MESH_POINTS } from './geometryModels';

export interface FaceRoi {
  /** Centre, frame pixels. */
  cx: number;
  cy: number;
  /** Side lengths before rotation, frame pixels. */
  width: number;
  height: number;
  /** Radians, positive clockwise as the image is seen (y down): the angle of the eye line. */
  rotation: number;
}

/** MediaPipe enlarges both the detector's and the tracking rectangle 1.5 times. */
export const ROI_SCALE = 1.5;

/**
 * The YuNet -> ROI rule. MediaPipe's ROI from BlazeFace: centre = box centre, side = box side x 1.5,
 * rotation from keypoint 0 (the eye on the image's left) to keypoint 1. YuNet's box is taller and sits
 * lower than BlazeFace's, so its centre and size come from its 5 points instead: the ROI centre is the
 * midpoint of the eye centre and the mouth centre moved along the face's up axis by CENTRE_UP x that
 * eye-mouth distance, and the side is SIDE x the same distance (x 1.5 as MediaPipe). Fitted on the
 * dev frames against the ROI MediaPipe tracks with, derived from the mesh (roiFromMesh): medians over 303
 * faces of scripts/evaluation/geometryRoi.ts (centre 0.012, side 2.594; docs/face-geometry.md).
 */
export const YUNET_ROI = { centreUp: 0.01, side: 2.6 } as const;

/** The mesh ROI for a YuNet face (5 points: right eye, left eye, nose, right and left mouth corners). */
export function roiFromYunet(face: Pick<DetectedFace, 'landmarks' | 'box'>): FaceRoi {
  const p = face.landmarks;
  if (p.length < 10) {
    const [x, y, w, h] = face.box;
    const side = Math.max(w, h) * ROI_SCALE;
    return { cx: x + w / 2, cy: y + h / 2, width: side, height: side, rotation: 0 };
  }
  const rotation = Math.atan2(p[3]! - p[1]!, p[2]! - p[0]!);
  const eyeX = (p[0]! + p[2]!) / 2, eyeY = (p[1]! + p[3]!) / 2;
  const mouthX = (p[6]! + p[8]!) / 2, mouthY = (p[7]! + p[9]!) / 2;
  const distance = Math.hypot(mouthX - eyeX, mouthY - eyeY);
  // The face's up axis in the image (y down): perpendicular to the eye line.
  const upX = Math.sin(rotation), upY = -Math.cos(rotation);
  const side = YUNET_ROI.side * distance * ROI_SCALE;
  return {
    cx: (eyeX + mouthX) / 2 + upX * YUNET_ROI.centreUp * distance,
    cy: (eyeY + mouthY) / 2 + upY * YUNET_ROI.centreUp * distance,
    width: side,
    height: side,
    rotation,
  };
}

/**
 * MediaPipe's tracking ROI from a mesh (face_landmarks_detector_graph.cc): the axis-aligned bounding box
 * of the 478 points, rotation from landmark 33 to 263, squared to its long side, x 1.5.
 */
export function roiFromMesh(mesh: ArrayLike<number>): FaceRoi {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = mesh[3 * i]!, y = mesh[3 * i + 1]!;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const rotation = Math.atan2(mesh[3 * 263 + 1]! - mesh[3 * 33 + 1]!, mesh[3 * 263]! - mesh[3 * 33]!);
  const side = Math.max(maxX - minX, maxY - minY) * ROI_SCALE;
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, width: side, height: side, rotation };
}

/**
 * Model input pixel (u, v) of an S x S input -> frame pixel: centre + R(rotation) · ((u/S − ½)·width,
 * (v/S − ½)·height). Input corners map to ROI corners and pixel centres sit on integer coordinates (no
 * half-pixel shift), as MediaPipe's getPerspectiveTransform of the ROI's corners does.
 */
export function roiAffine(roi: FaceRoi, size: number): Affine {
  const cos = Math.cos(roi.rotation), sin = Math.sin(roi.rotation);
  const a = (cos * roi.width) / size, b = (-sin * roi.height) / size;
  const d = (sin * roi.width) / size, e = (cos * roi.height) / size;
  return [a, b, roi.cx - (cos * roi.width) / 2 + (sin * roi.height) / 2, d, e, roi.cy - (sin * roi.width) / 2 - (cos * roi.height) / 2];
}

/**
 * The model's raw landmarks (x, y, z in input pixels of an S x S input) projected into the frame: x, y in
 * frame pixels and z on the same scale as x (MediaPipe's normalised z times the image width).
 */
export function projectLandmarks(raw: ArrayLike<number>, roi: FaceRoi, size: number, out = new Float32Array(raw.length)): Float32Array {
  const [a, b, c, d, e, f] = roiAffine(roi, size);
  for (let i = 0; i < raw.length; i += 3) {
    const u = raw[i]!, v = raw[i + 1]!;
    out[i] = a * u + b * v + c;
    out[i + 1] = d * u + e * v + f;
    out[i + 2] = (raw[i + 2]! / size) * roi.width;
  }
  return out;
}
