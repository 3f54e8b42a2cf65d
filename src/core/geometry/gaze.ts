/**
 * Gaze direction from the irises, per eye and combined (a geometric estimate, no gaze model):
 *  1. The mesh (irises included) is taken into the head's own frame with the head pose (headPose.ts:
 *     metric landmarks, pose⁻¹), so the head's rotation is removed and distances are in centimetres.
 *  2. Per eye, the iris centre's offset from the midpoint of the eye corners (in the head's x-y plane) is
 *     read as a rotation of an eyeball of radius 1.2 cm (the adult average, Bekerman et al. 2014):
 *     horizontal angle asin(dx / r), vertical asin(dy / r), less the offset a straight gaze shows
 *     (STRAIGHT_OFFSET, measured on the dev frames: faces looking into the camera).
 *  3. That direction is turned by the head rotation into camera space and reported as yaw (atan2 x / z)
 *     and pitch (down positive), like the head pose; the combined gaze is the mean of the two unit vectors.
 * Landmarks (mediapipe/python/solutions/face_mesh_connections.py): right eye corners 33 (outer) / 133
 * (inner), iris centre 468; left eye 362 (inner) / 263 (outer), iris centre 473.
 */
import type { Matrix3 } from './procrustes';

export interface GazeAngles {
  /** Degrees. Positive: looking towards the image's right. */
  yaw: number;
  /** Degrees. Positive: looking down. */
  pitch: number;
}

export interface Gaze {
  /** The subject's right eye (the image's left in a frontal photo). */
  right: GazeAngles;
  left: GazeAngles;
  combined: GazeAngles;
}

export const EYEBALL_RADIUS_CM = 1.2;
/**
 * Iris offset (cm, head frame: x to the image's right, y up) of a straight gaze from the eye-corner midpoint:
 * y is the median over 518 eyes of the posed dev faces (CK+, JAFFE), which look into the camera
 * (scripts/evaluation/geometryRoi.ts): the iris sits 1.7 mm above the corners' line. x is 0 by symmetry (a
 * shared x offset would break mirror symmetry; the measured median, 0.27 mm, is about 1°).
 */
export const STRAIGHT_OFFSET = { x: 0, y: 0.17 };

const EYES = {
  right: { corners: [33, 133], iris: 468 },
  left: { corners: [362, 263], iris: 473 },
} as const;

/** `headFrame`: 478 points in the head's frame (cm); `rotation`: the head rotation (row-major 3x3). */
export function estimateGaze(headFrame: ArrayLike<number>, rotation: Matrix3): Gaze {
  const right = eyeDirection(headFrame, EYES.right, rotation);
  const left = eyeDirection(headFrame, EYES.left, rotation);
  const sum = [right[0] + left[0], right[1] + left[1], right[2] + left[2]] as const;
  const norm = Math.hypot(...sum) || 1;
  return { right: anglesOf(right), left: anglesOf(left), combined: anglesOf([sum[0] / norm, sum[1] / norm, sum[2] / norm]) };
}

function eyeDirection(points: ArrayLike<number>, eye: { corners: readonly [number, number]; iris: number }, rotation: Matrix3): [number, number, number] {
  const [a, b] = eye.corners;
  const dx = points[3 * eye.iris]! - (points[3 * a]! + points[3 * b]!) / 2 - STRAIGHT_OFFSET.x;
  const dy = points[3 * eye.iris + 1]! - (points[3 * a + 1]! + points[3 * b + 1]!) / 2 - STRAIGHT_OFFSET.y;
  const clamp = (v: number) => Math.max(-1, Math.min(1, v));
  const horizontal = Math.asin(clamp(dx / EYEBALL_RADIUS_CM));
  const vertical = Math.asin(clamp(dy / EYEBALL_RADIUS_CM));
  // Head frame: x right (image), y up, z towards the viewer; a straight gaze is +z.
  const h = [Math.sin(horizontal) * Math.cos(vertical), Math.sin(vertical), Math.cos(horizontal) * Math.cos(vertical)];
  return [0, 1, 2].map((r) => rotation[3 * r]! * h[0]! + rotation[3 * r + 1]! * h[1]! + rotation[3 * r + 2]! * h[2]!) as [number, number, number];
}

function anglesOf(d: readonly [number, number, number]): GazeAngles {
  const deg = 180 / Math.PI;
  return { yaw: Math.atan2(d[0], d[2]) * deg, pitch: Math.atan2(-d[1], Math.hypot(d[0], d[2])) * deg };
}
