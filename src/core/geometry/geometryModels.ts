/**
 * The MediaPipe Face Landmarker v2 models as the geometry stage uses them (converted to ONNX by
 * scripts/models/buildFaceLandmarkerModels.ts): their manifest ids and files, the blendshape model's
 * landmark subset and output names, and the canonical face the head pose is fitted to.
 * Sources: google-ai-edge/mediapipe face_blendshapes_graph.cc (kLandmarksSubsetIdxs, kBlendshapeNames),
 * ../shared/models/mediapipe_face_landmarker/MODEL.md.
 */
import { readFileSync } from 'node:fs';
import { BLENDSHAPES } from '../../shared/faceGeometry';
import { EmotionLensError } from '../errors';

export const FACE_MESH_MODEL_ID = 'mediapipe_face_mesh_v2';
export const FACE_BLENDSHAPES_MODEL_ID = 'mediapipe_face_blendshapes_v2';
/** The geometry stage's models, in the order FaceGeometryEstimator.create takes them. */
export const GEOMETRY_MODEL_IDS = [FACE_MESH_MODEL_ID, FACE_BLENDSHAPES_MODEL_ID] as const;

export const FACE_MESH_FILE = 'face_mesh_v2.onnx';
export const CANONICAL_FACE_FILE = 'canonical_face_v2.json';
export const FACE_BLENDSHAPES_FILE = 'face_blendshapes_v2.onnx';

/** 468 face mesh points + 2 x 5 iris points. */
export const MESH_POINTS = 478;
export const FACE_MESH_POINTS = 468;

/** The canonical face (canonical_face_v2.json), from the bundle's geometry_pipeline_metadata_landmarks.binarypb. */
export interface CanonicalFace {
  /** Where it was read from (bundle and member, with sha256). */
  source: string;
  vertexCount: number;
  /** x, y, z per vertex in centimetres: +x image right, +y up, +z towards the viewer. */
  vertices: number[];
  /** Procrustes weight per vertex (0 for all but the 33 basis landmarks). */
  procrustesWeights: number[];
  /** Triangle vertex indices, 3 per triangle. */
  triangles: number[];
}

export function loadCanonicalFace(file: string): CanonicalFace {
  try {
    const face = JSON.parse(readFileSync(file, 'utf8')) as CanonicalFace;
    if (face.vertices.length !== face.vertexCount * 3 || face.procrustesWeights.length !== face.vertexCount) throw new Error('sizes do not match');
    return face;
  } catch (error) {
    throw new EmotionLensError('model-corrupt', `is not a canonical face file (${(error as Error).message})`, file, 'Rebuild it with scripts/models/bundleModels.ts.');
  }
}

/** The 146 mesh landmarks the blendshape model reads, in its input order (kLandmarksSubsetIdxs). */
export const BLENDSHAPE_LANDMARKS: readonly number[] = [
  0, 1, 4, 5, 6, 7, 8, 10, 13, 14, 17, 21, 33, 37, 39, 40, 46, 52, 53, 54, 55, 58, 61, 63, 65, 66, 67, 70, 78, 80, 81, 82, 84, 87, 88, 91,
  93, 95, 103, 105, 107, 109, 127, 132, 133, 136, 144, 145, 146, 148, 149, 150, 152, 153, 154, 155, 157, 158, 159, 160, 161, 162, 163,
  168, 172, 173, 176, 178, 181, 185, 191, 195, 197, 234, 246, 249, 251, 263, 267, 269, 270, 276, 282, 283, 284, 285, 288, 291, 293, 295,
  296, 297, 300, 308, 310, 311, 312, 314, 317, 318, 321, 323, 324, 332, 334, 336, 338, 356, 361, 362, 365, 373, 374, 375, 377, 378, 379,
  380, 381, 382, 384, 385, 386, 387, 388, 389, 390, 397, 398, 400, 402, 405, 409, 415, 454, 466, 468, 469, 470, 471, 472, 473, 474, 475,
  476, 477,
];

/** The blendshape model's 52 outputs in order (kBlendshapeNames); index 0 `_neutral` is to be ignored (documents store the other 51). */
export const BLENDSHAPE_NAMES = ['_neutral', ...BLENDSHAPES] as const;
export type BlendshapeName = (typeof BLENDSHAPE_NAMES)[number];
