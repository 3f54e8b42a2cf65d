// The ONNX rebuild of face-api's expression net against face-api itself (its own tfjs code on the wasm
// backend, its own preprocessing) on real faces: FER2013 images and crops of the Pexels video.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { buildFaceApiExpressionModel, faceApiModelDir } from '../../scripts/models/buildFaceApiExpressionModel';
import { FACE_API_EXPRESSION_LABELS, FACE_API_INPUT_SIZE, faceApiInputTensor } from '../../scripts/models/faceApiExpressionOnnx';
import { makeTempDir, mediaFile, noMediaReason, skipUnless } from '../helpers/testEnvironment';
import { grabFrame, noFfmpegReason, PEXELS_VIDEO } from '../helpers/visionFixtures';

const skipMedia = skipUnless(noMediaReason, noFfmpegReason);
const sessionOptions = { logSeverityLevel: 3 as const, intraOpNumThreads: 1 };
const PIXELS = 3 * FACE_API_INPUT_SIZE * FACE_API_INPUT_SIZE;

interface Face {
  name: string;
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** What face-api computes for one face: its 112x112 batch tensor before normalisation, and its probabilities. */
interface FaceApiResult {
  squareRgb: Float32Array;
  probabilities: number[];
}

test('two builds of the face-api expression model are byte-identical, with input [N,3,112,112] and output logits [N,7]', async () => {
  const [a, b] = [makeTempDir(), makeTempDir()];
  try {
    const first = await buildFaceApiExpressionModel(a.dir);
    const second = await buildFaceApiExpressionModel(b.dir);
    assert.equal(path.basename(first.file), 'face_api_expression.onnx');
    assert.ok(readFileSync(first.file).equals(readFileSync(second.file)));
    assert.equal(first.sha256, second.sha256);
    assert.equal(first.bytes, readFileSync(first.file).length);
    const session = await ort.InferenceSession.create(first.file, sessionOptions);
    try {
      assert.deepEqual(session.inputMetadata.map((m) => [m.name, m.isTensor && m.shape]), [['input', ['N', 3, 112, 112]]]);
      assert.deepEqual(session.outputMetadata.map((m) => [m.name, m.isTensor && m.shape]), [['logits', ['N', 7]]]);
    } finally {
      await session.release();
    }
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test("softmax of the ONNX logits matches face-api's FaceExpressionNet within 1e-3 on every real face, same top label", skipMedia, async () => {
  const faces = [...(await ferFaces()), ...videoFaces()];
  assert.ok(faces.length >= 22);
  const reference = await faceApiResults(faces);
  const inputs = faces.map((f) => faceApiInputTensor(f.rgb, f.width, f.height));

  // Our preprocessing reproduces face-api's padded, resized tensor (compared after the same normalisation).
  const preprocessDiff = Math.max(...faces.map((_, i) => maxAbsDiff(inputs[i]!, normalisedNchw(reference[i]!.squareRgb))));
  assert.ok(preprocessDiff < 1e-4, `preprocessing differs from face-api's by ${preprocessDiff}`);

  const { dir, cleanup } = makeTempDir();
  try {
    const session = await ort.InferenceSession.create((await buildFaceApiExpressionModel(dir)).file, sessionOptions);
    try {
      const { logits, msPerFace } = await runOneByOne(session, inputs);
      let maxDiff = 0;
      faces.forEach((face, i) => {
        const ours = softmax(logits[i]!);
        const theirs = reference[i]!.probabilities;
        const diff = maxAbsDiff(ours, theirs);
        maxDiff = Math.max(maxDiff, diff);
        assert.ok(diff <= 1e-3, `${face.name}: ours ${format(ours)} vs face-api ${format(theirs)}`);
        assert.equal(FACE_API_EXPRESSION_LABELS[argmax(ours)], FACE_API_EXPRESSION_LABELS[argmax(theirs)], face.name);
      });
      // The symbolic batch dimension: all faces in one run give the same logits as one at a time.
      const batched = await runBatch(session, inputs);
      logits.forEach((l, i) => assert.ok(maxAbsDiff(l, batched.subarray(i * 7, i * 7 + 7)) < 1e-5, `batched logits of ${faces[i]!.name}`));
      const labels = new Set(reference.map((r) => FACE_API_EXPRESSION_LABELS[argmax(r.probabilities)]));
      console.log(
        `face-api vs ONNX on ${faces.length} faces: max probability difference ${maxDiff.toExponential(2)}, ` +
          `max input difference ${preprocessDiff.toExponential(2)}, ONNX ${msPerFace.toFixed(2)} ms per face, top labels seen: ${[...labels].join(', ')}`,
      );
      // Real faces of several expressions, so agreement on the top label means the order is checked.
      assert.ok(labels.size >= 4, `top labels seen: ${[...labels].join(', ')}`);
    } finally {
      await session.release();
    }
  } finally {
    cleanup();
  }
});

test("face-api's label order is the one the ONNX graph declares", () => {
  assert.deepEqual([...faceapi.FACE_EXPRESSION_LABELS], [...FACE_API_EXPRESSION_LABELS]);
});

/** The FER2013 sample (48x48 grayscale JPEGs), decoded to RGB by sharp. */
async function ferFaces(): Promise<Face[]> {
  const dir = mediaFile('faces', 'fer2013');
  const names = readdirSync(dir).filter((n) => n.endsWith('.jpg')).sort();
  return Promise.all(
    names.map(async (name) => {
      const { data, info } = await sharp(path.join(dir, name)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      assert.equal(info.channels, 3);
      return { name, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    }),
  );
}

/**
 * Face crops of the Pexels clip: two tall ones (206x293, odd difference 87: padded left and right, the odd
 * column on the right) and a wide one (281x200: padded top and bottom, the odd row at the bottom).
 */
function videoFaces(): Face[] {
  const crops = [
    { t: 5, w: 206, h: 293, x: 341, y: 25 },
    { t: 15, w: 206, h: 293, x: 341, y: 25 },
    { t: 10, w: 281, h: 200, x: 310, y: 90 },
  ];
  return crops.map(({ t, w, h, x, y }) => {
    // rgb24 before cropping: cropping the yuv420p frame would round an odd width or height down to even.
    const frame = grabFrame(mediaFile(PEXELS_VIDEO), t, { graph: `format=rgb24,crop=${w}:${h}:${x}:${y}`, width: w, height: h });
    return { name: `pexels@${t}s ${w}x${h}`, rgb: frame.data, width: w, height: h };
  });
}

/** face-api 1.7.15 as shipped (dist/face-api.node-wasm.js) on tfjs's wasm backend, each face given as an RGB tensor. */
async function faceApiResults(faces: readonly Face[]): Promise<FaceApiResult[]> {
  // Not platform fetch: Node's fetch cannot read a file path, the Emscripten loader reads it from disk.
  setWasmPaths(`${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`);
  assert.ok(await tfjs.setBackend('wasm'));
  await tfjs.ready();
  assert.equal(tfjs.getBackend(), 'wasm');
  const net = new faceapi.FaceExpressionNet();
  await net.loadFromDisk(faceApiModelDir());
  try {
    const results: FaceApiResult[] = [];
    for (const face of faces) {
      const image = faceapi.tf.tensor3d(Int32Array.from(face.rgb), [face.height, face.width, 3], 'int32');
      try {
        const batch = (await faceapi.toNetInput(image)).toBatchTensor(FACE_API_INPUT_SIZE, true);
        const squareRgb = Float32Array.from(await batch.data());
        batch.dispose();
        const predicted = await net.predictExpressions(image);
        const expressions = Array.isArray(predicted) ? predicted[0]! : predicted;
        results.push({ squareRgb, probabilities: FACE_API_EXPRESSION_LABELS.map((label) => expressions[label]) });
      } finally {
        image.dispose();
      }
    }
    return results;
  } finally {
    net.dispose();
  }
}

/** face-api's NHWC 112x112 RGB (0..255) normalised as FaceFeatureExtractor does, transposed to NCHW. */
function normalisedNchw(nhwc: Float32Array): Float32Array {
  const mean = [122.782, 117.001, 104.298]; // face-api's meanRgb, written out here, not imported from the code under test
  const n = FACE_API_INPUT_SIZE * FACE_API_INPUT_SIZE;
  const out = new Float32Array(PIXELS);
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) out[c * n + p] = (nhwc[p * 3 + c]! - mean[c]!) / 255;
  return out;
}

/** Each face alone, after one warm-up run, timed. */
async function runOneByOne(session: ort.InferenceSession, inputs: readonly Float32Array[]): Promise<{ logits: Float32Array[]; msPerFace: number }> {
  const run = async (x: Float32Array): Promise<Float32Array> => {
    const out = await session.run({ input: new ort.Tensor('float32', x, [1, 3, FACE_API_INPUT_SIZE, FACE_API_INPUT_SIZE]) });
    assert.deepEqual(out.logits!.dims, [1, 7]);
    return out.logits!.data as Float32Array;
  };
  await run(inputs[0]!);
  const start = performance.now();
  const logits: Float32Array[] = [];
  for (const x of inputs) logits.push(await run(x));
  return { logits, msPerFace: (performance.now() - start) / inputs.length };
}

async function runBatch(session: ort.InferenceSession, inputs: readonly Float32Array[]): Promise<Float32Array> {
  const batch = new Float32Array(inputs.length * PIXELS);
  inputs.forEach((x, i) => batch.set(x, i * PIXELS));
  const out = await session.run({ input: new ort.Tensor('float32', batch, [inputs.length, 3, FACE_API_INPUT_SIZE, FACE_API_INPUT_SIZE]) });
  assert.deepEqual(out.logits!.dims, [inputs.length, 7]);
  return out.logits!.data as Float32Array;
}

function softmax(logits: ArrayLike<number>): number[] {
  const values = Array.from(logits);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function format(p: readonly number[]): string {
  return p.map((v, i) => `${FACE_API_EXPRESSION_LABELS[i]} ${v.toFixed(4)}`).join(', ');
}
