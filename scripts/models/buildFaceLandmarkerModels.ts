/**
 * Builds the geometry stage's models from MediaPipe's Face Landmarker bundle (`face_landmarker.task`,
 * Apache-2.0): FaceMesh V2 and the blendshape model converted to ONNX (tfliteToOnnx.ts) and the canonical
 * face for head pose as JSON (faceGeometryMetadata.ts), and prints each file's name, size and sha256:
 *
 *   node --import tsx scripts/models/buildFaceLandmarkerModels.ts --out DIR [--task FILE] [--weights float16]
 *
 * The bundle has no download we can reach, so it is found in a models folder like other local files
 * (`<models>/mediapipe_face_landmarker/face_landmarker.task`) and checked by sha256 first. Same bundle,
 * same bytes out, every run.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CANONICAL_FACE_FILE, FACE_BLENDSHAPES_FILE, FACE_MESH_FILE } from '../../src/core/geometry/geometryModels';
import { cachedSha256 } from '../../src/core/models/download';
import { parseGeometryMetadata } from './faceGeometryMetadata';
import { bundleMember, readTaskBundle } from './taskBundle';
import { readTflite } from './tfliteModel';
import { tfliteToOnnx } from './tfliteToOnnx';

/** The published bundle, as MODEL.md describes it (float16, version 1). */
export const FACE_LANDMARKER_TASK = { folder: 'mediapipe_face_landmarker', name: 'face_landmarker.task', sha256: '64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff' };
const GEOMETRY_MEMBER = 'geometry_pipeline_metadata_landmarks.binarypb';

export interface ConvertedLandmarker {
  mesh: Uint8Array;
  blendshapes: Uint8Array;
  /** canonical_face_v2.json's text. */
  canonicalFace: string;
}

/** Converts a .task bundle (the published one, or MediaPipe's test bundle) in memory. */
export async function convertFaceLandmarkerTask(taskFile: string, options: { weights?: 'float32' | 'float16'; label?: string } = {}): Promise<ConvertedLandmarker> {
  const members = await readTaskBundle(taskFile);
  const label = options.label ?? path.basename(taskFile);
  const weights = options.weights ?? 'float32';
  const meshGraph = readTflite(bundleMember(members, 'face_landmarks_detector.tflite', taskFile));
  const mesh = tfliteToOnnx(meshGraph, {
    graphName: 'mediapipe_face_mesh_v2',
    inputNames: ['image'],
    // The test bundle's model has no tongue output: its extra name goes unused.
    outputNames: ['landmarks', 'presence', 'tongue_out'],
    docString: `MediaPipe FaceMesh V2 (${label} face_landmarks_detector.tflite, Apache-2.0), converted by emotion-lens scripts/models/tfliteToOnnx.ts. ` +
      'Input image [N,3,S,S] RGB / 255 (S from the file: 256 published, 192 test bundle), the rotated ROI stretched to SxS. ' +
      'Outputs landmarks [N,1434] (478 x (x, y, z) in input pixels), presence [N,1] (face-presence logit), tongue_out [N,1].',
    weights,
  });
  const blendshapes = tfliteToOnnx(readTflite(bundleMember(members, 'face_blendshapes.tflite', taskFile)), {
    graphName: 'mediapipe_face_blendshapes_v2',
    inputNames: ['points'],
    outputNames: ['blendshapes'],
    docString: `MediaPipe Blendshape V2 (${label} face_blendshapes.tflite, Apache-2.0), converted by emotion-lens scripts/models/tfliteToOnnx.ts. ` +
      'Input points [N,146,2]: the 146-landmark subset in image pixels (x * width, y * height). Output blendshapes [N,52] in [0, 1].',
    weights,
  });
  const geometry = bundleMember(members, GEOMETRY_MEMBER, taskFile);
  const geometrySha = createHash('sha256').update(geometry).digest('hex');
  const canonical = parseGeometryMetadata(geometry, `${label} ${GEOMETRY_MEMBER} (sha256 ${geometrySha})`);
  return { mesh, blendshapes, canonicalFace: `${JSON.stringify(canonical)}\n` };
}

/** The published .task in the first models folder that has it, sha256-checked. */
export async function findFaceLandmarkerTask(sources: readonly string[]): Promise<string> {
  const { folder, name, sha256 } = FACE_LANDMARKER_TASK;
  const found = sources.flatMap((root) => [path.join(root, folder, name), path.join(root, name)]).find((p) => existsSync(p));
  if (!found) throw new Error(`${name} not found in ${sources.join(', ') || '(no models folder)'}; put it in <models>/${folder}/ and set EMOTION_LENS_MODELS`);
  const actual = await cachedSha256(found);
  if (actual !== sha256) throw new Error(`${found} has sha256 ${actual}, expected ${sha256} (the published float16 bundle, version 1)`);
  return found;
}

/** Builds DIR/face_mesh_v2.onnx, DIR/canonical_face_v2.json and DIR/face_blendshapes_v2.onnx. */
export async function buildFaceLandmarkerModels(outDir: string, sources: readonly string[], options: { weights?: 'float32' | 'float16' } = {}): Promise<{ file: string; bytes: number; sha256: string }[]> {
  const task = await findFaceLandmarkerTask(sources);
  const converted = await convertFaceLandmarkerTask(task, { ...options, label: 'face_landmarker.task float16 v1' });
  await mkdir(outDir, { recursive: true });
  const files: [string, Uint8Array | string][] = [[FACE_MESH_FILE, converted.mesh], [CANONICAL_FACE_FILE, converted.canonicalFace], [FACE_BLENDSHAPES_FILE, converted.blendshapes]];
  const built = [];
  for (const [name, content] of files) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const file = path.join(outDir, name);
    await writeFile(file, bytes);
    built.push({ file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return built;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, task: { type: 'string' }, weights: { type: 'string' } } });
  if (!values.out) throw new Error('usage: node --import tsx scripts/models/buildFaceLandmarkerModels.ts --out DIR [--task FILE] [--weights float16]');
  const sources = values.task ? [path.dirname(path.resolve(values.task))] : [process.env.EMOTION_LENS_MODELS, path.resolve(__dirname, '..', '..', '..', 'shared', 'models')].filter((d): d is string => Boolean(d));
  const weights = values.weights === 'float16' ? 'float16' : 'float32';
  for (const built of await buildFaceLandmarkerModels(path.resolve(values.out), sources, { weights })) {
    console.log(`${path.basename(built.file)}  ${built.bytes} bytes  sha256 ${built.sha256}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
