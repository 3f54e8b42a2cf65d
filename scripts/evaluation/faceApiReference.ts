// The reference a user could pick instead of Emotion Lens: face-api (npm @vladmandic/face-api 1.7.15, a
// development dependency) with its own expression network and preprocessing on tfjs's wasm backend, given
// the whole image (its own detectors find almost no face in 48x48 crops), measured in the same run.
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import sharp from 'sharp';
import { labelPermutation, toCanonicalOrder } from '../../src/core/models/modelManifest';
import { faceApiModelDir } from '../models/buildFaceApiExpressionModel';
import { FACE_API_EXPRESSION_LABELS } from '../models/faceApiExpressionOnnx';
import type { ImageOutcome } from './productRuns';
import type { ImageSet } from './labelledImages';

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

/** face-api's probabilities for every image of the set, whole image as the face; and images per second. */
export async function faceApiOnImageSet(set: ImageSet): Promise<{ outcomes: ImageOutcome[]; imagesPerSec: number }> {
  const model = await loadNet();
  const permutation = labelPermutation(FACE_API_EXPRESSION_LABELS);
  const outcomes: ImageOutcome[] = [];
  const started = Date.now();
  for (const image of set.images) {
    const { data, info } = await sharp(image.file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const tensor = faceapi.tf.tensor3d(Int32Array.from(data), [info.height, info.width, 3], 'int32');
    try {
      const predicted = await model.predictExpressions(tensor);
      const expressions = Array.isArray(predicted) ? predicted[0]! : predicted;
      outcomes.push({ label: image.label, probs: toCanonicalOrder(FACE_API_EXPRESSION_LABELS.map((l) => expressions[l]), permutation), source: 'wholeImage' });
    } finally {
      tensor.dispose();
    }
  }
  return { outcomes, imagesPerSec: set.images.length / ((Date.now() - started) / 1000) };
}
