// The analysis child process and the worker threads word their errors' hints as the process that starts them
// does: the real child (dist/analysisProcess.js), the real speech worker and the real frame workers.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import type { AnalysisRequest, RequestOverrides } from '../../src/core/engine/analysisRequest';
import { analyzeInChildProcess } from '../../src/core/engine/childProcess/engineClient';
import { EmotionLensError } from '../../src/core/errors';
import { CLI_FIX_NAMES, useFixNames } from '../../src/core/fixNames';
import type { FixNames } from '../../src/core/fixNames';
import { resolveModel } from '../../src/core/models/modelResolver';
import { transcribe } from '../../src/core/speech/transcribe';
import { FrameAnalyzerPool } from '../../src/core/vision/frameAnalyzerPool';
import { VSCODE_FIX_NAMES } from '../../src/extension/fixNamesForVsCode';
import { noFfmpegReason, runFfmpeg } from '../helpers/mediaFixtures';
import { makeTempDir, noModelsReason, repoRoot, skipUnless } from '../helpers/testEnvironment';
import { MOBILEFACENET_ID, sharedModel } from '../helpers/visionFixtures';

// What a user without the bundled default models sees (a source checkout before bundleModels, or a damaged install).
process.env.EMOTION_LENS_NO_BUNDLED_MODELS = '1';

const processScript = path.join(repoRoot, 'dist', 'analysisProcess.js');
const noBundle = existsSync(processScript) ? undefined : 'dist/analysisProcess.js is not built (npm test builds it; or run node esbuild.js)';
const CLI_WORDING = /(^|[\s(`'"])--[a-z]|emotion-lens |EMOTION_LENS_/;

const temp = makeTempDir();
after(temp.cleanup);
afterEach(() => useFixNames(CLI_FIX_NAMES));

function folder(name: string): string {
  const dir = path.join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The child's one-line failure, the child started by a parent that words its hints with `names` (default: the CLI's). */
async function childFailure(request: AnalysisRequest, names: FixNames = CLI_FIX_NAMES): Promise<EmotionLensError> {
  useFixNames(names);
  const error = await analyzeInChildProcess(request, { processScript }).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof EmotionLensError, `expected a one-line failure, got ${String(error)}`);
  return error;
}

function childRequest(input: string, overrides: RequestOverrides): AnalysisRequest {
  return makeRequest(input, { ...overrides, settings: { speech: false } });
}

describe('the analysis child process', skipUnless(noBundle), () => {
  test('names the ffmpeg setting when started by VS Code, the flag when started by the CLI', async () => {
    const dir = folder('ffmpeg');
    const overrides = { outDir: dir, ffmpeg: { ffmpegPath: path.join(dir, 'no-such-ffmpeg') }, models: { cacheDir: dir } };
    const vscode = await childFailure(childRequest(path.join(dir, 'clip.mp4'), overrides), VSCODE_FIX_NAMES);
    assert.equal(vscode.code, 'ffmpeg-missing');
    assert.ok(vscode.message.includes(VSCODE_FIX_NAMES.ffmpegLocation), vscode.message);
    assert.doesNotMatch(vscode.message, CLI_WORDING);
    const cli = await childFailure(childRequest(path.join(dir, 'clip.mp4'), overrides));
    assert.equal(cli.code, 'ffmpeg-missing');
    assert.match(cli.message, /or set --ffmpeg \/ EMOTION_LENS_FFMPEG\.$/, 'the CLI wording, with the period engineClient adds');
  });

  test('names the models folder setting and the download command when the models folder is empty', skipUnless(noFfmpegReason), async () => {
    const dir = folder('models');
    const still = path.join(dir, 'still.png');
    await runFfmpeg(['-f', 'lavfi', '-i', 'color=c=gray:s=64x48', '-frames:v', '1', still]);
    const error = await childFailure(childRequest(still, { outDir: dir, models: { modelsDir: folder('models/empty'), cacheDir: folder('models/cache') } }), VSCODE_FIX_NAMES);
    assert.equal(error.code, 'model-missing', error.message);
    assert.ok(error.message.includes(`To fix: set ${VSCODE_FIX_NAMES.modelsFolder}, or run ${VSCODE_FIX_NAMES.modelDownload}.`), error.message);
    assert.doesNotMatch(error.message, CLI_WORDING);
    assert.ok(!existsSync(`${still}.emotion.json`), 'a failed run writes no document');
  });

  test('refuses fix names that are not plain one-line strings', async () => {
    const dir = folder('invalid');
    const request = childRequest(path.join(dir, 'clip.mp4'), { outDir: dir, models: { cacheDir: dir } });
    const error = await childFailure(request, { ...VSCODE_FIX_NAMES, ffmpegLocation: 'x'.repeat(10_000) });
    assert.equal(error.code, 'internal');
    assert.match(error.message, /fixNames "ffmpegLocation" must be one non-empty line/);
  });
});

describe('worker threads take the names of the thread that starts them', () => {
  test('the speech worker: a damaged tokens.txt names the speech model folder setting', async () => {
    const dir = folder('sherpa');
    for (const role of ['encoder', 'decoder', 'joiner']) writeFileSync(path.join(dir, `${role}.onnx`), 'not checked before tokens.txt');
    writeFileSync(path.join(dir, 'tokens.txt'), 'one-token-only 0\n');
    useFixNames(VSCODE_FIX_NAMES);
    async function* silence(): AsyncGenerator<Int16Array> {
      yield new Int16Array(1600);
    }
    const error = await transcribe(silence(), { engine: 'sherpa-onnx', modelDir: dir, modelId: 'damaged' }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof EmotionLensError, String(error));
    assert.equal(error.code, 'speech-model');
    assert.ok(error.message.includes(`point ${VSCODE_FIX_NAMES.speechModelFolder} at a complete model folder`), error.message);
    assert.doesNotMatch(error.message, CLI_WORDING);
  });

  test('a frame worker: a detector that is not ONNX names the download command', skipUnless(noModelsReason), async () => {
    const dir = folder('frames');
    writeFileSync(path.join(dir, 'face_detection_yunet_2023mar.onnx'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const detector = await resolveModel('face_detection_yunet_2023mar', { modelsDir: dir, cacheDir: dir, verify: false });
    useFixNames(VSCODE_FIX_NAMES);
    const config = { detector, classifiers: [sharedModel(MOBILEFACENET_ID)], minFaceScore: 0.6, minFaceSize: 0, flipAverage: false };
    const error = await FrameAnalyzerPool.create(config, { threads: 1 }).then(async (pool) => pool.close(), (e: unknown) => e);
    assert.ok(error instanceof EmotionLensError, String(error));
    assert.equal(error.code, 'model-corrupt');
    assert.ok(error.message.includes(`Delete it and run ${VSCODE_FIX_NAMES.modelDownload}`), error.message);
    assert.doesNotMatch(error.message, CLI_WORDING);
  });
});
