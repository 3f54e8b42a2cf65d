import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import type { ResolvedModel } from '../../src/core/models/modelResolver';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import { letterboxGeometry } from '../../src/core/vision/letterbox';
import { readDeclaredShapes, rewriteOnnxShapes, symbolicSpatialInput } from '../../src/core/vision/onnxShapes';
import type { DetectedFace } from '../../src/core/vision/visionTypes';
import { mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, MOBILEFACENET_ID, noFfmpegReason, PEXELS_VIDEO, sharedModel } from '../helpers/visionFixtures';

const skipModels = skipUnless(noModelsReason);
const skip = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

function yunetBytes(): Uint8Array {
  return new Uint8Array(readFileSync(sharedModel(DETECTOR_ID).paths[0]!));
}

/** The shared detector as the manifest describes it (dynamic), or forced to the file's fixed 640x640. */
function detector(kind: 'dynamic' | 'fixed'): ResolvedModel {
  const model = sharedModel(DETECTOR_ID);
  if (kind === 'dynamic') return model;
  return { ...model, entry: { ...model.entry, input: { ...model.entry.input!, spatial: { kind: 'fixed' } } } };
}

async function detectWith(kind: 'dynamic' | 'fixed', frames: RawFrame[]): Promise<DetectedFace[][]> {
  const analyzer = await FrameAnalyzer.create({ detector: detector(kind), classifiers: [], minFaceScore: 0.6, minFaceSize: 0, flipAverage: false });
  try {
    const out: DetectedFace[][] = [];
    for (const frame of frames) out.push(await analyzer.detect(frame));
    return out;
  } finally {
    await analyzer.close();
  }
}

function assertSameFace(a: DetectedFace, b: DetectedFace, tolerancePx: number): void {
  a.box.forEach((v, i) => assert.ok(Math.abs(v - b.box[i]!) <= tolerancePx, `box[${i}] ${v.toFixed(1)} vs ${b.box[i]!.toFixed(1)}`));
  assert.ok(Math.abs(a.score - b.score) <= 0.02, `score ${a.score} vs ${b.score}`);
  a.landmarks.forEach((v, i) => assert.ok(Math.abs(v - b.landmarks[i]!) <= tolerancePx, `landmark ${i}`));
}

test('the real YuNet file round-trips byte for byte through the shape rewriter', skipModels, () => {
  const bytes = yunetBytes();
  const same = rewriteOnnxShapes(bytes, (s) => (s.dims ? [...s.dims] : undefined));
  assert.notEqual(same, bytes);
  assert.ok(Buffer.from(same).equals(Buffer.from(bytes)));
  // It declares fixed shapes and 94 value_info entries; after patching none of them constrains the size.
  const patched = readDeclaredShapes(symbolicSpatialInput(bytes, 'input'));
  assert.deepEqual(patched.find((s) => s.place === 'input')!.dims, [1, 3, 'height', 'width']);
  assert.ok(patched.filter((s) => s.place === 'output').every((s) => s.dims!.every((d) => typeof d === 'string')));
  assert.ok(patched.filter((s) => s.place === 'valueInfo').every((s) => s.dims === undefined));
});

test('onnxruntime sees the patched input as symbolic and runs 640x384, 384x640 and 640x640 (the file alone refuses 384)', skipModels, async () => {
  const options = { logSeverityLevel: 3 as const, intraOpNumThreads: 1 };
  const original = await ort.InferenceSession.create(yunetBytes(), options);
  const session = await ort.InferenceSession.create(symbolicSpatialInput(yunetBytes(), 'input'), options);
  try {
    const meta = session.inputMetadata[0]!;
    assert.ok(meta.isTensor);
    assert.deepEqual(meta.shape, [1, 3, 'height', 'width']);
    const input = (h: number, w: number) => ({ input: new ort.Tensor('float32', new Float32Array(3 * h * w), [1, 3, h, w]) });
    await assert.rejects(original.run(input(384, 640)), /invalid dimensions/i);
    for (const [h, w] of [[384, 640], [640, 384], [640, 640]] as const) {
      const out = await session.run(input(h, w));
      for (const stride of [8, 16, 32]) {
        const cells = (h / stride) * (w / stride);
        assert.deepEqual(out[`cls_${stride}`]!.dims, [1, cells, 1]);
        assert.deepEqual(out[`kps_${stride}`]!.dims, [1, cells, 10]);
      }
    }
  } finally {
    await Promise.all([original.release(), session.release()]);
  }
});

test('16:9 frames (640x360 as is, 1280x720 halved): the 640x384 input finds the face the 640x640 input finds', skip, async () => {
  const video = mediaFile(PEXELS_VIDEO);
  const frames = [grabFrame(video, 10), grabFrame(video, 10, { graph: '[0:v]scale=1280:720', width: 1280, height: 720 }), grabFrame(video, 15)];
  const [dynamic, fixed] = [await detectWith('dynamic', frames), await detectWith('fixed', frames)];
  frames.forEach((frame, i) => {
    assert.equal(dynamic[i]!.length, 1, `frame ${i}`);
    assert.equal(fixed[i]!.length, 1, `frame ${i}`);
    // A few frame pixels: 3 at 640 wide, 6 at 1280 wide (input pixels are frame pixels * 0.5 there).
    assertSameFace(dynamic[i]![0]!, fixed[i]![0]!, 3 * (frame.width / 640));
  });
  // Same place as the documented sanity check: (341,25)-(547,318) at 640x360.
  const [x, y, w, h] = dynamic[0]![0]!.box;
  for (const [got, want] of [[x, 341], [y, 25], [x + w, 547], [y + h, 318]] as const) assert.ok(Math.abs(got - want) < 8, `${got} vs ${want}`);
});

test('a portrait frame (the clip padded into a 640x1136 canvas) runs at 384x640 and finds the face where it was put', skip, async () => {
  const video = mediaFile(PEXELS_VIDEO);
  const landscape = grabFrame(video, 10);
  const portrait = grabFrame(video, 10, { graph: '[0:v]pad=640:1136:0:388', width: 640, height: 1136 });
  // 640x1136 fits 640 as 361x640 content: a 384x640 (W x H) input.
  const g = letterboxGeometry(detector('dynamic').entry.input!, 640, 1136);
  assert.deepEqual([g.inputWidth, g.inputHeight, g.contentWidth], [384, 640, 361]);
  const [dynamic, fixed] = [await detectWith('dynamic', [landscape, portrait]), await detectWith('fixed', [portrait])];
  assert.deepEqual([dynamic[0]?.length, dynamic[1]?.length, fixed[0]?.length], [1, 1, 1]);
  const upright = dynamic[0]![0]!, tall = dynamic[1]![0]!, tallFixed = fixed[0]![0]!;
  // Scale 640/1136: the face is about 116 input pixels wide there, so allow a few input pixels (~2x in frame pixels).
  const expected = [upright.box[0], upright.box[1] + 388, upright.box[2], upright.box[3]];
  tall.box.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 10, `box[${i}] ${v.toFixed(1)} vs ${expected[i]!.toFixed(1)}`));
  assert.ok(tall.score > 0.9);
  assertSameFace(tall, tallFixed, 6);
});

test('two shared 256x256 clips side by side (512x256) give two faces, one in each half', skip, async () => {
  const clip = (name: string) => mediaFile('video', name);
  const args = ['-v', 'error', '-ss', '3', '-i', clip('Obama_clip1_face_speech.mp4'), '-ss', '3', '-i', clip('reagan_clip1_face_speech.mp4'),
    '-filter_complex', '[0:v][1:v]hstack=inputs=2', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const out = spawnSync('ffmpeg', args, { maxBuffer: 16 * 1024 * 1024 });
  assert.equal(out.status, 0, out.stderr?.toString());
  assert.equal(out.stdout.length, 512 * 256 * 3);
  const frame: RawFrame = { index: 0, timeSec: 3, width: 512, height: 256, data: new Uint8Array(out.stdout), scaleToSource: 1 };
  const analyzer = await FrameAnalyzer.create({ detector: detector('dynamic'), classifiers: [sharedModel(MOBILEFACENET_ID)], minFaceScore: 0.6, minFaceSize: 0, flipAverage: false });
  try {
    const result = await analyzer.analyze(frame);
    assert.equal(result.faces.length, 2);
    const centres = result.faces.map((f) => f.box[0] + f.box[2] / 2).sort((a, b) => a - b);
    assert.ok(centres[0]! > 0 && centres[0]! < 256 && centres[1]! > 256 && centres[1]! < 512, centres.join());
    for (const face of result.faces) assert.equal(face.probs.length, 7);
  } finally {
    await analyzer.close();
  }
});
