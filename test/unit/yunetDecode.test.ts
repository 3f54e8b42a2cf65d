import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxIou, decodeYunet, nonMaxSuppression, YUNET_STRIDES } from '../../src/core/vision/faceDetector';
import type { YunetOutputs } from '../../src/core/vision/faceDetector';

const SIZE = 640;

/** All-zero heads for a 640x640 input, with helpers to switch on single cells. */
function emptyOutputs(): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const s of YUNET_STRIDES) {
    const cells = (SIZE / s) ** 2;
    out[`cls_${s}`] = new Float32Array(cells);
    out[`obj_${s}`] = new Float32Array(cells);
    out[`bbox_${s}`] = new Float32Array(cells * 4);
    out[`kps_${s}`] = new Float32Array(cells * 10);
  }
  return out;
}

function setCell(out: Record<string, Float32Array>, stride: number, r: number, c: number, cls: number, obj: number, bbox: number[], kps: number[] = []): void {
  const idx = r * (SIZE / stride) + c;
  out[`cls_${stride}`]![idx] = cls;
  out[`obj_${stride}`]![idx] = obj;
  out[`bbox_${stride}`]!.set(bbox, idx * 4);
  out[`kps_${stride}`]!.set(kps, idx * 10);
}

test('decodes a cell: score is sqrt(cls*obj), box from grid offsets and exp sizes, landmarks, divided by scale', () => {
  const out = emptyOutputs();
  const kps = [0.1, 0.2, 0.9, 0.2, 0.5, 0.6, 0.2, 1.0, 0.8, 1.0];
  setCell(out, 8, 10, 20, 0.81, 1, [0.5, 0.25, Math.log(4), Math.log(2)], kps);
  const faces = decodeYunet(out as YunetOutputs, SIZE, SIZE, 2, 0.6);
  assert.equal(faces.length, 1);
  const face = faces[0]!;
  assert.ok(Math.abs(face.score - 0.9) < 1e-6);
  // cx = 20.5*8 = 164, cy = 10.25*8 = 82, w = 32, h = 16; then / scale 2.
  const expected = [(164 - 16) / 2, (82 - 8) / 2, 16, 8];
  face.box.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-4, `box[${i}] ${v} vs ${expected[i]}`));
  assert.equal(face.landmarks.length, 10);
  for (let n = 0; n < 5; n++) {
    assert.ok(Math.abs(face.landmarks[2 * n]! - ((kps[2 * n]! + 20) * 8) / 2) < 1e-4);
    assert.ok(Math.abs(face.landmarks[2 * n + 1]! - ((kps[2 * n + 1]! + 10) * 8) / 2) < 1e-4);
  }
});

test('keeps cells at or above the threshold, clamps cls/obj to 0..1, and decodes every stride', () => {
  const out = emptyOutputs();
  setCell(out, 8, 0, 0, 0.3, 0.5, [0, 0, 0, 0]); // sqrt(0.15) = 0.387: dropped at 0.6
  setCell(out, 16, 5, 7, 1.7, 0.49, [0, 0, 0, 0]); // clamped to sqrt(1 * 0.49) = 0.7
  setCell(out, 32, 19, 19, 0.64, 1, [0, 0, 0, 0]); // last cell of the coarsest grid, score 0.8
  const faces = decodeYunet(out as YunetOutputs, SIZE, SIZE, 1, 0.6);
  assert.deepEqual(faces.map((f) => Number(f.score.toFixed(6))), [0.8, 0.7]);
  // stride 32, cell (19,19): centre (19*32, 19*32), size 32.
  assert.deepEqual(faces[0]!.box, [19 * 32 - 16, 19 * 32 - 16, 32, 32]);
  assert.equal(decodeYunet(out as YunetOutputs, SIZE, SIZE, 1, 0.3).length, 3);
});

test('NMS keeps the best of overlapping faces (IoU > 0.3) and every separate face', () => {
  const out = emptyOutputs();
  // Same face seen by two neighbouring stride-8 cells and one stride-16 cell; a second face far away.
  setCell(out, 8, 20, 20, 0.95, 0.95, [0.5, 0.5, Math.log(8), Math.log(8)]);
  setCell(out, 8, 20, 21, 0.9, 0.9, [-0.4, 0.5, Math.log(8), Math.log(8)]);
  setCell(out, 16, 10, 10, 0.8, 0.8, [0.25, 0.25, Math.log(4), Math.log(4)]);
  setCell(out, 8, 60, 60, 0.7, 0.7, [0.5, 0.5, Math.log(8), Math.log(8)]);
  const raw = decodeYunet(out as YunetOutputs, SIZE, SIZE, 1, 0.6);
  assert.equal(raw.length, 4);
  const kept = nonMaxSuppression(raw);
  assert.equal(kept.length, 2);
  assert.ok(Math.abs(kept[0]!.score - 0.95) < 1e-6);
  assert.ok(Math.abs(kept[1]!.score - 0.7) < 1e-6);
});

test('boxIou', () => {
  assert.equal(boxIou([0, 0, 10, 10], [0, 0, 10, 10]), 1);
  assert.equal(boxIou([0, 0, 10, 10], [20, 20, 5, 5]), 0);
  assert.ok(Math.abs(boxIou([0, 0, 10, 10], [5, 0, 10, 10]) - 50 / 150) < 1e-12);
});

test('a missing head is reported', () => {
  const out = emptyOutputs();
  delete out.kps_16;
  assert.throws(() => decodeYunet(out as YunetOutputs, SIZE, SIZE, 1, 0.6), /stride 16/);
});

/** All-zero heads for a W x H input (a dynamic, non-square input). */
function gridOutputs(width: number, height: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const s of YUNET_STRIDES) {
    const cells = (width / s) * (height / s);
    out[`cls_${s}`] = new Float32Array(cells);
    out[`obj_${s}`] = new Float32Array(cells);
    out[`bbox_${s}`] = new Float32Array(cells * 4);
    out[`kps_${s}`] = new Float32Array(cells * 10);
  }
  return out;
}

test('non-square inputs use cols = W/stride and rows = H/stride per stride (640x384 landscape, 384x640 portrait)', () => {
  // 640x384: stride 8 is 80 cols x 48 rows. Cell (r=47, c=3) is index 47*80+3; a square-grid decode would put it elsewhere.
  const wide = gridOutputs(640, 384);
  const idx = 47 * 80 + 3;
  wide.cls_8![idx] = 1;
  wide.obj_8![idx] = 1;
  const faces = decodeYunet(wide as YunetOutputs, 640, 384, 1, 0.6);
  assert.equal(faces.length, 1);
  assert.deepEqual(faces[0]!.box, [3 * 8 - 4, 47 * 8 - 4, 8, 8]);
  // 384x640 portrait, stride 32: 12 cols x 20 rows; the last cell is (19, 11).
  const tall = gridOutputs(384, 640);
  tall.cls_32![20 * 12 - 1] = 1;
  tall.obj_32![20 * 12 - 1] = 1;
  const [last] = decodeYunet(tall as YunetOutputs, 384, 640, 0.5, 0.6);
  assert.deepEqual(last!.box, [(11 * 32 - 16) / 0.5, (19 * 32 - 16) / 0.5, 64, 64]);
});

test('heads that do not match the input grid are an error, not misplaced faces', () => {
  assert.throws(() => decodeYunet(gridOutputs(640, 384) as YunetOutputs, 640, 640, 1, 0.6), /stride 8 has 3840 cells, expected 80x80/);
  assert.throws(() => decodeYunet(emptyOutputs() as YunetOutputs, 384, 640, 1, 0.6), /expected 48x80/);
});
