import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import type { FrameAnalyzerConfig } from '../../src/core/vision/frameAnalyzer';
import { FrameAnalyzerPool } from '../../src/core/vision/frameAnalyzerPool';
import type { FrameAnalysis } from '../../src/core/vision/visionTypes';
import { makeTempDir, mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, MOBILEFACENET_ID, noFfmpegReason, PEXELS_VIDEO, sharedModel, XCEPTION_ID } from '../helpers/visionFixtures';

const skip = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

function config(): FrameAnalyzerConfig {
  return { detector: sharedModel(DETECTOR_ID), classifiers: [sharedModel(MOBILEFACENET_ID), sharedModel(XCEPTION_ID)], minFaceScore: 0.6, minFaceSize: 0, flipAverage: true };
}

function frames(): RawFrame[] {
  const video = mediaFile(PEXELS_VIDEO);
  const list = [1, 4, 7, 10, 13, 16, 19].map((t, i) => grabFrame(video, t, undefined, i));
  // One frame with two faces and one without, so per-frame face counts differ.
  list.push(grabFrame(video, 10, { graph: '[0:v]split[a][b];[a][b]hstack', width: 1280, height: 360 }, list.length));
  list.push(grabFrame(video, 10, { graph: '[0:v]crop=200:200:0:0', width: 200, height: 200 }, list.length));
  return list;
}

test('the worker pool returns, in call order, exactly what one analyzer returns frame by frame', skip, async () => {
  const source = frames();
  // The reference runs one frame at a time in a single worker, not in this thread: onnxruntime sessions in
  // the main thread of a process whose worker threads also hold sessions can abort the process when those
  // threads exit (the engine never loads onnxruntime in its main thread).
  const single = await FrameAnalyzerPool.create(config(), { threads: 1 });
  const expected: FrameAnalysis[] = [];
  try {
    for (const frame of source) expected.push(await single.analyze({ ...frame, data: frame.data.slice() }));
  } finally {
    await single.close();
  }

  const pool = await FrameAnalyzerPool.create(config(), { threads: 2 });
  try {
    const copies = source.map((f) => ({ ...f, data: f.data.slice() }));
    // All in flight at once: results must still match their own frames.
    const results = await Promise.all(copies.map((f) => pool.analyze(f)));
    // The buffers were transferred to the workers, not copied.
    assert.ok(copies.every((f) => f.data.byteLength === 0));
    assert.deepEqual(results.map((r) => r.index), source.map((f) => f.index));
    assert.deepEqual(results.map((r) => r.faces.length), expected.map((r) => r.faces.length));
    assert.deepEqual(results.map((r) => r.faces.length).slice(-2), [2, 0]);
    results.forEach((r, i) => {
      const e = expected[i]!;
      assert.equal(r.timeSec, e.timeSec);
      r.faces.forEach((face, j) => {
        const want = e.faces[j]!;
        assert.deepEqual(face.box.map((v) => v.toFixed(3)), want.box.map((v) => v.toFixed(3)));
        face.probs.forEach((p, k) => assert.ok(Math.abs(p - want.probs[k]!) < 1e-5, `frame ${i} face ${j} prob ${k}`));
      });
    });
    const timings = await pool.timings();
    assert.equal(timings.frames, source.length);
    assert.equal(timings.faces, expected.reduce((n, r) => n + r.faces.length, 0));
  } finally {
    await pool.close();
  }
});

test('with recycle, a frame\'s pixels come back from the worker, untouched, once its analysis is done', skip, async () => {
  const pool = await FrameAnalyzerPool.create(config(), { threads: 2 });
  try {
    const source = frames().slice(0, 4);
    const plain = await Promise.all(source.map((f) => pool.analyze({ ...f, data: f.data.slice() })));
    const back: Uint8Array[] = [];
    const recycled = await Promise.all(source.map((f) => pool.analyze({ ...f, data: f.data.slice() }, (pixels) => back.push(pixels))));
    assert.deepEqual(recycled, plain, 'the same analysis with or without the pixels coming back');
    assert.equal(back.length, source.length);
    // Each buffer is whole again (transferred back, not copied), with the frame it carried.
    for (const pixels of back) assert.ok(source.some((f) => f.data.length === pixels.byteLength && Buffer.compare(Buffer.from(f.data), Buffer.from(pixels)) === 0));
  } finally {
    await pool.close();
  }
});

test('a frame that is a view into a larger buffer is copied, not detached from its owner', skip, async () => {
  const pool = await FrameAnalyzerPool.create(config(), { threads: 1 });
  try {
    const frame = grabFrame(mediaFile(PEXELS_VIDEO), 10);
    const big = new Uint8Array(frame.data.length + 16);
    big.set(frame.data, 16);
    const result = await pool.analyze({ ...frame, data: big.subarray(16) });
    assert.equal(result.faces.length, 1);
    assert.equal(big.byteLength, frame.data.length + 16);
  } finally {
    await pool.close();
  }
});


test('a model that fails to load in a worker rejects create() with the same one-line error', skip, async () => {
  const dir = makeTempDir();
  try {
    const broken = sharedModel(MOBILEFACENET_ID);
    const file = path.join(dir.dir, 'broken.onnx');
    writeFileSync(file, 'not an onnx model');
    await assert.rejects(
      FrameAnalyzerPool.create({ ...config(), classifiers: [{ ...broken, paths: [file] }] }, { threads: 2 }),
      (e: unknown) => e instanceof EmotionLensError && e.code === 'model-corrupt' && e.message.startsWith(`${file}: cannot be loaded`),
    );
  } finally {
    dir.cleanup();
  }
});
