// Face crops, the main input of dataset users (FER2013's 48x48, AffectNet-style crops), through the product's
// own path (the batch engine `analyze` runs on a folder): every crop gets a face, classified as the crop it
// is, with the default ensemble's calibrated labels. Also: a small face in a larger still stays a detection.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { readAnnotationDocument } from '../../src/core/document/annotationFile';
import { defaultSettings, makeRequest, outputPathOf } from '../../src/core/engine/analysisRequest';
import { AnalysisSession } from '../../src/core/engine/analysisSession';
import { runBatch } from '../../src/core/engine/batch/batchRun';
import { CANONICAL_LABELS } from '../../src/core/models/modelManifest';
import { imageSets } from '../../scripts/evaluation/labelledImages';
import { makeStillImages, noFfmpegReason } from '../helpers/mediaFixtures';
import { makeTempDir, mediaDir, noMediaReason, skipUnless } from '../helpers/testEnvironment';

describe('face crops through the product path', skipUnless(noMediaReason, noFfmpegReason), () => {
  const temp = makeTempDir();
  after(temp.cleanup);
  let docs: { doc: AnnotationDocument; label: number }[] = [];
  before(async () => {
    // The default models only, as a fresh install has them (bundled-models/, no models folder).
    const set = imageSets(mediaDir!).find((s) => s.name === 'fer2013')!;
    const requests = set.images.map((image) => makeRequest(image.file, { outDir: temp.dir, settings: { speech: false } }));
    const session = new AnalysisSession();
    try {
      const totals = await runBatch(requests, { session, signal: new AbortController().signal, threads: requests[0]!.threads, onEvent: () => undefined });
      assert.equal(totals.analysed, set.images.length);
    } finally {
      await session.close();
    }
    docs = await Promise.all(set.images.map(async (image, i) => ({ doc: await readAnnotationDocument(outputPathOf(requests[i]!)), label: image.label })));
  });

  it('every 48x48 crop gets one face, its box the whole crop, and says how it was found', () => {
    for (const { doc } of docs) {
      assert.equal(doc.frames[0]!.faces.length, 1, doc.media.path);
      const face = doc.frames[0]!.faces[0]!;
      assert.equal(face.source, 'wholeImage');
      assert.deepEqual(face.box, [0, 0, 48, 48]);
    }
    const detected = docs.filter(({ doc }) => doc.frames[0]!.faces[0]!.score > 0).length;
    console.log(`fer2013: ${docs.length} crops, ${detected} with the detector's face (score > 0, its landmarks kept), ${docs.length - detected} without`);
    assert.ok(detected >= 0.9 * docs.length, `${detected} detected`);
  });

  it('the default ensemble labels at least 62 % of them right (65 % when measured; face-api\'s own pipeline: 65 %)', () => {
    const right = docs.filter(({ doc, label }) => doc.frames[0]!.faces[0]!.label === CANONICAL_LABELS[label]).length;
    console.log(`fer2013 top-1 with ${defaultSettings.expressionModels.join(' + ')}: ${right} of ${docs.length}`);
    assert.ok(right >= 62, `${right} of ${docs.length}`);
  });

  it('records the ensemble it used: models with their calibration temperatures, weights and the average\'s temperature', () => {
    const { provenance } = docs[0]!.doc;
    assert.deepEqual(provenance.settings.expressionModels, defaultSettings.expressionModels);
    assert.deepEqual(provenance.settings.expressionWeights, defaultSettings.expressionWeights);
    assert.equal(provenance.settings.ensembleTemperature, defaultSettings.ensembleTemperature);
    assert.deepEqual(provenance.settings.smallCrops, defaultSettings.smallCrops, 'the small-crop weighting these crops were labelled with');
    for (const ref of provenance.models.filter((m) => m.role === 'expression')) assert.ok(ref.temperature !== undefined && ref.temperature > 0, ref.id);
  });

  it('a small face in a larger square still is a detection, not the whole image', async () => {
    mkdirSync(path.join(temp.dir, 'photo'));
    const { jpg } = await makeStillImages(path.join(temp.dir, 'photo'), 10);
    // The Pexels frame (640x360, face about 206x293) in a 640x640 square of grey: square like a crop, but its face is small.
    const square = path.join(temp.dir, 'photo', 'square.png');
    await sharp({ create: { width: 640, height: 640, channels: 3, background: { r: 128, g: 128, b: 128 } } }).composite([{ input: jpg, top: 140, left: 0 }]).png().toFile(square);
    const session = new AnalysisSession();
    try {
      const outcome = await session.analyze(makeRequest(square, { outDir: temp.dir, settings: { speech: false } }));
      const face = (await readAnnotationDocument(outcome.outputPath)).frames[0]!.faces[0]!;
      assert.equal(face.source, 'detected');
      assert.ok(Math.abs(face.box[0] - 341) < 20 && Math.abs(face.box[1] - 165) < 20, `box ${face.box}`);
    } finally {
      await session.close();
    }
  });
});
