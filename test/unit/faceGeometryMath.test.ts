// The pure parts of the geometry stage: Procrustes and SVD, head pose from a posed and projected canonical
// face, the Euler convention (rotation and mirror), gaze from iris offsets, and the ROI mappings.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseGeometryMetadata } from '../../scripts/models/faceGeometryMetadata';
import { readTaskBundle } from '../../scripts/models/taskBundle';
import { permute } from '../../scripts/models/tfliteToOnnx';
import { float16ToNumber } from '../../scripts/models/tfliteModel';
import { projectLandmarks, roiAffine, roiFromYunet } from '../../src/core/geometry/faceRoi';
import { jawDrop } from '../../src/core/geometry/mouth';
import { EYEBALL_RADIUS_CM, estimateGaze, STRAIGHT_OFFSET } from '../../src/core/geometry/gaze';
import type { CanonicalFace } from '../../src/core/geometry/geometryModels';
import { CAMERA_NEAR, CAMERA_VERTICAL_FOV_DEG, estimateHeadPose, eulerFromRotation, rotationFromEuler } from '../../src/core/geometry/headPose';
import type { Matrix3 } from '../../src/core/geometry/procrustes';
import { det3, multiply3, solveWeightedProcrustes, svd3, transpose3 } from '../../src/core/geometry/procrustes';
import { modelsDir, noModelsReason, skipUnless } from '../helpers/testEnvironment';

const near = (a: number, b: number, tolerance: number, what: string) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

/** A small deterministic pseudo-random sequence (no Math.random in tests). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) % 4294967296) / 4294967296);
}

describe('Procrustes and SVD', () => {
  it('svd3 reconstructs the matrix with orthonormal factors and sorted singular values', () => {
    const m: Matrix3 = [2, -1, 0.5, 0.3, 4, 1, -2, 0.7, 1.5];
    const { u, s, v } = svd3(m);
    const us = u.map((x, i) => x * s[i % 3]!) as Matrix3;
    const back = multiply3(us, transpose3(v));
    back.forEach((x, i) => near(x, m[i]!, 1e-9, `element ${i}`));
    assert.ok(s[0] >= s[1] && s[1] >= s[2]);
    near(Math.abs(det3(u)), 1, 1e-9, 'det U');
  });

  it('recovers a rotation, scale and translation from weighted points, never a reflection', () => {
    const random = lcg(7);
    const source = Array.from({ length: 30 }, () => random() * 10 - 5);
    const weights = Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 0 : 0.1 + random()));
    const r = rotationFromEuler(25, -10, 40);
    const target = Array.from({ length: 30 }, (_, k) => {
      const i = Math.floor(k / 3), row = k % 3;
      return 1.7 * (r[3 * row]! * source[3 * i]! + r[3 * row + 1]! * source[3 * i + 1]! + r[3 * row + 2]! * source[3 * i + 2]!) + [3, -2, 40][row]!;
    });
    const fit = solveWeightedProcrustes(source, target, weights);
    near(fit.scale, 1.7, 1e-9, 'scale');
    fit.rotation.forEach((x, i) => near(x, r[i]!, 1e-9, `rotation ${i}`));
    fit.translation.forEach((x, i) => near(x, [3, -2, 40][i]!, 1e-9, `translation ${i}`));
    const mirrored = target.map((v, k) => (k % 3 === 0 ? -v : v));
    assert.ok(det3(solveWeightedProcrustes(source, mirrored, weights).rotation) > 0, 'a mirror image still gives a rotation');
  });
});

describe('Euler angles', () => {
  it('round-trips, rotating in the image plane changes roll only, and a mirror negates yaw and roll', () => {
    const r = rotationFromEuler(20, -12, 8);
    const e = eulerFromRotation(r);
    near(e.yaw, 20, 1e-9, 'yaw'); near(e.pitch, -12, 1e-9, 'pitch'); near(e.roll, 8, 1e-9, 'roll');
    const turned = eulerFromRotation(multiply3(rotationFromEuler(0, 0, 30), r));
    near(turned.roll, 38, 1e-9, 'roll after an in-plane turn'); near(turned.yaw, 20, 1e-9, 'yaw'); near(turned.pitch, -12, 1e-9, 'pitch');
    const m: Matrix3 = [-1, 0, 0, 0, 1, 0, 0, 0, 1];
    const mirrored = eulerFromRotation(multiply3(multiply3(m, r), m));
    near(mirrored.yaw, -20, 1e-9, 'mirrored yaw'); near(mirrored.roll, -8, 1e-9, 'mirrored roll'); near(mirrored.pitch, -12, 1e-9, 'mirrored pitch');
  });

  it('positive yaw turns the nose to the image right, positive pitch tips it down', () => {
    const nose = (r: Matrix3) => [r[2]!, r[5]!, r[8]!];
    assert.ok(nose(rotationFromEuler(20, 0, 0))[0]! > 0);
    assert.ok(nose(rotationFromEuler(0, 20, 0))[1]! < 0);
  });
});

describe('head pose from the canonical face', skipUnless(noModelsReason), () => {
  /** Poses the canonical face in front of MediaPipe's camera and projects it as the mesh model reports landmarks. */
  function posedLandmarks(canonical: CanonicalFace, yaw: number, pitch: number, roll: number, width: number, height: number): number[] {
    const r = rotationFromEuler(yaw, pitch, roll);
    const t = [2, -1, -55];
    const camera = Array.from({ length: canonical.vertexCount }, (_, i) =>
      [0, 1, 2].map((row) => r[3 * row]! * canonical.vertices[3 * i]! + r[3 * row + 1]! * canonical.vertices[3 * i + 1]! + r[3 * row + 2]! * canonical.vertices[3 * i + 2]! + t[row]!));
    const h = 2 * CAMERA_NEAR * Math.tan((CAMERA_VERTICAL_FOV_DEG * Math.PI) / 360), w = (h * width) / height;
    const meanDepth = camera.reduce((s, p) => s + p[2]!, 0) / camera.length;
    // x, y perspective; z relative depth on the x scale (weak perspective at the face's mean depth), negative towards the camera.
    return camera.flatMap(([x, y, z]) => [(CAMERA_NEAR * x!) / -z! / w + 0.5, 0.5 - (CAMERA_NEAR * y!) / -z! / h, (-(z! - meanDepth) * CAMERA_NEAR) / -meanDepth / w]);
  }

  it('recovers yaw, pitch and roll of a rotated canonical face within 1°', async () => {
    const members = await readTaskBundle(path.join(modelsDir!, 'mediapipe_face_landmarker', 'face_landmarker.task'));
    const canonical = parseGeometryMetadata(members.get('geometry_pipeline_metadata_landmarks.binarypb')!, 'test');
    for (const [yaw, pitch, roll] of [[0, 0, 0], [25, 0, 0], [0, -15, 0], [0, 0, 30], [-20, 10, -12]] as const) {
      const pose = estimateHeadPose(posedLandmarks(canonical, yaw, pitch, roll, 1280, 720), 1280, 720, canonical).pose;
      near(pose.yaw, yaw, 1, 'yaw'); near(pose.pitch, pitch, 1, 'pitch'); near(pose.roll, roll, 1, 'roll');
      assert.equal(pose.matrix.length, 16);
    }
  });

  it('measures the jaw drop: a turn of the head changes it less than the chin moving 1 cm down does', async () => {
    const members = await readTaskBundle(path.join(modelsDir!, 'mediapipe_face_landmarker', 'face_landmarker.task'));
    const canonical = parseGeometryMetadata(members.get('geometry_pipeline_metadata_landmarks.binarypb')!, 'test');
    // The mesh model's points: x, y in pixels, z on x's scale.
    const drop = (face: CanonicalFace, yaw: number, pitch: number, roll: number) => jawDrop(posedLandmarks(face, yaw, pitch, roll, 1280, 720).map((v, i) => (i % 3 === 1 ? v * 720 : v * 1280)));
    const open = { ...canonical, vertices: canonical.vertices.map((v, i) => (i === 3 * 152 + 1 ? v - 1 : v)) };
    const opening = drop(open, 0, 0, 0) / drop(canonical, 0, 0, 0) - 1;
    assert.ok(opening > 0.08, `the chin 1 cm lower: +${(100 * opening).toFixed(1)} %`);
    // A nod moves the chin in depth, which the mesh's weak-perspective z gives only in part: it changes the measure most.
    for (const [yaw, pitch, roll, most] of [[25, 0, 0, 0.25], [0, 0, 30, 0.25], [0, -15, 0, 1], [0, 15, 0, 1], [-20, 10, -12, 1]] as const) {
      const turned = Math.abs(drop(canonical, yaw, pitch, roll) / drop(canonical, 0, 0, 0) - 1);
      assert.ok(turned < most * opening, `yaw ${yaw}, pitch ${pitch}, roll ${roll}: ${(100 * turned).toFixed(1)} % against ${(100 * opening).toFixed(1)} % for the jaw`);
    }
  });
});

describe('gaze', () => {
  it('reads an iris moved sideways and down as that eye rotation, turned by the head', () => {
    const points = new Float64Array(478 * 3);
    const set = (id: number, x: number, y: number) => { points[3 * id] = x; points[3 * id + 1] = y; };
    const dx = EYEBALL_RADIUS_CM * Math.sin((10 * Math.PI) / 180), dy = -EYEBALL_RADIUS_CM * Math.sin((5 * Math.PI) / 180);
    for (const [a, b, iris, cx] of [[33, 133, 468, -3], [362, 263, 473, 3]] as const) {
      set(a, cx - 1.5, 0); set(b, cx + 1.5, 0); set(iris, cx + dx, dy + STRAIGHT_OFFSET.y);
    }
    const straight = estimateGaze(points, rotationFromEuler(0, 0, 0));
    near(straight.combined.yaw, 10, 0.5, 'yaw'); near(straight.combined.pitch, 5, 0.5, 'pitch');
    near(straight.left.yaw, straight.right.yaw, 1e-9, 'both eyes');
    near(estimateGaze(points, rotationFromEuler(20, 0, 0)).combined.yaw, 30, 0.5, 'head yaw adds');
  });
});

describe('ROI', () => {
  it('maps the input corners to the ROI corners and projects landmarks back to the same pixels', () => {
    const roi = { cx: 200, cy: 150, width: 120, height: 120, rotation: 0.3 };
    const [a, b, c, d, e, f] = roiAffine(roi, 256);
    const at = (u: number, v: number) => [a * u + b * v + c, d * u + e * v + f];
    const centre = at(128, 128);
    near(centre[0]!, 200, 1e-9, 'centre x'); near(centre[1]!, 150, 1e-9, 'centre y');
    const corner = at(0, 0);
    near(Math.hypot(corner[0]! - 200, corner[1]! - 150), Math.hypot(60, 60), 1e-9, 'corner distance');
    const projected = projectLandmarks([256, 128, 25.6], roi, 256);
    near(projected[0]!, 200 + 60 * Math.cos(0.3), 1e-4, 'x'); near(projected[1]!, 150 + 60 * Math.sin(0.3), 1e-4, 'y'); near(projected[2]!, 12, 1e-4, 'z');
  });

  it('takes the rotation from YuNet\'s eyes and centres between eyes and mouth', () => {
    const roi = roiFromYunet({ box: [0, 0, 100, 100], landmarks: [40, 40, 80, 40 + 40 * Math.tan(0.2), 60, 60, 45, 80, 75, 80] });
    near(roi.rotation, 0.2, 1e-9, 'rotation');
    assert.ok(roi.cx > 50 && roi.cx < 70 && roi.cy > 50 && roi.cy < 70, `centre ${roi.cx}, ${roi.cy}`);
  });
});

describe('converter pieces', () => {
  it('permutes row-major tensors and decodes float16', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => i);
    const nchw = permute(values, [1, 2, 3, 4], [0, 3, 1, 2]);
    // NHWC element (0, h, w, c) = h*12 + w*4 + c lands at NCHW (0, c, h, w) = c*6 + h*3 + w.
    assert.equal(nchw[1 * 6 + 1 * 3 + 2], 1 * 12 + 2 * 4 + 1);
    assert.equal(float16ToNumber(0x3c00), 1);
    assert.equal(float16ToNumber(0xc000), -2);
    assert.equal(float16ToNumber(0x0001), 2 ** -24);
    near(float16ToNumber(0x3555), 0.333251953125, 0, 'a third');
  });
});
