/**
 * The face geometry of the annotation document (schema version 5): per face, compact measures in arrays whose
 * order is fixed here (and written into each document's `geometry.layout`, so a reader needs no code of ours);
 * the 478-point mesh of every face lives in a Parquet sidecar the document links (docs/annotation-format.md).
 */

/** `pose`: head pose, degrees and centimetres (docs/face-geometry.md: yaw > 0 nose to the image's right, pitch > 0 head down, roll > 0 counter-clockwise). */
export const POSE_FIELDS = ['yawDeg', 'pitchDeg', 'rollDeg', 'xCm', 'yCm', 'zCm'] as const;
/** `gaze`: per eye (the subject's right, then left) and combined, degrees (yaw > 0 to the image's right, pitch > 0 down). */
export const GAZE_FIELDS = ['rightYawDeg', 'rightPitchDeg', 'leftYawDeg', 'leftPitchDeg', 'yawDeg', 'pitchDeg'] as const;
/** `mouth`: inner-lip gap and mouth width in the head's frame (cm), and their ratio. */
export const MOUTH_FIELDS = ['lipGapCm', 'mouthWidthCm', 'openness'] as const;

/** MediaPipe's 52 blendshapes less `_neutral` (kBlendshapeNames order), 0-1. */
export const BLENDSHAPES = [
  'browDownLeft', 'browDownRight', 'browInnerUp', 'browOuterUpLeft', 'browOuterUpRight', 'cheekPuff', 'cheekSquintLeft',
  'cheekSquintRight', 'eyeBlinkLeft', 'eyeBlinkRight', 'eyeLookDownLeft', 'eyeLookDownRight', 'eyeLookInLeft', 'eyeLookInRight',
  'eyeLookOutLeft', 'eyeLookOutRight', 'eyeLookUpLeft', 'eyeLookUpRight', 'eyeSquintLeft', 'eyeSquintRight', 'eyeWideLeft',
  'eyeWideRight', 'jawForward', 'jawLeft', 'jawOpen', 'jawRight', 'mouthClose', 'mouthDimpleLeft', 'mouthDimpleRight',
  'mouthFrownLeft', 'mouthFrownRight', 'mouthFunnel', 'mouthLeft', 'mouthLowerDownLeft', 'mouthLowerDownRight', 'mouthPressLeft',
  'mouthPressRight', 'mouthPucker', 'mouthRight', 'mouthRollLower', 'mouthRollUpper', 'mouthShrugLower', 'mouthShrugUpper',
  'mouthSmileLeft', 'mouthSmileRight', 'mouthStretchLeft', 'mouthStretchRight', 'mouthUpperUpLeft', 'mouthUpperUpRight',
  'noseSneerLeft', 'noseSneerRight',
] as const;

/** The AUs estimated (Py-Feat's 20 AU columns, in its order). */
export const ESTIMATED_ACTION_UNITS = [1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 17, 20, 23, 24, 25, 26, 28, 43] as const;
/** `actionUnits`: the estimates' names, which say they are estimates (`AU06_estimate`), never a FACS coder's AU06. */
export const ACTION_UNIT_FIELDS = ESTIMATED_ACTION_UNITS.map((au) => `AU${String(au).padStart(2, '0')}_estimate`);

/** Decimals each measure is stored with: what it means, not what float arithmetic gives (an hour of two faces is 36,000 faces). */
export const GEOMETRY_DECIMALS = { presence: 3, angle: 1, cm: 1, mouthCm: 2, openness: 3, score: 2 } as const;

/** The compact measures of one face whose geometry was computed. */
export interface FaceGeometryMeasures {
  /** The mesh model's face-presence probability (0-1). */
  presence: number;
  /** POSE_FIELDS order. */
  pose: number[];
  /** GAZE_FIELDS order. */
  gaze: number[];
  /** BLENDSHAPES order. */
  blendshapes: number[];
  /** ACTION_UNIT_FIELDS order, 0-1: estimates from blendshapes (docs/face-geometry.md), not FACS coding. */
  actionUnits: number[];
  /** MOUTH_FIELDS order. */
  mouth: number[];
}

/** A face whose geometry could not be computed: the expression label stands, the reason is kept. */
export interface FaceGeometryFailure {
  status: 'failed';
  reason: string;
}

export type FaceGeometryRecord = FaceGeometryMeasures | FaceGeometryFailure;

export function geometryMeasured(record: FaceGeometryRecord | undefined): record is FaceGeometryMeasures {
  return record !== undefined && !('status' in record);
}

/**
 * `ok`: computed for every face (each face says whether it worked); `disabled`: turned off (`--no-geometry`);
 * `no-video`: a speech recording has no faces; `unavailable`: its models could not be had (`reason`);
 * `not-analysed`: a document from before version 5.
 */
export type GeometryStatus = 'ok' | 'disabled' | 'no-video' | 'unavailable' | 'not-analysed';

/** The sidecar holding every face's 478-point mesh, beside the document. */
export interface MeshSidecarLink {
  /** File name relative to the document's folder (`clip.mp4.emotion.mesh.parquet`). */
  path: string;
  format: 'parquet';
  sha256: string;
  /** One row per face with geometry. */
  rows: number;
  bytes: number;
}

export interface GeometryLayout {
  pose: string[];
  gaze: string[];
  blendshapes: string[];
  actionUnits: string[];
  mouth: string[];
}

export interface GeometrySection {
  status: GeometryStatus;
  /** Why there is no geometry, when status is not `ok`. */
  reason?: string;
  /** What each per-face array holds, in order (the constants above). */
  layout: GeometryLayout;
  /** Absent when no face has geometry. */
  mesh?: MeshSidecarLink;
}

export function geometryLayout(): GeometryLayout {
  return { pose: [...POSE_FIELDS], gaze: [...GAZE_FIELDS], blendshapes: [...BLENDSHAPES], actionUnits: [...ACTION_UNIT_FIELDS], mouth: [...MOUTH_FIELDS] };
}

/** The index of a named measure in its array (`poseIndex('rollDeg')`). */
export const poseIndex = (field: (typeof POSE_FIELDS)[number]): number => POSE_FIELDS.indexOf(field);
export const gazeIndex = (field: (typeof GAZE_FIELDS)[number]): number => GAZE_FIELDS.indexOf(field);
export const actionUnitIndex = (au: (typeof ESTIMATED_ACTION_UNITS)[number]): number => ESTIMATED_ACTION_UNITS.indexOf(au);
