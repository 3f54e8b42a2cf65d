import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, test } from 'node:test';
import { faceApiInputTensor } from '../../scripts/models/faceApiExpressionOnnx';
import type { ModelEntry, ModelInput } from '../../src/core/models/modelManifest';
import {
  alignFaceInto, alignmentAffine, applySimilarity, ARCFACE_TEMPLATE_112, estimateSimilarity, invertSimilarity,
  paddedBoxCrop, scaledTemplate, templateLandmarksForBox,
} from '../../src/core/vision/faceAlignment';
import { repoRoot } from '../helpers/testEnvironment';
import { channelMap } from '../../src/core/vision/imageOps';
import { Letterboxer } from '../../src/core/vision/letterbox';
import type { RgbImage } from '../../src/core/vision/imageOps';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function transformPoints(points: readonly number[], angle: number, scale: number, tx: number, ty: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i]!, y = points[i + 1]!;
    out.push(scale * (Math.cos(angle) * x - Math.sin(angle) * y) + tx, scale * (Math.sin(angle) * x + Math.cos(angle) * y) + ty);
  }
  return out;
}

test('similarity estimate recovers a known rotation, scale and translation', () => {
  const angle = 0.3, scale = 2.5, tx = 120, ty = -40;
  const dst = transformPoints(ARCFACE_TEMPLATE_112, angle, scale, tx, ty);
  const t = estimateSimilarity(ARCFACE_TEMPLATE_112, dst);
  close(t.a, scale * Math.cos(angle));
  close(t.b, scale * Math.sin(angle));
  close(t.tx, tx, 1e-6);
  close(t.ty, ty, 1e-6);
  const inv = invertSimilarity(t);
  const [x, y] = applySimilarity(inv, ...applySimilarity(t, 17, 33));
  close(x, 17, 1e-9);
  close(y, 33, 1e-9);
});

test('similarity estimate is the least-squares fit under noise (better than any perturbed transform)', () => {
  const noisy = transformPoints(ARCFACE_TEMPLATE_112, -0.2, 0.8, 10, 20).map((v, i) => v + (i % 3 === 0 ? 0.7 : -0.4));
  const t = estimateSimilarity(ARCFACE_TEMPLATE_112, noisy);
  const cost = (s: typeof t) => {
    let sum = 0;
    for (let i = 0; i < 10; i += 2) {
      const [x, y] = applySimilarity(s, ARCFACE_TEMPLATE_112[i]!, ARCFACE_TEMPLATE_112[i + 1]!);
      sum += (x - noisy[i]!) ** 2 + (y - noisy[i + 1]!) ** 2;
    }
    return sum;
  };
  const best = cost(t);
  for (const d of [[0.01, 0, 0, 0], [0, 0.01, 0, 0], [0, 0, 0.1, 0], [0, 0, 0, -0.1]] as const) {
    assert.ok(cost({ a: t.a + d[0], b: t.b + d[1], tx: t.tx + d[2], ty: t.ty + d[3] }) > best);
  }
});

const rgbInput: ModelInput = {
  name: 'data', shape: [1, 3, 112, 112], colorOrder: 'RGB', layout: 'NCHW',
  normalization: { scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
};

test('arcface5 alignment maps the template points of the input onto the face landmarks', () => {
  const landmarks = transformPoints(ARCFACE_TEMPLATE_112, 0.15, 1.7, 200, 80);
  const affine = alignmentAffine({ box: [0, 0, 1, 1], score: 1, landmarks }, { alignment: 'arcface5', input: { ...rgbInput, shape: [1, 3, 224, 224] } });
  const template = scaledTemplate(224, 224);
  for (let i = 0; i < 10; i += 2) {
    const u = template[i]!, v = template[i + 1]!;
    close(affine[0] * u + affine[1] * v + affine[2], landmarks[i]!, 1e-6);
    close(affine[3] * u + affine[4] * v + affine[5], landmarks[i + 1]!, 1e-6);
  }
});

/** 40x20 image: left half pure red, right half pure blue. */
function halves(): RgbImage {
  const width = 40, height = 20, data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x < 20 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
  return { width, height, data };
}

test('box crop: normalisation and colour order are applied, and flip mirrors the crop', () => {
  const model: Pick<ModelEntry, 'alignment' | 'boxMargin' | 'input'> = { alignment: 'box', boxMargin: 0, input: { ...rgbInput, shape: [1, 3, 8, 8] } };
  const face = { box: [10, 5, 20, 10] as [number, number, number, number], score: 1, landmarks: [] };
  const out = new Float32Array(2 * 3 * 64);
  alignFaceInto(halves(), face, model, channelMap(model.input!), out, 0);
  alignFaceInto(halves(), face, model, channelMap(model.input!), out, 192, true);
  // The square crop spans x 10..30: its left columns are red (R plane = +1, B plane = -1), right columns blue.
  const R = (o: number, v: number, u: number) => out[o + v * 8 + u]!;
  const B = (o: number, v: number, u: number) => out[o + 128 + v * 8 + u]!;
  close(R(0, 4, 0), 1, 1e-5);
  close(B(0, 4, 0), -1, 1e-5);
  close(R(0, 4, 7), -1, 1e-5);
  close(B(0, 4, 7), 1, 1e-5);
  for (let u = 0; u < 8; u++) close(R(192, 4, u), R(0, 4, 7 - u), 1e-6);
});

test('BGR and GRAY colour orders', () => {
  const img: RgbImage = { width: 1, height: 1, data: new Uint8Array([200, 100, 50]) };
  const bgr = new Letterboxer({ name: 'x', shape: [1, 3, 2, 2], colorOrder: 'BGR', layout: 'NCHW', normalization: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] } });
  const scale = bgr.run(img);
  assert.equal(scale, 2);
  // Upscaled 1x1 -> 2x2, planes B, G, R.
  assert.deepEqual(Array.from(bgr.tensor), [50, 50, 50, 50, 100, 100, 100, 100, 200, 200, 200, 200]);
  const gray = new Letterboxer({ name: 'x', shape: [1, 1, 1, 1], colorOrder: 'GRAY', layout: 'NCHW', normalization: { scale: 1 / 255, mean: [0.5], std: [0.5] } });
  gray.run(img);
  close(gray.tensor[0]!, ((0.2989 * 200 + 0.587 * 100 + 0.114 * 50) / 255 - 0.5) / 0.5, 1e-5);
});

test('letterbox keeps the aspect ratio, pads right/bottom with zeros, and re-pads when the frame size changes', () => {
  const input: ModelInput = { name: 'x', shape: [1, 3, 8, 8], colorOrder: 'RGB', layout: 'NCHW', normalization: { scale: 1, mean: [0, 0, 0], std: [1, 1, 1] } };
  const box = new Letterboxer(input);
  const wide: RgbImage = { width: 8, height: 4, data: new Uint8Array(8 * 4 * 3).fill(9) };
  assert.equal(box.run(wide), 1);
  const rPlane = Array.from(box.tensor.subarray(0, 64));
  assert.deepEqual(rPlane, [...Array(32).fill(9), ...Array(32).fill(0)]);
  const tall: RgbImage = { width: 2, height: 4, data: new Uint8Array(2 * 4 * 3).fill(7) };
  assert.equal(box.run(tall), 2);
  const rows = Array.from({ length: 8 }, (_, y) => Array.from(box.tensor.subarray(y * 8, y * 8 + 8)));
  for (const row of rows) assert.deepEqual(row, [7, 7, 7, 7, 0, 0, 0, 0]);
});

test('template landmarks for a box make arcface5 alignment a plain resize of that box', () => {
  const box: [number, number, number, number] = [4, 8, 56, 56];
  const affine = alignmentAffine({ box, score: 1, landmarks: templateLandmarksForBox(box) }, { alignment: 'arcface5', input: rgbInput });
  close(affine[0], 0.5, 1e-9);
  close(affine[1], 0, 1e-9);
  close(affine[2], 4, 1e-9);
  close(affine[4], 0.5, 1e-9);
  close(affine[5], 8, 1e-9);
});

describe("face-api's padded-box preprocessing", () => {
  const entry = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'manifest.json'), 'utf8')).models.find((m: { id: string }) => m.id === 'fer_faceapi_vladmandic');
  const image = (() => {
    const width = 200, height = 150;
    let state = 7;
    const data = Uint8Array.from({ length: width * height * 3 }, () => ((state = (state * 1103515245 + 12345) >>> 0) >>> 24));
    return { width, height, data };
  })();

  it('equals face-api\'s own steps (crop, black square padding, legacy bilinear, mean/255) for wide, tall, odd and clipped boxes', () => {
    const boxes: [number, number, number, number][] = [[20.7, 10.2, 90.5, 60.9], [50, 5, 41, 120.4], [150.3, 100.8, 80, 70], [-10, -5, 60, 61], [0, 0, 200, 150]];
    for (const box of boxes) {
      const [cx, cy, cw, ch] = paddedBoxCrop(box, image.width, image.height);
      const crop = new Uint8Array(cw * ch * 3);
      for (let y = 0; y < ch; y++) crop.set(image.data.subarray(((cy + y) * image.width + cx) * 3, ((cy + y) * image.width + cx + cw) * 3), y * cw * 3);
      const expected = faceApiInputTensor(crop, cw, ch);
      const actual = new Float32Array(3 * 112 * 112);
      alignFaceInto(image, { box, score: 1, landmarks: [] }, entry, channelMap(entry.input), actual, 0);
      let worst = 0;
      for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
      assert.ok(worst < 1e-5, `box ${box}: largest difference ${worst}`);
    }
  });

  it('mirrors with flip', () => {
    const box: [number, number, number, number] = [30, 20, 80, 90];
    const plain = new Float32Array(3 * 112 * 112), mirrored = new Float32Array(3 * 112 * 112);
    alignFaceInto(image, { box, score: 1, landmarks: [] }, entry, channelMap(entry.input), plain, 0);
    alignFaceInto(image, { box, score: 1, landmarks: [] }, entry, channelMap(entry.input), mirrored, 0, true);
    assert.equal(mirrored[5 * 112 + 111], plain[5 * 112 + 0]);
    assert.notDeepEqual(mirrored, plain);
  });
});
