// Where faces are looked for in small frames and face crops: the padded canvas and its way back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTEXT_CONTENT_SIDE, contextCanvas, fillsCrop, fromCanvas, isSmallFrame, looksLikeFaceCrop } from '../../src/core/vision/detectionScales';

function image(width: number, height: number): { width: number; height: number; data: Uint8Array } {
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 7) % 251) };
}

describe('the padded canvas of a small frame', () => {
  it('enlarges a 48x48 crop to the content side, centred with half its side of grey on every side', () => {
    const canvas = contextCanvas(image(48, 48));
    assert.equal(canvas.scale, CONTEXT_CONTENT_SIDE / 48);
    assert.equal(canvas.image.width, CONTEXT_CONTENT_SIDE * 2);
    assert.equal(canvas.offsetX, CONTEXT_CONTENT_SIDE / 2);
    assert.deepEqual([...canvas.image.data.subarray(0, 3)], [128, 128, 128], 'padding is mid grey');
  });

  it('reduces a larger small frame to the content side too, keeping its aspect', () => {
    const canvas = contextCanvas(image(256, 128));
    assert.equal(canvas.scale, 0.75);
    assert.deepEqual([canvas.image.width, canvas.image.height], [192 + 192, 96 + 192]);
  });

  it('copies the frame exactly when its longest side is the content side (no resampling)', () => {
    const frame = image(192, 150);
    const canvas = contextCanvas(frame);
    const row = (y: number) => canvas.image.data.subarray(((y + canvas.offsetY) * canvas.image.width + canvas.offsetX) * 3, ((y + canvas.offsetY) * canvas.image.width + canvas.offsetX + 192) * 3);
    for (const y of [0, 77, 149]) assert.deepEqual([...row(y)], [...frame.data.subarray(y * 576, (y + 1) * 576)]);
  });

  it('maps a face found on the canvas back to frame pixels, landmarks too', () => {
    const canvas = contextCanvas(image(48, 48));
    const s = canvas.scale, o = canvas.offsetX;
    const face = fromCanvas({ box: [o + 4 * s, o + 6 * s, 40 * s, 38 * s], score: 0.9, landmarks: [o + 10 * s, o + 20 * s, o, o, o, o, o, o, o, o] }, canvas);
    face.box.forEach((v, i) => assert.ok(Math.abs(v - [4, 6, 40, 38][i]!) < 1e-9));
    assert.ok(Math.abs(face.landmarks[0]! - 10) < 1e-9 && Math.abs(face.landmarks[1]! - 20) < 1e-9 && Math.abs(face.landmarks[2]!) < 1e-9);
  });
});

describe('what counts as small, and as a face crop', () => {
  it('small frames are at most 320 px on their longest side', () => {
    assert.ok(isSmallFrame({ width: 48, height: 48 }));
    assert.ok(isSmallFrame({ width: 320, height: 180 }));
    assert.ok(!isSmallFrame({ width: 640, height: 360 }));
  });

  it('a face crop is a squarish still of at most 640 px whose face, if found, fills half its shorter side', () => {
    assert.ok(looksLikeFaceCrop({ width: 48, height: 48 }));
    assert.ok(looksLikeFaceCrop({ width: 224, height: 250 }));
    assert.ok(!looksLikeFaceCrop({ width: 640, height: 360 }), 'a video-shaped frame');
    assert.ok(!looksLikeFaceCrop({ width: 1024, height: 1024 }), 'a large square photo');
    assert.ok(fillsCrop([4, 6, 40, 38], { width: 48, height: 48 }));
    assert.ok(!fillsCrop([100, 100, 60, 70], { width: 300, height: 300 }), 'a small face in a square photo');
  });
});
