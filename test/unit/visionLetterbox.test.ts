import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelInput } from '../../src/core/models/modelManifest';
import { channelMap } from '../../src/core/vision/imageOps';
import type { RgbImage } from '../../src/core/vision/imageOps';
import { boxDownscaleInto, integerDownscale, letterboxGeometry, Letterboxer, resizeBilinearInto } from '../../src/core/vision/letterbox';

const fixed: ModelInput = { name: 'input', shape: [1, 3, 640, 640], colorOrder: 'BGR', layout: 'NCHW', normalization: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] } };
const dynamic: ModelInput = { ...fixed, spatial: { kind: 'dynamic', multipleOf: 32, maxSide: 640 } };

/** Deterministic pseudo-random pixels (no Math.random, so a failure reproduces). */
function noise(width: number, height: number, seed = 1): RgbImage {
  let s = seed;
  const data = new Uint8Array(width * height * 3).map(() => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s >>> 24;
  });
  return { width, height, data };
}

test('dynamic geometry: fit maxSide, round each side up to a multiple of 32; fixed geometry keeps the shape', () => {
  const g = (input: ModelInput, w: number, h: number) => {
    const r = letterboxGeometry(input, w, h);
    return [r.inputWidth, r.inputHeight, r.contentWidth, r.contentHeight, r.scale];
  };
  assert.deepEqual(g(dynamic, 1280, 720), [640, 384, 640, 360, 0.5]);
  assert.deepEqual(g(dynamic, 720, 1280), [384, 640, 360, 640, 0.5]);
  assert.deepEqual(g(dynamic, 320, 180), [640, 384, 640, 360, 2]); // small frames are enlarged, as in the fixed path
  assert.deepEqual(g(dynamic, 512, 256), [640, 320, 640, 320, 1.25]);
  assert.deepEqual(g(dynamic, 1000, 1000), [640, 640, 640, 640, 0.64]);
  assert.deepEqual(g(fixed, 1280, 720), [640, 640, 640, 360, 0.5]);
  // The content (and so the scale and every face coordinate) is the same in both; only the padding differs.
  for (const [w, h] of [[1280, 720], [720, 1280], [854, 480]] as const) {
    const a = letterboxGeometry(dynamic, w, h), b = letterboxGeometry(fixed, w, h);
    assert.deepEqual([a.contentWidth, a.contentHeight, a.scale], [b.contentWidth, b.contentHeight, b.scale]);
  }
});

test('integer downscale is detected only for exact k-times shrinks', () => {
  const k = (w: number, h: number) => integerDownscale(letterboxGeometry(dynamic, w, h), w, h);
  assert.equal(k(1280, 720), 2);
  assert.equal(k(1920, 1080), 3);
  assert.equal(k(640, 360), 0); // 1:1 copy
  assert.equal(k(854, 480), 0);
  assert.equal(k(1281, 720), 0);
  assert.equal(k(320, 180), 0); // enlargement
});

test('at exactly 2x the box average equals bilinear (which samples the 2x2 block centre), in BGR planes', () => {
  const image = noise(1280, 720);
  const g = letterboxGeometry(dynamic, 1280, 720);
  const map = channelMap(dynamic);
  const box = new Float32Array(3 * 640 * 384), bil = new Float32Array(3 * 640 * 384);
  boxDownscaleInto(image, 2, g, map, box);
  resizeBilinearInto(image, g, map, bil);
  let maxDiff = 0;
  for (let i = 0; i < box.length; i++) maxDiff = Math.max(maxDiff, Math.abs(box[i]! - bil[i]!));
  assert.ok(maxDiff < 1e-3, `max difference ${maxDiff}`);
  // Plane 0 is blue: output (0,0) is the mean of the B bytes of the top-left 2x2 block.
  const d = image.data, row = 1280 * 3;
  assert.ok(Math.abs(box[0]! - (d[2]! + d[5]! + d[row + 2]! + d[row + 5]!) / 4) < 1e-4);
  assert.ok(box.subarray(360 * 640, 384 * 640).every((v) => v === 0), 'padding rows untouched');
});

test('at 3x the box path is the exact 3x3 area mean (bilinear would only sample the centre pixel), also for GRAY', () => {
  const image = noise(1920, 1080, 7);
  const gray: ModelInput = { ...dynamic, shape: [1, 1, 640, 640], colorOrder: 'GRAY', normalization: { scale: 1 / 255, mean: [0.5], std: [0.5] } };
  for (const input of [dynamic, gray]) {
    const g = letterboxGeometry(input, 1920, 1080);
    const map = channelMap(input);
    const planes = input.colorOrder === 'GRAY' ? 1 : 3;
    const out = new Float32Array(planes * g.inputWidth * g.inputHeight);
    boxDownscaleInto(image, 3, g, map, out);
    for (const [u, v] of [[0, 0], [321, 200], [639, 359]] as const) {
      const mean = [0, 0, 0];
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) for (let c = 0; c < 3; c++) mean[c]! += image.data[((3 * v + dy) * 1920 + 3 * u + dx) * 3 + c]! / 9;
      const at = v * g.inputWidth + u;
      if (planes === 1) {
        const luma = 0.2989 * mean[0]! + 0.587 * mean[1]! + 0.114 * mean[2]!;
        assert.ok(Math.abs(out[at]! - (luma / 255 - 0.5) / 0.5) < 1e-4);
      } else {
        const plane = g.inputWidth * g.inputHeight;
        // BGR: plane 0 is B, plane 2 is R.
        assert.ok(Math.abs(out[at]! - mean[2]!) < 1e-3 && Math.abs(out[plane + at]! - mean[1]!) < 1e-3 && Math.abs(out[2 * plane + at]! - mean[0]!) < 1e-3);
      }
    }
  }
});

test('a dynamic Letterboxer sizes its tensor per frame size and keeps the padding zero across size changes', () => {
  const box = new Letterboxer(dynamic);
  assert.equal(box.run({ width: 1280, height: 720, data: new Uint8Array(1280 * 720 * 3).fill(200) }), 0.5);
  assert.deepEqual(box.dims, [1, 3, 384, 640]);
  assert.equal(box.tensor.length, 3 * 384 * 640);
  assert.equal(box.tensor[359 * 640 + 639], 200);
  assert.equal(box.tensor[360 * 640], 0);
  assert.equal(box.run({ width: 720, height: 1280, data: new Uint8Array(720 * 1280 * 3).fill(50) }), 0.5);
  assert.deepEqual([box.width, box.height], [384, 640]);
  // 384x640 has as many values as 640x384: the buffer is reused, so the old content must have been cleared.
  const rows = Array.from({ length: 640 }, (_, y) => box.tensor.subarray(y * 384, y * 384 + 384));
  assert.ok(rows.every((r) => r.subarray(0, 360).every((v) => v === 50) && r.subarray(360).every((v) => v === 0)));
  const fixedBox = new Letterboxer(fixed);
  fixedBox.run({ width: 1280, height: 720, data: new Uint8Array(1280 * 720 * 3).fill(1) });
  assert.deepEqual(fixedBox.dims, [1, 3, 640, 640]);
});
