import assert from 'node:assert/strict';
import { test } from 'node:test';
import { temper } from '../../src/core/calibration/calibrationMath';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import type { FrameAnalyzerConfig } from '../../src/core/vision/frameAnalyzer';
import type { FrameAnalysis } from '../../src/core/vision/visionTypes';
import { mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, MOBILEFACENET_ID, noFfmpegReason, PEXELS_VIDEO, sharedModel, XCEPTION_ID } from '../helpers/visionFixtures';

const skip = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

function config(classifiers: string[], extra: Partial<FrameAnalyzerConfig> = {}): FrameAnalyzerConfig {
  return { detector: sharedModel(DETECTOR_ID), classifiers: classifiers.map(sharedModel), minFaceScore: 0.6, minFaceSize: 0, flipAverage: false, ...extra };
}

const top = (probs: number[]) => CANONICAL_LABELS[probs.indexOf(Math.max(...probs))];

test('YuNet finds the one face of the Pexels frame at t=10 s near (341,25)-(547,318)', skip, async () => {
  const analyzer = await FrameAnalyzer.create(config([]));
  try {
    const faces = await analyzer.detect(grabFrame(mediaFile(PEXELS_VIDEO), 10));
    assert.equal(faces.length, 1);
    const [x, y, w, h] = faces[0]!.box;
    for (const [got, want] of [[x, 341], [y, 25], [x + w, 547], [y + h, 318]] as const) assert.ok(Math.abs(got - want) < 8, `${got} vs ${want}`);
    assert.ok(faces[0]!.score > 0.9);
    const lm = faces[0]!.landmarks;
    // Eyes above the nose, nose above the mouth, image-left eye first, all inside the box.
    assert.ok(lm[0]! < lm[2]! && lm[1]! < lm[5]! && lm[5]! < lm[7]!);
    for (let i = 0; i < 10; i += 2) assert.ok(lm[i]! > x && lm[i]! < x + w && lm[i + 1]! > y && lm[i + 1]! < y + h);
  } finally {
    await analyzer.close();
  }
});

test('two faces side by side (hstack of two frames) give two faces', skip, async () => {
  const analyzer = await FrameAnalyzer.create(config([MOBILEFACENET_ID]));
  try {
    const frame = grabFrame(mediaFile(PEXELS_VIDEO), 10, { graph: '[0:v]split[a][b];[a][b]hstack', width: 1280, height: 360 });
    assert.equal(frame.width, 1280);
    const result = await analyzer.analyze(frame);
    assert.equal(result.faces.length, 2);
    const xs = result.faces.map((f) => f.box[0]).sort((a, b) => a - b);
    assert.ok(Math.abs(xs[0]! - 341) < 10 && Math.abs(xs[1]! - (640 + 341)) < 10, xs.join());
    for (const face of result.faces) assert.equal(top(face.probs), 'happy');
  } finally {
    await analyzer.close();
  }
});

test('MobileFaceNet (aligned): sad at t=5 s, happy at t=15 s, as its MODEL.md sanity check; calibration only re-tempers it', skip, async () => {
  const calibrated = sharedModel(MOBILEFACENET_ID);
  const temperature = calibrated.entry.calibration!.temperature;
  const { calibration: _, ...entry } = calibrated.entry;
  const raw = await FrameAnalyzer.create({ ...config([]), classifiers: [{ ...calibrated, entry }] });
  const analyzer = await FrameAnalyzer.create(config([MOBILEFACENET_ID]));
  try {
    const sad = await raw.analyze(grabFrame(mediaFile(PEXELS_VIDEO), 5));
    const happy = await raw.analyze(grabFrame(mediaFile(PEXELS_VIDEO), 15));
    assert.equal(top(sad.faces[0]!.probs), 'sad');
    assert.ok(sad.faces[0]!.probs[CANONICAL_LABELS.indexOf('sad')]! > 0.8);
    assert.ok(happy.faces[0]!.probs[CANONICAL_LABELS.indexOf('happy')]! > 0.95);
    assert.ok(Math.abs(sad.faces[0]!.probs.reduce((a, b) => a + b) - 1) < 1e-5);
    // With the manifest's temperature: softmax(logits / T), i.e. the raw probabilities re-tempered by T.
    const soft = await analyzer.analyze(grabFrame(mediaFile(PEXELS_VIDEO), 5));
    const expected = temper(sad.faces[0]!.probs, temperature);
    soft.faces[0]!.probs.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-4, `${p} vs ${expected[i]}`));
    assert.equal(top(soft.faces[0]!.probs), 'sad');
    assert.ok(soft.faces[0]!.probs[CANONICAL_LABELS.indexOf('sad')]! < sad.faces[0]!.probs[CANONICAL_LABELS.indexOf('sad')]!);
  } finally {
    await raw.close();
    await analyzer.close();
  }
});

test('flip averaging, xception and the two-model average keep the clear cases', skip, async () => {
  for (const ids of [[MOBILEFACENET_ID], [XCEPTION_ID], [MOBILEFACENET_ID, XCEPTION_ID]]) {
    const analyzer = await FrameAnalyzer.create(config(ids, { flipAverage: true }));
    try {
      const happy = await analyzer.analyze(grabFrame(mediaFile(PEXELS_VIDEO), 15));
      assert.equal(top(happy.faces[0]!.probs), 'happy', ids.join('+'));
      assert.equal(happy.faces[0]!.probs.length, 7);
    } finally {
      await analyzer.close();
    }
  }
});

test('faces are returned in source pixels (scaleToSource) and minFaceSize counts source pixels', skip, async () => {
  const analyzer = await FrameAnalyzer.create(config([MOBILEFACENET_ID]));
  const small = await FrameAnalyzer.create(config([MOBILEFACENET_ID], { minFaceSize: 250 }));
  try {
    const half = { ...grabFrame(mediaFile(PEXELS_VIDEO), 10, { graph: '[0:v]scale=320:180', width: 320, height: 180 }), scaleToSource: 2 };
    assert.equal(half.width, 320);
    const result = await analyzer.analyze(half);
    assert.equal(result.faces.length, 1);
    const [x, y, w, h] = result.faces[0]!.box;
    assert.ok(Math.abs(x - 341) < 12 && Math.abs(y - 25) < 12 && Math.abs(w - 206) < 16 && Math.abs(h - 293) < 16, [x, y, w, h].join());
    assert.ok(result.faces[0]!.landmarks.every((v, i) => (i % 2 === 0 ? v > 300 && v < 600 : v > 0 && v < 360)));
    // The face is about 206 source pixels wide: kept at minFaceSize 0, dropped at 250 even though the frame is halved.
    assert.equal((await small.analyze(half)).faces.length, 0);
  } finally {
    await analyzer.close();
    await small.close();
  }
});

test('a frame without a face gives no faces', skip, async () => {
  const analyzer = await FrameAnalyzer.create(config([MOBILEFACENET_ID]));
  try {
    const frame = grabFrame(mediaFile(PEXELS_VIDEO), 10, { graph: '[0:v]crop=200:200:0:0', width: 200, height: 200 });
    const result = await analyzer.analyze({ ...frame, index: 7, timeSec: 1.4 });
    assert.deepEqual(result, { index: 7, timeSec: 1.4, faces: [] });
  } finally {
    await analyzer.close();
  }
});

test('concurrent calls on one analyzer give the same results as sequential calls (shared input buffers)', skip, async () => {
  const analyzer = await FrameAnalyzer.create(config([MOBILEFACENET_ID, XCEPTION_ID], { flipAverage: true }));
  try {
    const video = mediaFile(PEXELS_VIDEO);
    const frames = [1, 5, 10, 15].map((t, i) => grabFrame(video, t, undefined, i));
    const sequential: FrameAnalysis[] = [];
    for (const frame of frames) sequential.push(await analyzer.analyze(frame));
    const concurrent = await Promise.all(frames.map((frame) => analyzer.analyze(frame)));
    assert.deepEqual(concurrent, sequential);
    // And the frames really differ, so a mix-up could not go unnoticed.
    assert.notDeepEqual(sequential[1]!.faces[0]!.probs, sequential[3]!.faces[0]!.probs);
  } finally {
    await analyzer.close();
  }
});
