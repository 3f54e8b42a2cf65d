// The default ensemble's rule per kind of face (src/core/vision/faceKind.ts), on real faces and real models: a
// small still face crop is labelled with the small-crop weighting, every other face (a larger crop, a video
// frame) with the general one, each exactly as that weighting of the models alone would label it.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import { temper } from '../../src/core/calibration/calibrationMath';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import type { FrameAnalyzerConfig } from '../../src/core/vision/frameAnalyzer';
import { probeImageWithSharp, readImageWithSharp } from '../../src/core/vision/imageDecoding';
import { mediaFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, grabFrame, MOBILEFACENET_ID, noFfmpegReason, PEXELS_VIDEO, sharedModel, XCEPTION_ID } from '../helpers/visionFixtures';

async function still(file: string): Promise<RawFrame> {
  const probe = await probeImageWithSharp(file);
  assert.ok(probe, file);
  return readImageWithSharp(file, probe, 1280);
}

/** The first image (by name) of a folder of ../shared/media/faces. */
function firstImage(folder: string): string {
  const name = readdirSync(mediaFile('faces', folder)).filter((n) => /\.(jpe?g|png)$/i.test(n)).sort()[0];
  assert.ok(name, folder);
  return mediaFile('faces', folder, name);
}

function config(classifiers: string[], extra: Partial<FrameAnalyzerConfig> = {}): FrameAnalyzerConfig {
  return { detector: sharedModel(DETECTOR_ID), classifiers: classifiers.map(sharedModel), minFaceScore: 0.6, minFaceSize: 0, flipAverage: false, ...extra };
}

const close = (a: readonly number[], b: readonly number[]) => a.every((p, i) => Math.abs(p - b[i]!) < 1e-5);

describe('the default ensemble weights each kind of face its own way', skipUnless(noModelsReason, noMediaReason, noFfmpegReason), () => {
  // MobileFaceNet for every face, xception for small crops, at a temperature of their own: easy to tell apart.
  const rule = config([MOBILEFACENET_ID, XCEPTION_ID], { weights: [1, 0], ensembleTemperature: 1.5, smallCrops: { weights: [0, 1], temperature: 0.7 } });
  const analyzers: Record<'rule' | 'mobileFaceNet' | 'xception', FrameAnalyzer | undefined> = { rule: undefined, mobileFaceNet: undefined, xception: undefined };
  before(async () => {
    analyzers.rule = await FrameAnalyzer.create(rule);
    analyzers.mobileFaceNet = await FrameAnalyzer.create(config([MOBILEFACENET_ID]));
    analyzers.xception = await FrameAnalyzer.create(config([XCEPTION_ID]));
  });
  after(async () => {
    await Promise.all(Object.values(analyzers).map((a) => a?.close()));
  });

  const probsOf = async (which: keyof typeof analyzers, frame: RawFrame) => {
    const faces = (await analyzers[which]!.analyze(frame)).faces;
    assert.equal(faces.length, 1);
    return faces[0]!;
  };

  test('a 48x48 FER2013 crop gets the small-crop weighting (xception alone here, at its temperature)', async () => {
    const frame = await still(firstImage('fer2013'));
    assert.equal(frame.width, 48);
    const face = await probsOf('rule', frame);
    assert.equal(face.source, 'wholeImage');
    assert.ok(close(face.probs, temper((await probsOf('xception', frame)).probs, 0.7)));
  });

  test('a 128x128 CK+ crop and a video frame get the general weighting (MobileFaceNet alone here, at its temperature)', async () => {
    for (const frame of [await still(firstImage('ckplus-dev')), grabFrame(mediaFile(PEXELS_VIDEO), 10)]) {
      const face = await probsOf('rule', frame);
      assert.ok(close(face.probs, temper((await probsOf('mobileFaceNet', frame)).probs, 1.5)), `${frame.width}x${frame.height}`);
    }
  });
});
