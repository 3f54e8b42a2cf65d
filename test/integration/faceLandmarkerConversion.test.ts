// Our TFLite-to-ONNX converter against MediaPipe's own expectations: on MediaPipe's test bundle (the one its
// golden files were made with) the whole pipeline meets MediaPipe's test tolerances on golden/portrait.jpg;
// the blendshape model agrees with an independent conversion (tf2onnx) and MediaPipe's blendshape golden;
// the geometry stage alone meets its golden to 1e-4; and the published bundle builds to the manifest's bytes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { convertFaceLandmarkerTask } from '../../scripts/models/buildFaceLandmarkerModels';
import type { FaceGeometry, FaceGeometryModels } from '../../src/core/geometry/faceGeometryEstimator';
import { FaceGeometryEstimator } from '../../src/core/geometry/faceGeometryEstimator';
import { BLENDSHAPE_LANDMARKS, CANONICAL_FACE_FILE, FACE_BLENDSHAPES_FILE, FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_FILE, FACE_MESH_MODEL_ID, loadCanonicalFace } from '../../src/core/geometry/geometryModels';
import { estimateHeadPose } from '../../src/core/geometry/headPose';
import { loadManifest } from '../../src/core/models/modelManifest';
import { convertedModels, decodeRgb, golden, LANDMARKER_DIR, MEDIAPIPE_PORTRAIT_ROI, maxAbsDiff, pbtxtLandmarks, pbtxtNumbers, PUBLISHED_TASK, TEST_TASK } from '../helpers/mediapipeGolden';
import { makeTempDir, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const text = (name: string): string => readFileSync(golden(name), 'utf8');
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The 146 points (x · width, y · height) the blendshape model reads, from normalised landmarks. */
function blendshapeInput(landmarks: readonly number[], width: number, height: number): Float32Array {
  return Float32Array.from(BLENDSHAPE_LANDMARKS.flatMap((id) => [landmarks[3 * id]! * width, landmarks[3 * id + 1]! * height]));
}

async function runBlendshapes(file: string, input: string, points: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file);
  const results = await session.run({ [input]: new ort.Tensor('float32', points, [1, 146, 2]) });
  await session.release();
  return Object.values(results)[0]!.data as Float32Array;
}

describe('Face Landmarker conversion', skipUnless(noModelsReason), () => {
  const temp = makeTempDir('emotion-lens-landmarker-');
  let models: FaceGeometryModels;
  before(async () => {
    models = await convertedModels(PUBLISHED_TASK(), temp.dir);
  });
  after(() => temp.cleanup());

  it('builds the published bundle to the bytes and sha256 the manifest records, every run', async () => {
    const [a, b] = [await convertFaceLandmarkerTask(PUBLISHED_TASK(), { label: 'face_landmarker.task float16 v1' }), await convertFaceLandmarkerTask(PUBLISHED_TASK(), { label: 'face_landmarker.task float16 v1' })];
    const files = (c: typeof a): Record<string, Uint8Array | string> => ({ [FACE_MESH_FILE]: c.mesh, [CANONICAL_FACE_FILE]: c.canonicalFace, [FACE_BLENDSHAPES_FILE]: c.blendshapes });
    const manifest = loadManifest();
    const expected = [FACE_MESH_MODEL_ID, FACE_BLENDSHAPES_MODEL_ID].flatMap((id) => manifest.models.find((m) => m.id === id)!.files);
    for (const file of expected) {
      const built = files(a)[file.name]!;
      assert.equal(sha256(built), sha256(files(b)[file.name]!), `${file.name} differs between two runs`);
      assert.equal(sha256(built), file.sha256, `${file.name}: the manifest's sha256`);
      assert.equal(typeof built === 'string' ? Buffer.byteLength(built) : built.length, file.bytes);
    }
  });

  it('reads the canonical face as MediaPipe\'s text form of the same metadata has it', () => {
    const c = loadCanonicalFace(models.mesh.paths[1]!);
    const pbtxt = readFileSync(path.join(LANDMARKER_DIR, 'geometry_pipeline_metadata_landmarks.pbtxt'), 'utf8');
    const vertexBuffer = pbtxtNumbers(pbtxt, 'vertex_buffer');
    assert.equal(c.vertexCount, 468);
    assert.equal(vertexBuffer.length, 468 * 5);
    for (let v = 0; v < 468; v++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(c.vertices[3 * v + k]! - vertexBuffer[5 * v + k]!) < 1e-6, `vertex ${v}`);
    const basis = [...pbtxt.matchAll(/landmark_id: (\d+) weight: ([\d.e-]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    assert.equal(basis.length, 33);
    for (const [id, weight] of basis) assert.ok(Math.abs(c.procrustesWeights[id]! - weight) < 1e-7, `weight of ${id}`);
    assert.equal(c.procrustesWeights.filter((w) => w > 0).length, 33);
    assert.equal(c.triangles.length, pbtxtNumbers(pbtxt, 'index_buffer').length);
  });

  it('the blendshape model agrees with the reference conversion and MediaPipe\'s blendshape golden', async () => {
    const landmarks = pbtxtLandmarks(text('face_blendshapes_in_landmarks.prototxt'));
    const points = blendshapeInput(landmarks, 820, 1024);
    const ours = await runBlendshapes(models.blendshapes.paths[0]!, 'points', points);
    const reference = await runBlendshapes(path.join(LANDMARKER_DIR, 'reference', 'face_blendshapes.onnx'), 'serving_default_input_points:0', points);
    assert.equal(ours.length, 52);
    assert.ok(maxAbsDiff(ours, reference) < 1e-5, `against tf2onnx's conversion: ${maxAbsDiff(ours, reference)}`);
    const expected = pbtxtNumbers(text('face_blendshapes_out.prototxt'), 'score');
    assert.ok(maxAbsDiff(ours, expected) < 1e-4, `against face_blendshapes_out: ${maxAbsDiff(ours, expected)}`);
  });

  it('the geometry stage alone reproduces face_geometry_expected_out within MediaPipe\'s 1e-4', () => {
    const canonical = loadCanonicalFace(models.mesh.paths[1]!);
    const landmarks = pbtxtLandmarks(text('face_blendshapes_in_landmarks.prototxt'));
    const { pose, headFrame } = estimateHeadPose(landmarks, 820, 1024, canonical);
    const expected = text('face_geometry_expected_out.pbtxt');
    assert.ok(maxAbsDiff(pose.matrix, pbtxtNumbers(expected, 'packed_data')) < 1e-4);
    const vertices = pbtxtNumbers(expected, 'vertex_buffer');
    let worst = 0;
    for (let v = 0; v < 468; v++) for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(headFrame[3 * v + k]! - vertices[5 * v + k]!));
    assert.ok(worst < 1e-4, `metric vertices differ by ${worst} cm`);
  });

  describe('on golden/portrait.jpg', () => {
    let test: FaceGeometry;
    let published: FaceGeometry;
    before(async () => {
      const image = await decodeRgb(golden('portrait.jpg'));
      const run = async (task: string, dir: string) => {
        const estimator = await FaceGeometryEstimator.create(await convertedModels(task, dir));
        const [result] = await estimator.estimateRois(image, [MEDIAPIPE_PORTRAIT_ROI]);
        await estimator.close();
        assert.ok(result?.ok, result && !result.ok ? result.reason : 'no result');
        return result.geometry;
      };
      const testDir = makeTempDir('emotion-lens-test-bundle-');
      try {
        test = await run(TEST_TASK(), testDir.dir);
      } finally {
        testDir.cleanup();
      }
      const estimator = await FaceGeometryEstimator.create(models);
      const [result] = await estimator.estimateRois(image, [MEDIAPIPE_PORTRAIT_ROI]);
      await estimator.close();
      assert.ok(result?.ok);
      published = result.geometry;
    });

    const expectedLandmarks = () => pbtxtLandmarks(text('portrait_expected_face_landmarks.pbtxt'));
    const normalisedXy = (g: FaceGeometry) => Array.from({ length: 478 }, (_, i) => [g.mesh[3 * i]! / 820, g.mesh[3 * i + 1]! / 1024]).flat();
    const goldenXy = () => Array.from({ length: 478 }, (_, i) => [expectedLandmarks()[3 * i]!, expectedLandmarks()[3 * i + 1]!]).flat();

    it('test bundle: landmarks within ±0.03, blendshapes within ±0.12, pose matrix within ±0.02 (face_landmarker_test.cc)', () => {
      assert.ok(test.presence > 0.9, `presence ${test.presence}`);
      assert.ok(maxAbsDiff(normalisedXy(test), goldenXy()) < 0.03, `landmarks ${maxAbsDiff(normalisedXy(test), goldenXy())}`);
      const blendshapes = pbtxtNumbers(text('portrait_expected_blendshapes.pbtxt'), 'score');
      assert.ok(maxAbsDiff(test.blendshapes, blendshapes) < 0.12, `blendshapes ${maxAbsDiff(test.blendshapes, blendshapes)}`);
      const matrix = pbtxtNumbers(text('portrait_expected_face_geometry.pbtxt'), 'packed_data');
      assert.ok(maxAbsDiff(test.pose.matrix, matrix) < 0.02, `pose matrix ${maxAbsDiff(test.pose.matrix, matrix)}`);
    });

    it('published bundle: landmarks within ±0.03 and blendshapes within ±0.12 of the same goldens (MODEL.md: its pose differs)', () => {
      assert.ok(published.presence > 0.9);
      assert.ok(maxAbsDiff(normalisedXy(published), goldenXy()) < 0.03);
      assert.ok(maxAbsDiff(published.blendshapes, pbtxtNumbers(text('portrait_expected_blendshapes.pbtxt'), 'score')) < 0.12);
      const rotation = pbtxtNumbers(text('portrait_expected_face_geometry.pbtxt'), 'packed_data').filter((_, i) => i < 11 && i % 4 !== 3);
      assert.ok(maxAbsDiff(published.pose.matrix.filter((_, i) => i < 11 && i % 4 !== 3), rotation) < 0.05, 'rotation part of the pose');
    });
  });
});
