// A worker crash, in a file of its own so that the process it may leave unsettled is its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import type { FrameAnalyzerConfig } from '../../src/core/vision/frameAnalyzer';
import { FrameAnalyzerPool } from '../../src/core/vision/frameAnalyzerPool';
import { mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, MOBILEFACENET_ID, noFfmpegReason, PEXELS_VIDEO, sharedModel } from '../helpers/visionFixtures';

const skip = skipUnless(noModelsReason, noMediaReason, noFfmpegReason);

function config(): FrameAnalyzerConfig {
  return { detector: sharedModel(DETECTOR_ID), classifiers: [sharedModel(MOBILEFACENET_ID)], minFaceScore: 0.6, minFaceSize: 0, flipAverage: false };
}

test('a worker crash rejects pending calls with a clear error, and later calls too', skip, async () => {
  const pool = await FrameAnalyzerPool.create(config(), { threads: 1 });
  try {
    const frame = grabFrame(mediaFile(PEXELS_VIDEO), 10);
    const pending = [pool.analyze({ ...frame, data: frame.data.slice() }), pool.analyze({ ...frame, data: frame.data.slice() })];
    pool.crashWorkerForTest(0);
    pending.push(pool.analyze({ ...frame, data: frame.data.slice() }));
    const settled = await Promise.allSettled(pending);
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    assert.ok(rejected.length >= 1, 'at least the call queued behind the crash fails');
    for (const r of rejected) {
      assert.ok(r.reason instanceof EmotionLensError);
      assert.match(r.reason.message, /frame analysis worker crashed/i);
    }
    await assert.rejects(pool.analyze({ ...frame, data: frame.data.slice() }), /worker crashed/);
  } finally {
    await pool.close();
  }
});
