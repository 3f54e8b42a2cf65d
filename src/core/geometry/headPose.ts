/**
 * Head pose from the face mesh, as MediaPipe's face geometry pipeline computes it
 * (mediapipe/tasks/cc/vision/face_geometry/libs/geometry_pipeline.cc, ScreenToMetricSpaceConverter):
 * a perspective camera (vertical FOV 63°, near 1, origin top-left) turns the 468 mesh landmarks into
 * metric camera space by two Procrustes scale estimates, then a weighted Procrustes fit of the canonical
 * face (cm) gives the pose matrix. Yaw, pitch and roll are read from its rotation (see eulerFromRotation).
 */
import type { CanonicalFace } from './geometryModels';
import { FACE_MESH_POINTS } from './geometryModels';
import type { Matrix3 } from './procrustes';
import { solveWeightedProcrustes } from './procrustes';

/** MediaPipe's default environment (face_geometry/proto/environment.proto as the Face Landmarker sets it). */
export const CAMERA_VERTICAL_FOV_DEG = 63;
export const CAMERA_NEAR = 1;

export interface HeadPose {
  /** Degrees. Positive: the nose turns towards the image's right (the subject's left). */
  yaw: number;
  /** Degrees. Positive: the head tips down (chin towards the chest). */
  pitch: number;
  /** Degrees. Positive: the head tilts counter-clockwise as the image is seen. */
  roll: number;
  /** Centimetres, camera space: +x image right, +y up, z negative in front of the camera (approximate: assumes a 63° vertical FOV). */
  translation: [number, number, number];
  /** MediaPipe's pose_transform_matrix, column-major 4x4 (canonical face cm -> camera space), as in its FaceGeometry. */
  matrix: number[];
}

export interface MetricFace {
  pose: HeadPose;
  /** The rotation of the head (row-major 3x3, scale removed). */
  rotation: Matrix3;
  /** Every input landmark (all 478 when given) in the canonical face's frame, cm (pose⁻¹ · metric landmarks). */
  headFrame: Float64Array;
}

/**
 * `normalised`: x / width, y / height and z / width per landmark (MediaPipe's NormalizedLandmark), at
 * least the 468 mesh points; the iris points after them are carried into `headFrame` too.
 */
export function estimateHeadPose(normalised: ArrayLike<number>, imageWidth: number, imageHeight: number, canonical: CanonicalFace): MetricFace {
  const count = normalised.length / 3;
  if (count < FACE_MESH_POINTS || canonical.vertexCount !== FACE_MESH_POINTS) throw new Error(`head pose needs ${FACE_MESH_POINTS} mesh landmarks`);
  const heightAtNear = 2 * CAMERA_NEAR * Math.tan((0.5 * CAMERA_VERTICAL_FOV_DEG * Math.PI) / 180);
  const widthAtNear = (imageWidth * heightAtNear) / imageHeight;
  // ProjectXY: origin top-left, so y flips; x and z scale with the frustum width, y with its height.
  const screen = new Float64Array(count * 3);
  for (let i = 0; i < count; i++) {
    screen[3 * i] = normalised[3 * i]! * widthAtNear - 0.5 * widthAtNear;
    screen[3 * i + 1] = (1 - normalised[3 * i + 1]!) * heightAtNear - 0.5 * heightAtNear;
    screen[3 * i + 2] = normalised[3 * i + 2]! * widthAtNear;
  }
  let depthOffset = 0;
  for (let i = 0; i < FACE_MESH_POINTS; i++) depthOffset += screen[3 * i + 2]!;
  depthOffset /= FACE_MESH_POINTS;
  const canonicalPoints = canonical.vertices;
  const weights = canonical.procrustesWeights;
  const scaleOf = (points: Float64Array): number => solveWeightedProcrustes(canonicalPoints, points.subarray(0, FACE_MESH_POINTS * 3), weights).scale;
  // 1st iteration: the relative z makes unprojection unsafe, so the first scale comes from the projected points.
  const first = scaleOf(flipZ(Float64Array.from(screen)));
  const second = scaleOf(flipZ(unproject(Float64Array.from(screen), depthOffset, first)));
  const metric = flipZ(unproject(screen, depthOffset, first * second));
  const fit = solveWeightedProcrustes(canonicalPoints, metric.subarray(0, FACE_MESH_POINTS * 3), weights);
  return { pose: poseFrom(fit.matrix, fit.rotation), rotation: fit.rotation, headFrame: toHeadFrame(metric, fit.matrix) };
}

/** MoveAndRescaleZ then UnprojectXY, in place. */
function unproject(points: Float64Array, depthOffset: number, scale: number): Float64Array {
  for (let i = 0; i < points.length; i += 3) {
    const z = (points[i + 2]! - depthOffset + CAMERA_NEAR) / scale;
    points[i + 2] = z;
    points[i] = (points[i]! * z) / CAMERA_NEAR;
    points[i + 1] = (points[i + 1]! * z) / CAMERA_NEAR;
  }
  return points;
}

/** ChangeHandedness, in place. */
function flipZ(points: Float64Array): Float64Array {
  for (let i = 2; i < points.length; i += 3) points[i] = -points[i]!;
  return points;
}

/** pose⁻¹ · p for every point (row-major pose = [sR | t]). */
function toHeadFrame(metric: Float64Array, pose: number[]): Float64Array {
  const s2 = pose[0]! ** 2 + pose[4]! ** 2 + pose[8]! ** 2;
  const out = new Float64Array(metric.length);
  for (let i = 0; i < metric.length; i += 3) {
    const d = [metric[i]! - pose[3]!, metric[i + 1]! - pose[7]!, metric[i + 2]! - pose[11]!];
    // (sR)⁻¹ = Rᵀ / s = (sR)ᵀ / s².
    for (let c = 0; c < 3; c++) out[i + c] = (pose[c]! * d[0]! + pose[4 + c]! * d[1]! + pose[8 + c]! * d[2]!) / s2;
  }
  return out;
}

function poseFrom(rowMajor: number[], rotation: Matrix3): HeadPose {
  const { yaw, pitch, roll } = eulerFromRotation(rotation);
  const matrix = [0, 1, 2, 3].flatMap((c) => [0, 1, 2, 3].map((r) => rowMajor[4 * r + c]!));
  return { yaw, pitch, roll, translation: [rowMajor[3]!, rowMajor[7]!, rowMajor[11]!], matrix };
}

/**
 * R = Rz(roll) · Ry(yaw) · Rx(pitch) in camera space (x right, y up, z towards the viewer): roll is applied
 * last, about the camera axis, so rotating the image in its plane changes roll alone; mirroring the image
 * negates yaw and roll. Rx(pitch > 0) turns +z (the nose) towards −y: the head tips down.
 */
export function eulerFromRotation(r: ArrayLike<number>): { yaw: number; pitch: number; roll: number } {
  const deg = 180 / Math.PI;
  const yaw = Math.asin(Math.max(-1, Math.min(1, -r[6]!)));
  return { yaw: yaw * deg, pitch: Math.atan2(r[7]!, r[8]!) * deg, roll: Math.atan2(r[3]!, r[0]!) * deg };
}

/** The rotation eulerFromRotation reads back as (yaw, pitch, roll), for tests and synthetic faces. */
export function rotationFromEuler(yawDeg: number, pitchDeg: number, rollDeg: number): Matrix3 {
  const [y, p, r] = [yawDeg, pitchDeg, rollDeg].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(y), Math.sin(y), Math.cos(p), Math.sin(p), Math.cos(r), Math.sin(r)];
  return [
    cr * cy, cr * sy * sp - sr * cp, cr * sy * cp + sr * sp,
    sr * cy, sr * sy * sp + cr * cp, sr * sy * cp - cr * sp,
    -sy, cy * sp, cy * cp,
  ];
}
