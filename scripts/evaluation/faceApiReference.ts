// The reference a user could pick instead of Emotion Lens: face-api (npm @vladmandic/face-api 1.7.15, a
// development dependency) with its own expression network and preprocessing on tfjs's wasm backend, given
// the whole image (its own detectors find almost no face in 48x48 crops), and on video its own detector too,
// measured in the same run.
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import sharp from 'sharp';
import { labelPermutation, toCanonicalOrder } from '../../src/core/models/modelManifest';
import { faceApiModelDir } from '../models/buildFaceApiExpressionModel';
import { FACE_API_EXPRESSION_LABELS } from '../models/faceApiExpressionOnnx';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import { locateFfmpeg } from '../../src/core/media/ffmpegTools';
import { readFrames } from '../../src/core/media/frameReader';
import { probeMedia } from '../../src/core/media/probe';
import type { ImageSet, LabelledClip } from './labelledImages';
import type { ClipFrame, ClipRun } from './memberRuns';
import type { ImageOutcome } from './productRuns';

let net: faceapi.FaceExpressionNet | undefined;

async function loadNet(): Promise<faceapi.FaceExpressionNet> {
  if (net) return net;
  // The Emscripten loader reads the .wasm from disk (Node's fetch cannot read a file path).
  setWasmPaths(`${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`);
  if (!(await tfjs.setBackend('wasm'))) throw new Error('tfjs wasm backend could not start');
  await tfjs.ready();
  net = new faceapi.FaceExpressionNet();
  await net.loadFromDisk(faceApiModelDir());
  return net;
}

/** face-api's canonical-order probabilities for an RGB picture, the whole picture as the face. */
async function predict(model: faceapi.FaceExpressionNet, rgb: Uint8Array, width: number, height: number): Promise<number[]> {
  const tensor = faceapi.tf.tensor3d(Int32Array.from(rgb), [height, width, 3], 'int32');
  try {
    const predicted = await model.predictExpressions(tensor);
    const expressions = Array.isArray(predicted) ? predicted[0]! : predicted;
    return toCanonicalOrder(FACE_API_EXPRESSION_LABELS.map((l) => expressions[l]), labelPermutation(FACE_API_EXPRESSION_LABELS));
  } finally {
    tensor.dispose();
  }
}

/** face-api's probabilities for every image of the set, whole image as the face; and images per second. */
export async function faceApiOnImageSet(set: ImageSet): Promise<{ outcomes: ImageOutcome[]; imagesPerSec: number }> {
  const model = await loadNet();
  const outcomes: ImageOutcome[] = [];
  const started = Date.now();
  for (const image of set.images) {
    const { data, info } = await sharp(image.file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    outcomes.push({ label: image.label, probs: await predict(model, data, info.width, info.height), source: 'wholeImage' });
  }
  return { outcomes, imagesPerSec: set.images.length / ((Date.now() - started) / 1000) };
}

let detectorLoaded = false;

/** face-api's whole pipeline on a frame: its SSD MobileNet detector, then its expression network on the best face. */
async function detectAndPredict(rgb: Uint8Array, width: number, height: number): Promise<number[] | undefined> {
  await loadNet();
  if (!detectorLoaded) {
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(faceApiModelDir());
    await faceapi.nets.faceExpressionNet.loadFromDisk(faceApiModelDir());
    detectorLoaded = true;
  }
  const tensor = faceapi.tf.tensor3d(Int32Array.from(rgb), [height, width, 3], 'int32');
  try {
    const found = await faceapi.detectSingleFace(tensor as unknown as faceapi.TNetInput, new faceapi.SsdMobilenetv1Options()).withFaceExpressions();
    if (!found) return undefined;
    return toCanonicalOrder(FACE_API_EXPRESSION_LABELS.map((l) => found.expressions[l]), labelPermutation(FACE_API_EXPRESSION_LABELS));
  } finally {
    tensor.dispose();
  }
}

/**
 * face-api's own pipeline on every frame the product samples from each clip (default rate): its detector finds the
 * face, as a user of face-api on video would run it; a frame where it finds none has no label.
 */
export async function faceApiOnClips(clips: readonly LabelledClip[]): Promise<ClipRun[]> {
  const tools = await locateFfmpeg();
  const runs: ClipRun[] = [];
  for (const clip of clips) {
    const probe = await probeMedia(tools, clip.file);
    const frames: ClipFrame[] = [];
    for await (const frame of readFrames(tools, clip.file, probe, { sampleFps: defaultSettings.sampleFps, maxSide: defaultSettings.maxAnalysisSide })) {
      const probs = await detectAndPredict(frame.data, frame.width, frame.height);
      if (probs) frames.push({ timeSec: frame.timeSec, probs });
    }
    runs.push({ file: clip.file, label: clip.label, frames });
  }
  return runs;
}
