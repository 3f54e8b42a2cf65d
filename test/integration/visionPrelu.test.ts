import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { alignFaceInto } from '../../src/core/vision/faceAlignment';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import { channelMap } from '../../src/core/vision/imageOps';
import { expandPrelu } from '../../src/core/vision/onnxPrelu';
import { mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, MOBILEFACENET_ID, noFfmpegReason, PEXELS_VIDEO, sharedModel } from '../helpers/visionFixtures';

const skip = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

/** How many nodes have op_type "PRelu" (NodeProto field 4, length 5). */
function preluNodes(model: Uint8Array): number {
  const needle = Buffer.from([0x22, 5, ...Buffer.from('PRelu')]);
  let count = 0;
  for (let at = Buffer.from(model).indexOf(needle); at >= 0; at = Buffer.from(model).indexOf(needle, at + 1)) count++;
  return count;
}

test('MobileFaceNet with PRelu expanded gives bit-identical logits on real aligned faces and on noise', skip, async () => {
  const model = sharedModel(MOBILEFACENET_ID);
  const bytes = new Uint8Array(readFileSync(model.paths[0]!));
  const expanded = expandPrelu(bytes);
  assert.equal(preluNodes(bytes), 33);
  assert.equal(preluNodes(expanded), 0);
  // Real crops: detect the face in two frames and align it exactly as the classifier does.
  const analyzer = await FrameAnalyzer.create({ detector: sharedModel(DETECTOR_ID), classifiers: [], minFaceScore: 0.6, minFaceSize: 0, flipAverage: false });
  const crops: Float32Array[] = [];
  try {
    for (const t of [5, 15]) {
      const frame = grabFrame(mediaFile(PEXELS_VIDEO), t);
      const [face] = await analyzer.detect(frame);
      assert.ok(face);
      const crop = new Float32Array(3 * 112 * 112);
      alignFaceInto(frame, face, model.entry, channelMap(model.entry.input!), crop, 0);
      crops.push(crop);
    }
  } finally {
    await analyzer.close();
  }
  let seed = 3;
  crops.push(new Float32Array(3 * 112 * 112).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1));
  const options = { logSeverityLevel: 3 as const, intraOpNumThreads: 1, graphOptimizationLevel: 'basic' as const };
  const [before, after] = [await ort.InferenceSession.create(bytes, options), await ort.InferenceSession.create(expanded, options)];
  try {
    const logits: Float32Array[][] = [[], []];
    for (const crop of crops) {
      for (const [i, session] of [before, after].entries()) {
        const out = await session.run({ data: new ort.Tensor('float32', crop, [1, 3, 112, 112]) });
        logits[i]!.push(out.label!.data as Float32Array);
      }
    }
    assert.deepEqual(logits[1], logits[0]);
    // The two real faces (sad, happy) really give different logits, so identical outputs mean something.
    assert.notDeepEqual(logits[0]![0], logits[0]![1]);
  } finally {
    await Promise.all([before.release(), after.release()]);
  }
});
