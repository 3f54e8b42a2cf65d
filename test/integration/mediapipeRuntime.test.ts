// The published bundle's models, converted by our converter, against MediaPipe's own runtime
// (@mediapipe/tasks-vision, wasm, CPU, in headless Chromium) on the same frames: the golden portrait and
// frames of the Pexels clip, written as PNG so both sides read the same pixels. MediaPipe runs each frame in
// VIDEO mode twice: the second call's ROI is derived from the first call's landmarks, which we can
// reproduce exactly (roiFromMesh), so the mesh conversion is compared on the very same crop.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { FaceGeometryEstimator } from '../../src/core/geometry/faceGeometryEstimator';
import { BlendshapeModel } from '../../src/core/geometry/faceMeshModels';
import { roiFromMesh } from '../../src/core/geometry/faceRoi';
import { loadCanonicalFace } from '../../src/core/geometry/geometryModels';
import { estimateHeadPose } from '../../src/core/geometry/headPose';
import { FaceDetector } from '../../src/core/vision/faceDetector';
import type { RgbImage } from '../../src/core/vision/imageOps';
import { convertedModels, decodeRgb, golden, maxAbsDiff, PUBLISHED_TASK } from '../helpers/mediapipeGolden';
import type { MediaPipeFrameResult } from '../helpers/mediapipeRuntime';
import { noChromiumReason, noTasksVisionReason, runMediaPipe } from '../helpers/mediapipeRuntime';
import { makeTempDir, mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, noFfmpegReason, PEXELS_VIDEO, sharedModel } from '../helpers/visionFixtures';

const meanAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a, (v, i) => Math.abs(v - b[i]!)).reduce((s, d) => s + d, 0) / a.length;
const xy = (landmarks: ArrayLike<number>, w: number, h: number, pixels: boolean): number[] =>
  Array.from({ length: 478 }, (_, i) => (pixels ? [landmarks[3 * i]! / w, landmarks[3 * i + 1]! / h] : [landmarks[3 * i]!, landmarks[3 * i + 1]!])).flat();

describe('converted models against MediaPipe\'s own runtime (tasks-vision in Chromium)', skipUnless(noModelsReason, noMediaReason, noFfmpegReason, noChromiumReason, noTasksVisionReason), () => {
  const temp = makeTempDir('emotion-lens-mediapipe-');
  const frames: { name: string; image: RgbImage }[] = [];
  let mediapipe: MediaPipeFrameResult[];
  let estimator: FaceGeometryEstimator;
  let blendshapes: BlendshapeModel;
  let models: Awaited<ReturnType<typeof convertedModels>>;

  before(async () => {
    frames.push({ name: 'portrait.png', image: await decodeRgb(golden('portrait.jpg')) });
    for (const t of [1, 4, 11, 14]) frames.push({ name: `pexels_${t}s.png`, image: grabFrame(mediaFile(PEXELS_VIDEO), t) });
    for (const { name, image } of frames) {
      await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toFile(path.join(temp.dir, name));
    }
    mediapipe = await runMediaPipe(PUBLISHED_TASK(), temp.dir, frames.map((f) => f.name));
    models = await convertedModels(PUBLISHED_TASK(), temp.dir);
    estimator = await FaceGeometryEstimator.create(models);
    blendshapes = await BlendshapeModel.create(models.blendshapes);
  });
  after(async () => {
    await estimator?.close();
    await blendshapes?.close();
    temp.cleanup();
  });

  it('the mesh on MediaPipe\'s tracking ROI matches MediaPipe\'s landmarks', async () => {
    for (const [i, { name, image }] of frames.entries()) {
      const mp = mediapipe[i]!;
      const detectedPixels = Float32Array.from(mp.detected, (v, k) => v * (k % 3 === 1 ? image.height : image.width));
      const [ours] = await estimator.estimateRois(image, [roiFromMesh(detectedPixels)]);
      assert.ok(ours?.ok);
      const diff = maxAbsDiff(xy(ours.geometry.mesh, image.width, image.height, true), xy(mp.tracked, 0, 0, false));
      console.log(`${name}: mesh max |Δ| ${diff.toFixed(4)} (normalised)`);
      assert.ok(diff < 0.01, `${name}: landmarks differ by up to ${diff}`);
    }
  });

  it('the blendshape model and the head pose on MediaPipe\'s landmarks match MediaPipe\'s blendshapes and matrix', async () => {
    const canonical = loadCanonicalFace(models.mesh.paths[1]!);
    for (const [i, { name, image }] of frames.entries()) {
      const mp = mediapipe[i]!;
      const pixels = Float32Array.from(mp.tracked, (v, k) => v * (k % 3 === 1 ? image.height : image.width));
      const [scores] = await blendshapes.run([pixels]);
      const bsDiff = maxAbsDiff(scores!, mp.blendshapes);
      const pose = estimateHeadPose(mp.tracked, image.width, image.height, canonical).pose;
      const poseDiff = maxAbsDiff(pose.matrix, mp.matrix);
      console.log(`${name}: blendshapes max |Δ| ${bsDiff.toFixed(4)}, pose matrix max |Δ| ${poseDiff.toFixed(4)}`);
      assert.ok(bsDiff < 0.02, `${name}: blendshapes differ by up to ${bsDiff}`);
      assert.ok(poseDiff < 0.02, `${name}: pose matrix differs by up to ${poseDiff}`);
    }
  });

  it('from our own YuNet ROI, landmarks stay within MediaPipe\'s ±0.03; blendshapes within 0.03 on average and 0.2 at most (MediaPipe\'s own detection and tracking ROIs differ by up to 0.14)', async () => {
    const detector = await FaceDetector.create(sharedModel(DETECTOR_ID));
    try {
      for (const [i, { name, image }] of frames.entries()) {
        const [face] = await detector.detect(image);
        assert.ok(face, `${name}: YuNet found no face`);
        const [ours] = await estimator.estimate(image, [face]);
        assert.ok(ours?.ok);
        const mp = mediapipe[i]!;
        const lm = maxAbsDiff(xy(ours.geometry.mesh, image.width, image.height, true), xy(mp.tracked, 0, 0, false));
        const bs = maxAbsDiff(ours.geometry.blendshapes, mp.blendshapes);
        const bsMean = meanAbsDiff(ours.geometry.blendshapes, mp.blendshapes);
        // MediaPipe's own spread: its detection ROI against its tracking ROI on the same frame.
        const own = maxAbsDiff(mp.detectedBlendshapes, mp.blendshapes);
        console.log(`${name}: from YuNet, landmarks max |Δ| ${lm.toFixed(4)}, blendshapes max |Δ| ${bs.toFixed(3)} mean ${bsMean.toFixed(4)} (MediaPipe detect vs track: max ${own.toFixed(3)})`);
        assert.ok(lm < 0.03, `${name}: landmarks differ by up to ${lm}`);
        assert.ok(bsMean < 0.03 && bs < 0.2, `${name}: blendshapes differ by ${bsMean} on average, up to ${bs}`);
      }
    } finally {
      await detector.close();
    }
  });
});
