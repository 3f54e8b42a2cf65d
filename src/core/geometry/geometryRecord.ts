/**
 * A face's geometry as the document stores it (src/shared/faceGeometry.ts): the compact measures in their fixed
 * orders, rounded to what they mean (0.1° for angles, 0.1 cm for the head's position, 0.1 mm for the lips,
 * 0.01 for blendshapes and AU estimates: finer than MediaPipe's own runtime and ours agree, 0.013-0.021 on
 * average, docs/face-geometry.md), or a failure with its reason. Built in the frame worker, so only these few numbers and the
 * mesh cross to the main thread.
 */
import type { FaceGeometryFailure, FaceGeometryRecord } from '../../shared/faceGeometry';
import { GEOMETRY_DECIMALS } from '../../shared/faceGeometry';
import { ACTION_UNITS } from './actionUnits';
import type { FaceGeometry } from './faceGeometryEstimator';
import { MIN_FACE_PRESENCE } from './faceGeometryEstimator';

const round = (value: number, decimals: number): number => {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  // -0 would be written as 0 by JSON anyway; keep the value what it is written as.
  return rounded === 0 ? 0 : rounded;
};

export function geometryRecord(geometry: FaceGeometry): FaceGeometryRecord {
  if (geometry.presence < MIN_FACE_PRESENCE) {
    return failedGeometry(`the face mesh model sees no face here (presence ${geometry.presence.toFixed(2)}, below ${MIN_FACE_PRESENCE}, where MediaPipe drops a face)`);
  }
  const { pose, gaze, mouth } = geometry;
  const { angle, cm, score } = GEOMETRY_DECIMALS;
  return {
    presence: round(geometry.presence, GEOMETRY_DECIMALS.presence),
    pose: [...[pose.yaw, pose.pitch, pose.roll].map((v) => round(v, angle)), ...pose.translation.map((v) => round(v, cm))],
    gaze: [gaze.right.yaw, gaze.right.pitch, gaze.left.yaw, gaze.left.pitch, gaze.combined.yaw, gaze.combined.pitch].map((v) => round(v, angle)),
    // Index 0 of the model's output is `_neutral`, which MediaPipe says to ignore.
    blendshapes: Array.from(geometry.blendshapes.subarray(1), (v) => round(v, score)),
    actionUnits: ACTION_UNITS.map((au) => round(geometry.actionUnits[au], score)),
    mouth: [round(mouth.lipGapCm, GEOMETRY_DECIMALS.mouthCm), round(mouth.mouthWidthCm, GEOMETRY_DECIMALS.mouthCm), round(mouth.openness, GEOMETRY_DECIMALS.openness)],
  };
}

export function failedGeometry(reason: string): FaceGeometryFailure {
  return { status: 'failed', reason };
}
