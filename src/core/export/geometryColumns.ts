/**
 * The face-geometry columns of the CSV exports: Py-Feat's (68 landmarks, Pitch/Roll/Yaw, its 20 AU columns) and
 * OpenFace's (gaze vectors and angles, pose, 68 landmarks, AU intensities). A face without geometry (not
 * measured, or failed) has every one of them empty.
 */
import { actionUnitIndex, ACTION_UNIT_FIELDS, geometryMeasured } from '../../shared/faceGeometry';
import { faceKey } from '../../shared/labelPrecedence';
import type { FinalFace } from './finalLabels';
import { formatNumber } from './finalLabels';
import type { MeshLandmarks } from './meshLandmarks';
import { openFaceGaze, openFacePose, pyFeatPose } from './poseConventions';

const LANDMARK_COUNT = 68;
const empty = (n: number): string[] => Array.from({ length: n }, () => '');
const number = (value: number): string => formatNumber(value);

/** x_0 … x_67 then y_0 … y_67 (Py-Feat's and OpenFace's order), or empty cells. */
function landmarkCells(face: FinalFace, landmarks: MeshLandmarks | undefined): string[] {
  const points = geometryMeasured(face.geometry) ? landmarks?.get(faceKey(face.frameIndex, face.trackId)) : undefined;
  if (!points) return empty(2 * LANDMARK_COUNT);
  const xs = Array.from({ length: LANDMARK_COUNT }, (_, i) => number(points[2 * i]!));
  const ys = Array.from({ length: LANDMARK_COUNT }, (_, i) => number(points[2 * i + 1]!));
  return [...xs, ...ys];
}

/** Py-Feat's x_0 … y_67, Pitch, Roll, Yaw, AU01 … AU43 (its AU columns are ours, in the same order). */
export function pyFeatGeometryCells(face: FinalFace, landmarks: MeshLandmarks | undefined): string[] {
  const geometry = geometryMeasured(face.geometry) ? face.geometry : undefined;
  if (!geometry) return [...landmarkCells(face, undefined), ...empty(3 + ACTION_UNIT_FIELDS.length)];
  const pose = pyFeatPose(geometry);
  return [...landmarkCells(face, landmarks), number(pose.pitch), number(pose.roll), number(pose.yaw), ...geometry.actionUnits.map(number)];
}

/** The AU intensities OpenFace 2 writes (AUxx_r); AU45 (blink) is read from our AU43 (eyes closed) estimate. */
const OPENFACE_AUS = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 17, 20, 23, 25, 26, 45] as const;
/** OpenFace's intensity scale is 0-5; ours 0-1, multiplied by this (a rescale, not a calibration to OpenFace). */
export const OPENFACE_INTENSITY_SCALE = 5;

export const OPENFACE_GEOMETRY_COLUMNS: readonly string[] = [
  'gaze_0_x', 'gaze_0_y', 'gaze_0_z', 'gaze_1_x', 'gaze_1_y', 'gaze_1_z', 'gaze_angle_x', 'gaze_angle_y',
  'pose_Tx', 'pose_Ty', 'pose_Tz', 'pose_Rx', 'pose_Ry', 'pose_Rz',
  ...Array.from({ length: LANDMARK_COUNT }, (_, i) => `x_${i}`), ...Array.from({ length: LANDMARK_COUNT }, (_, i) => `y_${i}`),
  ...OPENFACE_AUS.map((au) => `AU${String(au).padStart(2, '0')}_r`),
];

export function openFaceGeometryCells(face: FinalFace, landmarks: MeshLandmarks | undefined): string[] {
  const geometry = geometryMeasured(face.geometry) ? face.geometry : undefined;
  if (!geometry) return empty(OPENFACE_GEOMETRY_COLUMNS.length);
  const gaze = openFaceGaze(geometry);
  const pose = openFacePose(geometry);
  const intensity = (au: (typeof OPENFACE_AUS)[number]) => geometry.actionUnits[actionUnitIndex(au === 45 ? 43 : au)]! * OPENFACE_INTENSITY_SCALE;
  return [
    ...[...gaze.eye0, ...gaze.eye1, gaze.angleX, gaze.angleY].map(number),
    ...[pose.tx, pose.ty, pose.tz, pose.rx, pose.ry, pose.rz].map(number),
    ...landmarkCells(face, landmarks),
    ...OPENFACE_AUS.map((au) => number(intensity(au))),
  ];
}
