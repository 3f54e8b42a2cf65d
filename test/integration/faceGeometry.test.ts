// The geometry stage on real frames with the real models (built by bundleModels from the shared .task):
// in-plane rotation changes roll by the angle, a mirror flips yaw, the Pexels clip laughs (AU12, AU6) more
// than it cries, a batch of faces gives what single faces give, and a face-less ROI has a low presence.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FaceGeometryEstimator } from '../../src/core/geometry/faceGeometryEstimator';
import type { FaceGeometry } from '../../src/core/geometry/faceGeometryEstimator';
import { FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_MODEL_ID } from '../../src/core/geometry/geometryModels';
import { resolveModel } from '../../src/core/models/modelResolver';
import { FaceDetector } from '../../src/core/vision/faceDetector';
import type { RgbImage } from '../../src/core/vision/imageOps';
import { maxAbsDiff } from '../helpers/mediapipeGolden';
import { mediaFile, modelsDir, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, noFfmpegReason, PEXELS_VIDEO, sharedModel } from '../helpers/visionFixtures';

const OBAMA = 'video/Obama_clip1_face_speech.mp4';
const REAGAN = 'video/reagan_clip1_face_speech.mp4';

describe('face geometry on real frames', skipUnless(noModelsReason, noMediaReason, noFfmpegReason), () => {
  let detector: FaceDetector;
  let estimator: FaceGeometryEstimator;
  before(async () => {
    detector = await FaceDetector.create(sharedModel(DETECTOR_ID));
    // The shared models folder has the .task; the converted files come from bundled-models (npm test bundles them first).
    estimator = await FaceGeometryEstimator.create({ mesh: await resolveModel(FACE_MESH_MODEL_ID, { modelsDir }), blendshapes: await resolveModel(FACE_BLENDSHAPES_MODEL_ID, { modelsDir }) });
  });
  after(async () => {
    await detector?.close();
    await estimator?.close();
  });

  /** The geometry of the best face YuNet finds. */
  async function geometryOf(image: RgbImage): Promise<FaceGeometry> {
    const [face] = await detector.detect(image);
    assert.ok(face, 'YuNet found no face');
    const [result] = await estimator.estimate(image, [face]);
    assert.ok(result?.ok, result && !result.ok ? result.reason : 'no result');
    return result.geometry;
  }

  it('rotating a frame in its plane by ±15° and ±30° changes roll by that angle (within 3°), yaw and pitch little', async () => {
    for (const clip of [PEXELS_VIDEO, OBAMA]) {
      const original = grabFrame(mediaFile(clip), 3);
      const plain = await geometryOf(original);
      for (const degrees of [-30, -15, 15, 30]) {
        // ffmpeg's rotate turns clockwise for a positive angle; roll counts counter-clockwise.
        const frame = grabFrame(mediaFile(clip), 3, { graph: `rotate=${degrees}*PI/180:fillcolor=black`, width: original.width, height: original.height });
        const turned = await geometryOf(frame);
        const change = turned.pose.roll - plain.pose.roll;
        console.log(`${clip} rotated ${degrees}°: roll ${plain.pose.roll.toFixed(1)} -> ${turned.pose.roll.toFixed(1)}, yaw ${plain.pose.yaw.toFixed(1)} -> ${turned.pose.yaw.toFixed(1)}`);
        assert.ok(Math.abs(change + degrees) < 3, `${clip}: roll changed by ${change.toFixed(2)}° for a ${degrees}° clockwise turn`);
        assert.ok(Math.abs(turned.pose.yaw - plain.pose.yaw) < 5 && Math.abs(turned.pose.pitch - plain.pose.pitch) < 5, 'yaw and pitch stay');
      }
    }
  });

  it('a mirrored frame flips the sign of yaw (and of roll), pitch stays', async () => {
    for (const [clip, t] of [[PEXELS_VIDEO, 1], [REAGAN, 8]] as const) {
      const original = grabFrame(mediaFile(clip), t);
      const plain = await geometryOf(original);
      const mirrored = await geometryOf(grabFrame(mediaFile(clip), t, { graph: 'hflip', width: original.width, height: original.height }));
      console.log(`${clip} at ${t} s: yaw ${plain.pose.yaw.toFixed(1)}, mirrored ${mirrored.pose.yaw.toFixed(1)}; gaze yaw ${plain.gaze.combined.yaw.toFixed(1)}, mirrored ${mirrored.gaze.combined.yaw.toFixed(1)}`);
      assert.ok(Math.abs(plain.pose.yaw) > 5, `the frame should turn its head (yaw ${plain.pose.yaw})`);
      assert.equal(Math.sign(mirrored.pose.yaw), -Math.sign(plain.pose.yaw));
      assert.ok(Math.abs(mirrored.pose.yaw + plain.pose.yaw) < 3, 'mirrored yaw has the same size');
      assert.ok(Math.abs(mirrored.pose.roll + plain.pose.roll) < 3, 'mirrored roll has the same size');
      assert.ok(Math.abs(mirrored.pose.pitch - plain.pose.pitch) < 3, 'pitch does not change');
      // Gaze rests on iris pixels (an eye is some 20 px wide in the 256-px Pexels frame, 1 px is about 7°): its sign only.
      if (Math.abs(plain.gaze.combined.yaw) > 5) assert.equal(Math.sign(mirrored.gaze.combined.yaw), -Math.sign(plain.gaze.combined.yaw), 'gaze yaw flips too');
    }
  });

  it('on the Pexels clip, AU12 and AU6 are higher in the laughing part (from 10 s) than in the crying part (0-6 s)', async () => {
    const mean = async (from: number, to: number) => {
      const values = { au12: 0, au6: 0, n: 0 };
      for (let t = from; t < to; t += 0.5) {
        const g = await geometryOf(grabFrame(mediaFile(PEXELS_VIDEO), t));
        values.au12 += g.actionUnits[12];
        values.au6 += g.actionUnits[6];
        values.n++;
      }
      return { au12: values.au12 / values.n, au6: values.au6 / values.n };
    };
    const crying = await mean(0, 6);
    const laughing = await mean(10, 19.5);
    console.log(`crying AU12 ${crying.au12.toFixed(3)} AU6 ${crying.au6.toFixed(3)}; laughing AU12 ${laughing.au12.toFixed(3)} AU6 ${laughing.au6.toFixed(3)}`);
    assert.ok(laughing.au12 > crying.au12, 'AU12');
    assert.ok(laughing.au6 > crying.au6, 'AU6');
  });

  it('a batch of faces gives what each face gives alone; the pieces have their documented sizes', async () => {
    const a = grabFrame(mediaFile(PEXELS_VIDEO), 12);
    const [face] = await detector.detect(a);
    assert.ok(face);
    const shifted = { box: face.box, landmarks: face.landmarks.map((v, i) => v + (i % 2 === 0 ? 6 : -4)) };
    const batch = await estimator.estimate(a, [face, shifted]);
    const alone = [...(await estimator.estimate(a, [face])), ...(await estimator.estimate(a, [shifted]))];
    for (let i = 0; i < 2; i++) {
      const [b, s] = [batch[i]!, alone[i]!];
      assert.ok(b.ok && s.ok);
      assert.ok(maxAbsDiff(b.geometry.mesh, s.geometry.mesh) < 1e-2, 'mesh');
      assert.ok(maxAbsDiff(b.geometry.blendshapes, s.geometry.blendshapes) < 1e-4, 'blendshapes');
      assert.equal(b.geometry.mesh.length, 478 * 3);
      assert.equal(b.geometry.landmarks68.length, 136);
      assert.equal(b.geometry.blendshapes.length, 52);
      assert.equal(Object.keys(b.geometry.actionUnits).length, 20);
      assert.ok(Object.values(b.geometry.actionUnits).every((v) => v >= 0 && v <= 1));
    }
  });

  it('gives a high presence for a face and a low one for a ROI without a face', async () => {
    const frame = grabFrame(mediaFile(PEXELS_VIDEO), 12);
    const face = await geometryOf(frame);
    const [empty] = await estimator.estimateRois(frame, [{ cx: 100, cy: 100, width: 150, height: 150, rotation: 0 }]);
    assert.ok(face.presence > 0.9, `face presence ${face.presence}`);
    assert.ok(empty?.ok && empty.geometry.presence < 0.5, `empty presence ${empty?.ok ? empty.geometry.presence : 'failed'}`);
  });
});
