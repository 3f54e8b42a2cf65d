import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import { loadManifest } from '../../src/core/models/modelManifest';
import type { ModelManifest } from '../../src/core/models/modelManifest';
import { listModels, resolveModel } from '../../src/core/models/modelResolver';
import type { ModelDownloadProgress } from '../../src/core/models/modelResolver';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import { makeTempDir, modelFile, modelsDir, noModelsReason, skipUnless } from '../helpers/testEnvironment';
import { DETECTOR_ID, MOBILEFACENET_ID, sharedModel } from '../helpers/visionFixtures';

// What a user without the bundled default models sees (a source checkout before bundleModels, or a damaged install).
process.env.EMOTION_LENS_NO_BUNDLED_MODELS = '1';

const YUNET_FILE = 'face_detection_yunet_2023mar.onnx';

function isError(code: string, ...patterns: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof EmotionLensError, String(error));
    assert.equal(error.code, code);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    for (const p of patterns) assert.match(error.message, p);
    return true;
  };
}

test('a missing model is one line naming the expected files, the folders searched and what to do', async () => {
  const models = makeTempDir();
  const cache = makeTempDir();
  try {
    await assert.rejects(
      resolveModel('asr_zipformer_gigaspeech_3.3M_int8', { modelsDir: models.dir, cacheDir: cache.dir }),
      isError('model-missing', /encoder-epoch-12-avg-2-chunk-16-left-64\.int8\.fixed\.onnx/, /tokens\.txt/, new RegExp(models.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), /--models DIR/, /EMOTION_LENS_MODELS/),
    );
    await assert.rejects(resolveModel(DETECTOR_ID, { cacheDir: cache.dir }), isError('model-missing', /face_detection_yunet_2023mar\.onnx/, /emotion-lens models --download/));
  } finally {
    models.cleanup();
    cache.cleanup();
  }
});

test('finds models in <dir>/<id>/<file> and in <dir>/<file>, verified by sha256', skipUnless(noModelsReason), async () => {
  const cache = makeTempDir();
  const flat = makeTempDir();
  try {
    const nested = await resolveModel(MOBILEFACENET_ID, { modelsDir, cacheDir: cache.dir });
    assert.equal(nested.paths[0], path.resolve(modelFile(MOBILEFACENET_ID, nested.entry.files[0]!.name)));
    assert.equal(nested.sha256, 'f0d7093aff10e2638c734c5f18a6a7eabd2b9239b20bdb9b8090865a6f69a1ed');
    copyFileSync(modelFile(DETECTOR_ID, YUNET_FILE), path.join(flat.dir, YUNET_FILE));
    const flatModel = await resolveModel(DETECTOR_ID, { modelsDir: flat.dir, cacheDir: cache.dir });
    assert.equal(flatModel.paths[0], path.join(flat.dir, YUNET_FILE));
    // Every file the manifest lists for the shared models is really there with that sha256 (models built by a
    // project script, like face-api's, are not in the shared folder: the bundled-models test covers them).
    const built = new Set(loadManifest().models.filter((m) => m.build).map((m) => m.id));
    const status = (await listModels({ modelsDir, cacheDir: cache.dir })).filter((s) => !built.has(s.id));
    for (const s of status) assert.equal(s.state, 'ok', `${s.id}: ${JSON.stringify(s.files)}`);
  } finally {
    cache.cleanup();
    flat.cleanup();
  }
});

test('the bundled folder is searched after the models folder and before the cache, with the same sha256 check', skipUnless(noModelsReason), async () => {
  const bundled = makeTempDir();
  const cache = makeTempDir();
  try {
    const file = path.join(bundled.dir, DETECTOR_ID, YUNET_FILE);
    mkdirSync(path.dirname(file));
    copyFileSync(modelFile(DETECTOR_ID, YUNET_FILE), file);
    assert.equal((await resolveModel(DETECTOR_ID, { bundledDir: bundled.dir, cacheDir: cache.dir })).paths[0], file);
    assert.equal((await resolveModel(DETECTOR_ID, { modelsDir, bundledDir: bundled.dir, cacheDir: cache.dir })).paths[0], path.resolve(modelFile(DETECTOR_ID, YUNET_FILE)));
    const [status] = (await listModels({ bundledDir: bundled.dir, cacheDir: cache.dir })).filter((s) => s.id === DETECTOR_ID);
    assert.equal(status?.files[0]?.location, 'bundled');
    const bytes = readFileSync(file);
    bytes[1000] = bytes[1000]! ^ 0xff;
    writeFileSync(file, bytes);
    await assert.rejects(resolveModel(DETECTOR_ID, { bundledDir: bundled.dir, cacheDir: cache.dir }), isError('model-checksum', /face_detection_yunet_2023mar\.onnx/));
    await assert.rejects(resolveModel(DETECTOR_ID, { bundledDir: null, cacheDir: cache.dir }), isError('model-missing', /model "face_detection_yunet_2023mar" not found/));
  } finally {
    bundled.cleanup();
    cache.cleanup();
  }
});

test('a file with the wrong sha256 is rejected naming the file, expected and actual', skipUnless(noModelsReason), async () => {
  const dir = makeTempDir();
  try {
    const file = path.join(dir.dir, DETECTOR_ID, YUNET_FILE);
    mkdirSync(path.dirname(file));
    const bytes = readFileSync(modelFile(DETECTOR_ID, YUNET_FILE));
    bytes[1000] = bytes[1000]! ^ 0xff;
    writeFileSync(file, bytes);
    await assert.rejects(resolveModel(DETECTOR_ID, { modelsDir: dir.dir, cacheDir: dir.dir }), isError('model-checksum', /face_detection_yunet_2023mar\.onnx/, /expected 8f2383e4dd3c/, /found [0-9a-f]{12}/));
    const [status] = (await listModels({ modelsDir: dir.dir, cacheDir: dir.dir })).filter((s) => s.id === DETECTOR_ID);
    assert.equal(status?.state, 'mismatch');
    assert.equal(status?.files[0]?.sha256Ok, false);
  } finally {
    dir.cleanup();
  }
});

test('a corrupt ONNX file (verify off) fails with one model-corrupt line naming the file', skipUnless(noModelsReason), async () => {
  const dir = makeTempDir();
  try {
    const file = path.join(dir.dir, YUNET_FILE);
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const detector = await resolveModel(DETECTOR_ID, { modelsDir: dir.dir, cacheDir: dir.dir, verify: false });
    await assert.rejects(
      FrameAnalyzer.create({ detector, classifiers: [sharedModel(MOBILEFACENET_ID)], minFaceScore: 0.6, minFaceSize: 0, flipAverage: false }),
      isError('model-corrupt', new RegExp(`${YUNET_FILE}: cannot be loaded as an ONNX model`), /emotion-lens models --download/),
    );
  } finally {
    dir.cleanup();
  }
});

/** Serves `body` for every request on 127.0.0.1. */
async function serve(body: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': body.length });
    // Two writes, the second a little later. Progress comes more than once whatever the timing: a body larger
    // than 64 KiB (the model: 232 KB) arrives in several socket reads anyway.
    res.write(body.subarray(0, body.length >> 1));
    setTimeout(() => res.end(body.subarray(body.length >> 1)), 10);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/${YUNET_FILE}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function manifestWithUrl(url: string): ModelManifest {
  const manifest = structuredClone(loadManifest());
  manifest.models.find((m) => m.id === DETECTOR_ID)!.files[0]!.url = url;
  return manifest;
}

test('downloads a missing model into the cache with progress and sha256 check', skipUnless(noModelsReason), async () => {
  const cache = makeTempDir();
  const server = await serve(readFileSync(modelFile(DETECTOR_ID, YUNET_FILE)));
  try {
    const manifest = manifestWithUrl(server.url);
    await assert.rejects(resolveModel(DETECTOR_ID, { manifest, cacheDir: cache.dir }), isError('model-missing'));
    const progress: ModelDownloadProgress[] = [];
    const model = await resolveModel(DETECTOR_ID, { manifest, cacheDir: cache.dir, allowDownload: true, onProgress: (p) => progress.push(p) });
    const cached = path.join(cache.dir, DETECTOR_ID, YUNET_FILE);
    assert.equal(model.paths[0], cached);
    assert.ok(progress.length >= 2);
    assert.equal(progress.at(-1)!.receivedBytes, 232589);
    assert.equal(progress.at(-1)!.totalBytes, 232589);
    assert.ok(progress.every((p) => p.modelId === DETECTOR_ID && p.file === YUNET_FILE));
    // Found in the cache now, without downloading.
    const again = await resolveModel(DETECTOR_ID, { manifest: manifestWithUrl('http://127.0.0.1:1/none'), cacheDir: cache.dir });
    assert.equal(again.paths[0], cached);
  } finally {
    await server.close();
    cache.cleanup();
  }
});

test('a download with the wrong content is rejected and leaves nothing behind', skipUnless(noModelsReason), async () => {
  const cache = makeTempDir();
  const server = await serve(Buffer.from('not the model'.repeat(1000)));
  try {
    await assert.rejects(
      resolveModel(DETECTOR_ID, { manifest: manifestWithUrl(server.url), cacheDir: cache.dir, allowDownload: true }),
      isError('model-checksum'),
    );
    const modelDir = path.join(cache.dir, DETECTOR_ID);
    assert.deepEqual(existsSync(modelDir) ? readdirSync(modelDir) : [], []);
  } finally {
    await server.close();
    cache.cleanup();
  }
});

test('a model without a download URL says it must be placed by hand', async () => {
  const cache = makeTempDir();
  try {
    await assert.rejects(
      resolveModel('fer_xception_fer2013_oarriaga', { cacheDir: cache.dir, allowDownload: true }),
      isError('model-missing', /fer2013_big_xception_emotion\.onnx cannot be downloaded/, /by hand/),
    );
  } finally {
    cache.cleanup();
  }
});
