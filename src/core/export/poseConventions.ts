/**
 * Head pose and gaze in the conventions of the tools our exports imitate, from the document's (degrees; yaw > 0
 * nose to the image's right, pitch > 0 head down, roll > 0 counter-clockwise; the rotation R = Rz(roll) ·
 * Ry(yaw) · Rx(pitch) in a camera frame with +x right, +y up, +z towards the viewer: docs/face-geometry.md).
 * Each is computed from the rotation itself, not by flipping signs, so large angles convert exactly.
 *
 * - OpenFace 2 (RotationHelpers.h, GazeAnalysis.cpp): camera frame +x right, +y down, +z away from the camera;
 *   pose R = Rx(pose_Rx) · Ry(pose_Ry) · Rz(pose_Rz), radians; pose_T in millimetres; a gaze vector points from
 *   the eye out of the face (-z towards the camera), gaze_angle_x = atan2(x, -z), gaze_angle_y = atan2(y, -z),
 *   radians, of the mean of the two eyes' vectors; eye 0 is the leftmost in the image (the subject's right).
 * - Py-Feat 0.6 (its img2pose Detector, feat/facepose_detectors/utils.py convert_to_euler, after img2pose's
 *   AFLW2000 convention): the rotation in OpenFace's camera frame, transposed, read as scipy's extrinsic 'xyz'
 *   Euler angles (a, b, c) in degrees; Pitch = a, Roll = -c, Yaw = -b. That makes Pitch > 0 the head tipping
 *   up, Yaw > 0 the nose turning to the image's left and Roll > 0 a clockwise tilt in the image (HopeNet's
 *   draw_axis draws these signs so): all three opposite to ours for small angles.
 */
import type { FaceGeometryMeasures } from '../../shared/faceGeometry';
import { gazeIndex, poseIndex } from '../../shared/faceGeometry';

type Matrix3 = number[];
const RAD = Math.PI / 180;

/** R = Rz(roll) · Ry(yaw) · Rx(pitch), row-major, our camera frame. */
function rotationOf(pose: readonly number[]): Matrix3 {
  const [y, p, r] = [pose[poseIndex('yawDeg')]!, pose[poseIndex('pitchDeg')]!, pose[poseIndex('rollDeg')]!].map((d) => d * RAD) as [number, number, number];
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(y), Math.sin(y), Math.cos(p), Math.sin(p), Math.cos(r), Math.sin(r)];
  return [cr * cy, cr * sy * sp - sr * cp, cr * sy * cp + sr * sp, sr * cy, sr * sy * sp + cr * cp, sr * sy * cp - cr * sp, -sy, cy * sp, cy * cp];
}

/** The same rotation in OpenCV's camera frame (y and z flipped): F R F with F = diag(1, -1, -1). */
function inOpenCvFrame(r: Matrix3): Matrix3 {
  const sign = [1, -1, -1];
  return r.map((v, i) => v * sign[Math.floor(i / 3)]! * sign[i % 3]!);
}

const clampUnit = (v: number): number => Math.max(-1, Math.min(1, v));

export interface OpenFacePose {
  /** Radians. */
  rx: number;
  ry: number;
  rz: number;
  /** Millimetres (approximate: our translation assumes a 63° vertical field of view). */
  tx: number;
  ty: number;
  tz: number;
}

export function openFacePose(geometry: FaceGeometryMeasures): OpenFacePose {
  const r = inOpenCvFrame(rotationOf(geometry.pose));
  // R = Rx(a) Ry(b) Rz(c): r[2] = sin b, r[5] = -sin a cos b, r[8] = cos a cos b, r[1] = -cos b sin c, r[0] = cos b cos c.
  const [x, y, z] = [geometry.pose[poseIndex('xCm')]!, geometry.pose[poseIndex('yCm')]!, geometry.pose[poseIndex('zCm')]!];
  return { rx: Math.atan2(-r[5]!, r[8]!), ry: Math.asin(clampUnit(r[2]!)), rz: Math.atan2(-r[1]!, r[0]!), tx: x * 10, ty: -y * 10, tz: -z * 10 };
}

/** Py-Feat's Pitch, Roll, Yaw in degrees. */
export function pyFeatPose(geometry: FaceGeometryMeasures): { pitch: number; roll: number; yaw: number } {
  const r = inOpenCvFrame(rotationOf(geometry.pose));
  // Transposed, then read as extrinsic xyz (= Rz(c) Ry(b) Rx(a)): m[6] = -sin b, m[7] = cos b sin a, m[3] = cos b sin c.
  const m = [r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!];
  const a = Math.atan2(m[7]!, m[8]!);
  const b = Math.asin(clampUnit(-m[6]!));
  const c = Math.atan2(m[3]!, m[0]!);
  return { pitch: a / RAD, roll: -c / RAD, yaw: -b / RAD };
}

export interface OpenFaceGaze {
  /** Unit vectors in OpenFace's camera frame: eye 0 (leftmost in the image: the subject's right), eye 1. */
  eye0: [number, number, number];
  eye1: [number, number, number];
  /** Radians, of the mean of the two vectors. */
  angleX: number;
  angleY: number;
}

export function openFaceGaze(geometry: FaceGeometryMeasures): OpenFaceGaze {
  const g = geometry.gaze;
  const eye0 = gazeVector(g[gazeIndex('rightYawDeg')]!, g[gazeIndex('rightPitchDeg')]!);
  const eye1 = gazeVector(g[gazeIndex('leftYawDeg')]!, g[gazeIndex('leftPitchDeg')]!);
  const mean = [0, 1, 2].map((i) => (eye0[i]! + eye1[i]!) / 2) as [number, number, number];
  return { eye0, eye1, angleX: Math.atan2(mean[0], -mean[2]), angleY: Math.atan2(mean[1], -mean[2]) };
}

/** Our gaze angles (yaw = atan2(x, z), pitch down = atan2(-y, hypot(x, z)), y up, +z towards the viewer) as OpenFace's vector. */
function gazeVector(yawDeg: number, pitchDeg: number): [number, number, number] {
  const [yaw, pitch] = [yawDeg * RAD, pitchDeg * RAD];
  return [Math.cos(pitch) * Math.sin(yaw), Math.sin(pitch), -Math.cos(pitch) * Math.cos(yaw)];
}
