// MediaPipe's golden files for the Face Landmarker (../shared/models/mediapipe_face_landmarker/golden, MODEL.md
// says which test of MediaPipe each comes from and its tolerance), the portrait decoded, and geometry models
// built by our converter from a .task bundle into a temporary folder.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { convertFaceLandmarkerTask } from '../../scripts/models/buildFaceLandmarkerModels';
import type { FaceGeometryModels } from '../../src/core/geometry/faceGeometryEstimator';
import type { FaceRoi } from '../../src/core/geometry/faceRoi';
import { CANONICAL_FACE_FILE, FACE_BLENDSHAPES_FILE, FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_FILE, FACE_MESH_MODEL_ID } from '../../src/core/geometry/geometryModels';
import { loadManifest } from '../../src/core/models/modelManifest';
import type { RgbImage } from '../../src/core/vision/imageOps';
import { modelsDir } from './testEnvironment';

export const LANDMARKER_DIR = modelsDir ? path.join(modelsDir, 'mediapipe_face_landmarker') : '';
export const golden = (name: string): string => path.join(LANDMARKER_DIR, 'golden', name);
export const PUBLISHED_TASK = (): string => path.join(LANDMARKER_DIR, 'face_landmarker.task');
export const TEST_TASK = (): string => path.join(LANDMARKER_DIR, 'reference', 'face_landmarker_v2_with_blendshapes.task');

/** The ROI MediaPipe's face_landmarks_detector_graph_test feeds the landmark model for portrait.jpg (820 x 1024). */
export const MEDIAPIPE_PORTRAIT_ROI: FaceRoi = {
  cx: 0.48906386 * 820, cy: 0.22731927 * 1024, width: 0.42905223 * 820, height: 0.34357703 * 1024, rotation: 0.008304443,
};

/** Every `name: number` field of a pbtxt, in order (line-anchored, so `visibility:` never passes for `y:`). */
export function pbtxtNumbers(text: string, name: string): number[] {
  return [...text.matchAll(new RegExp(`^\\s*${name}: ([-+\\d.eE]+)\\s*$`, 'gm'))].map((m) => Number(m[1]));
}

/** A NormalizedLandmarkList as x, y, z triples (z 0 when absent). */
export function pbtxtLandmarks(text: string): number[] {
  const blocks = text.split(/^landmark \{/m).slice(1);
  return blocks.flatMap((b) => {
    const [x = NaN] = pbtxtNumbers(b, 'x'), [y = NaN] = pbtxtNumbers(b, 'y'), [z = 0] = pbtxtNumbers(b, 'z');
    return [x, y, z];
  });
}

export async function decodeRgb(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Converts `taskFile` with our converter into `dir` and describes the files as resolved models. */
export async function convertedModels(taskFile: string, dir: string, weights: 'float32' | 'float16' = 'float32'): Promise<FaceGeometryModels> {
  const converted = await convertFaceLandmarkerTask(taskFile, { weights });
  writeFileSync(path.join(dir, FACE_MESH_FILE), converted.mesh);
  writeFileSync(path.join(dir, CANONICAL_FACE_FILE), converted.canonicalFace);
  writeFileSync(path.join(dir, FACE_BLENDSHAPES_FILE), converted.blendshapes);
  const entry = (id: string) => loadManifest().models.find((m) => m.id === id)!;
  return {
    mesh: { entry: entry(FACE_MESH_MODEL_ID), paths: [path.join(dir, FACE_MESH_FILE), path.join(dir, CANONICAL_FACE_FILE)], sha256: '' },
    blendshapes: { entry: entry(FACE_BLENDSHAPES_MODEL_ID), paths: [path.join(dir, FACE_BLENDSHAPES_FILE)], sha256: '' },
  };
}

/** Largest absolute difference of two equal-length lists. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
