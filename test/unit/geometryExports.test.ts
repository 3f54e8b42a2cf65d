// The face geometry in the exports, read back with the tests' own parsers and checked against the conventions of
// the tools imitated, rebuilt here from their sources rather than from our converter: OpenFace's rotation
// (RotationHelpers.h Euler2RotationMatrix, R = Rx Ry Rz, camera y down, z away), Py-Feat's (img2pose's
// convert_to_euler: scipy's extrinsic 'xyz' of the transposed rotation, Pitch = a, Roll = -c, Yaw = -b),
// OpenFace's gaze angles (atan2 of the mean gaze vector), and the landmark and AU columns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rotationFromEuler } from '../../src/core/geometry/headPose';
import { exportDocument } from '../../src/core/export/exportFormats';
import { openFacePose, pyFeatPose } from '../../src/core/export/poseConventions';
import type { FaceGeometryMeasures } from '../../src/shared/faceGeometry';
import { ACTION_UNIT_FIELDS } from '../../src/shared/faceGeometry';
import { faceKey } from '../../src/shared/labelPrecedence';
import { exportFixture, FIXTURE_DOCUMENT_PATH, fixtureLandmarks, GEOMETRY_FAILED } from '../helpers/exportFixture';
import { parseCsv } from '../helpers/exportParsers';
import { readFeatLike } from '../helpers/pyFeatReader';

type M3 = number[];
const RAD = Math.PI / 180;
const mul = (a: M3, b: M3): M3 => Array.from({ length: 9 }, (_, i) => [0, 1, 2].reduce((s, k) => s + a[3 * Math.floor(i / 3) + k]! * b[3 * k + (i % 3)]!, 0));
const rx = (t: number): M3 => [1, 0, 0, 0, Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t)];
const ry = (t: number): M3 => [Math.cos(t), 0, Math.sin(t), 0, 1, 0, -Math.sin(t), 0, Math.cos(t)];
const rz = (t: number): M3 => [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
const transpose = (m: M3): M3 => [m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!];
/** Our rotation (y up, z towards the viewer) in OpenCV's camera frame (y down, z away). */
const toOpenCv = (m: M3): M3 => m.map((v, i) => v * [1, -1, -1][Math.floor(i / 3)]! * [1, -1, -1][i % 3]!);
const maxDiff = (a: M3, b: M3) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

function geometry(yaw: number, pitch: number, roll: number): FaceGeometryMeasures {
  return { presence: 1, pose: [yaw, pitch, roll, 1, 2, -50], gaze: [0, 0, 0, 0, 0, 0], blendshapes: [], actionUnits: [], mouth: [] };
}

describe('head pose in OpenFace and Py-Feat conventions', () => {
  const poses: [number, number, number][] = [[0, 0, 0], [20, 0, 0], [0, 15, 0], [0, 0, 30], [25, -12, 40], [-35, 20, -15], [60, 30, -70]];

  it("OpenFace's pose_Rx, pose_Ry, pose_Rz rebuild the same rotation with OpenFace's own Rx Ry Rz", () => {
    for (const [yaw, pitch, roll] of poses) {
      const pose = openFacePose(geometry(yaw, pitch, roll));
      const openFace = mul(mul(rx(pose.rx), ry(pose.ry)), rz(pose.rz));
      assert.ok(maxDiff(openFace, toOpenCv(rotationFromEuler(yaw, pitch, roll))) < 1e-9, `${yaw} ${pitch} ${roll}`);
    }
  });

  it("Py-Feat's Pitch, Roll, Yaw rebuild the transposed rotation as scipy's extrinsic xyz (Rz Ry Rx), in degrees", () => {
    for (const [yaw, pitch, roll] of poses) {
      const p = pyFeatPose(geometry(yaw, pitch, roll));
      const scipy = mul(mul(rz(-p.roll * RAD), ry(-p.yaw * RAD)), rx(p.pitch * RAD));
      assert.ok(maxDiff(scipy, transpose(toOpenCv(rotationFromEuler(yaw, pitch, roll)))) < 1e-9, `${yaw} ${pitch} ${roll}`);
    }
  });

  it('signs: OpenFace pitches down and rolls clockwise positive, Py-Feat pitches up, both yaw positive to the image left', () => {
    // Ours: yaw > 0 nose to the image's right, pitch > 0 head down, roll > 0 counter-clockwise.
    assert.ok(openFacePose(geometry(0, 10, 0)).rx > 0 && pyFeatPose(geometry(0, 10, 0)).pitch < 0);
    assert.ok(openFacePose(geometry(10, 0, 0)).ry < 0 && pyFeatPose(geometry(10, 0, 0)).yaw < 0);
    assert.ok(openFacePose(geometry(0, 0, 10)).rz < 0 && pyFeatPose(geometry(0, 0, 10)).roll < 0);
    assert.ok(Math.abs(pyFeatPose(geometry(0, 0, 10)).roll + 10) < 1e-9, 'a pure roll is the same angle');
    const t = openFacePose(geometry(0, 0, 0));
    assert.deepEqual([t.tx, t.ty, t.tz], [10, -20, 500], 'translation in mm, y down, z away from the camera');
  });
});

describe('geometry columns of the exports', () => {
  const doc = exportFixture();
  const landmarks = fixtureLandmarks(doc);
  const options = { documentPath: FIXTURE_DOCUMENT_PATH, landmarks };
  const faces = doc.frames.flatMap((f) => f.faces.map((face) => ({ frame: f.index, face })));
  const geometryOf = (frame: number, track: number) => faces.find((f) => f.frame === frame && f.face.trackId === track)!.face.geometry!;

  it('frames CSV: OpenFace pose, gaze angles of the two eyes, 68 landmarks and AU intensities x 5; a failed face has none', () => {
    const [header, ...body] = parseCsv(exportDocument(doc, 'csv', options));
    const col = (name: string) => header!.indexOf(name);
    for (const row of body.filter((r) => r[col('track_id')] !== '')) {
      const [frame, track] = [Number(row[col('sample_index')]), Number(row[col('track_id')])];
      const g = geometryOf(frame, track);
      if ('status' in g) {
        assert.equal(frame * 10 + track, GEOMETRY_FAILED.frameIndex * 10 + GEOMETRY_FAILED.trackId);
        for (const name of ['pose_Rx', 'gaze_angle_x', 'x_0', 'y_67', 'AU12_r']) assert.equal(row[col(name)], '', name);
        continue;
      }
      const rotation = mul(mul(rx(Number(row[col('pose_Rx')])), ry(Number(row[col('pose_Ry')]))), rz(Number(row[col('pose_Rz')])));
      assert.ok(maxDiff(rotation, toOpenCv(rotationFromEuler(g.pose[0]!, g.pose[1]!, g.pose[2]!))) < 1e-5);
      // Each eye's vector is a unit vector towards the camera (-z); the angles are those of their mean.
      const eye = (i: number) => ['x', 'y', 'z'].map((a) => Number(row[col(`gaze_${i}_${a}`)]));
      for (const v of [eye(0), eye(1)]) assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5 && v[2]! < 0);
      const mean = [0, 1, 2].map((i) => (eye(0)[i]! + eye(1)[i]!) / 2);
      assert.ok(Math.abs(Number(row[col('gaze_angle_x')]) - Math.atan2(mean[0]!, -mean[2]!)) < 1e-5);
      assert.ok(Math.abs(Number(row[col('gaze_angle_y')]) - Math.atan2(mean[1]!, -mean[2]!)) < 1e-5);
      assert.ok(Math.sign(Number(row[col('gaze_angle_x')])) === Math.sign(g.gaze[4]!), 'looking to the image right is positive in both');
      const points = landmarks.get(faceKey(frame, track))!;
      // CSV numbers have 6 decimals.
      for (const i of [0, 30, 67]) assert.ok(Math.abs(Number(row[col(`x_${i}`)]) - points[2 * i]!) < 1e-6 && Math.abs(Number(row[col(`y_${i}`)]) - points[2 * i + 1]!) < 1e-6, `point ${i}`);
      assert.ok(Math.abs(Number(row[col('AU12_r')]) - 5 * g.actionUnits[ACTION_UNIT_FIELDS.indexOf('AU12_estimate')]!) < 1e-9);
      assert.ok(Math.abs(Number(row[col('AU45_r')]) - 5 * g.actionUnits[ACTION_UNIT_FIELDS.indexOf('AU43_estimate')]!) < 1e-9, 'AU45 (blink) from our AU43 (eyes closed)');
    }
  });

  it("Py-Feat CSV: read_feat's landmarks, poses and AUs are filled where the face has geometry", () => {
    const fex = readFeatLike(exportDocument(doc, 'pyfeat', options));
    const tracks = fex.column('track_id') as number[];
    const frames = fex.column('sample_index') as number[];
    const aus = fex.select(fex.auColumns);
    const poses = fex.select(['Pitch', 'Roll', 'Yaw']);
    const x0 = fex.column('x_0') as number[];
    tracks.forEach((track, r) => {
      if (Number.isNaN(track)) return;
      const g = geometryOf(frames[r]!, track);
      if ('status' in g) return assert.ok(aus[r]!.every(Number.isNaN) && poses[r]!.every(Number.isNaN) && Number.isNaN(x0[r]!));
      assert.deepEqual(fex.auColumns, ACTION_UNIT_FIELDS.map((f) => f.replace('_estimate', '')), "Py-Feat's AU columns, in its order");
      assert.deepEqual(aus[r], g.actionUnits);
      const p = pyFeatPose(g);
      assert.deepEqual(poses[r]!.map((v) => v.toFixed(4)), [p.pitch, p.roll, p.yaw].map((v) => v.toFixed(4)));
      assert.ok(Math.abs(x0[r]! - landmarks.get(faceKey(frames[r]!, track))![0]!) < 1e-6);
    });
  });

  it('without the sidecar (no landmarks given) the landmark columns are empty and the rest stays', () => {
    const fex = readFeatLike(exportDocument(doc, 'pyfeat', { documentPath: FIXTURE_DOCUMENT_PATH }));
    assert.ok((fex.column('x_0') as number[]).every(Number.isNaN));
    assert.ok((fex.column('Pitch') as number[]).some((v) => !Number.isNaN(v)));
  });
});
