// First-run model setup: what is missing, what can be downloaded, what must be placed by hand. Uses the real
// manifest and the real resolver on temporary folders (and the shared models when present); no network.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadManifest } from '../../src/core/models/modelManifest';
import { listModels } from '../../src/core/models/modelResolver';
import { modelSetupPlan, modelSetupQuestion, neededModelIds } from '../../src/extension/modelSetupPlan';
import { makeTempDir, modelsDir, noModelsReason, skipUnless } from '../helpers/testEnvironment';

// What a user without the bundled default models sees (a source checkout before bundleModels, or a damaged install).
process.env.EMOTION_LENS_NO_BUNDLED_MODELS = '1';

const manifest = loadManifest();
const DETECTOR = 'face_detection_yunet_2023mar';
const FER = 'fer_mobilefacenet_2022july_int8';
const XCEPTION = 'fer_xception_fer2013_oarriaga';
const bytesOf = (id: string) => manifest.models.find((m) => m.id === id)?.files.reduce((n, f) => n + f.bytes, 0) ?? Number.NaN;

const temp = makeTempDir();
after(() => temp.cleanup());

async function planFor(options: { modelsDir?: string; cacheDir: string; verify: boolean }, needed = neededModelIds([FER])) {
  return modelSetupPlan(await listModels(options), needed, manifest);
}

test('the detector is always needed, with the expression models of the settings, once each', () => {
  assert.deepEqual(neededModelIds([FER, FER, XCEPTION]), [DETECTOR, FER, XCEPTION]);
});

describe('modelSetupPlan', () => {
  test('first run, empty cache: both default models are downloadable, with their size', async () => {
    const plan = await planFor({ cacheDir: path.join(temp.dir, 'empty'), verify: false });
    assert.equal(plan.ready, false);
    assert.deepEqual(plan.downloadable, [DETECTOR, FER]);
    assert.deepEqual(plan.manual, []);
    assert.equal(plan.downloadBytes, bytesOf(DETECTOR) + bytesOf(FER));
    assert.match(modelSetupQuestion(plan), new RegExp(`needs ${DETECTOR}, ${FER} \\(1\\.5 MB download, checked by sha256\\)`));
  });

  test('a model without a public copy must be placed by hand; an unknown id is named', async () => {
    const plan = await planFor({ cacheDir: path.join(temp.dir, 'empty'), verify: false }, [DETECTOR, XCEPTION, 'no_such_model']);
    assert.deepEqual(plan.downloadable, [DETECTOR]);
    assert.deepEqual(plan.manual, [XCEPTION]);
    assert.deepEqual(plan.unknown, ['no_such_model']);
    const question = modelSetupQuestion(plan);
    assert.match(question, /fer_xception_fer2013_oarriaga cannot be downloaded \(no public copy\): choose a folder that has it\./);
    assert.match(question, /Unknown model id in emotionLens\.expressionModels: no_such_model\./);
  });

  test('a damaged file in our cache is replaced by a download; one in the user folder is left to the user', async () => {
    const cacheDir = path.join(temp.dir, 'cache');
    const userDir = path.join(temp.dir, 'user');
    const detectorFile = manifest.models.find((m) => m.id === DETECTOR)?.files[0]?.name ?? '';
    const ferFile = manifest.models.find((m) => m.id === FER)?.files[0]?.name ?? '';
    mkdirSync(path.join(cacheDir, DETECTOR), { recursive: true });
    writeFileSync(path.join(cacheDir, DETECTOR, detectorFile), 'not a model');
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, ferFile), 'not a model either');

    const plan = await planFor({ modelsDir: userDir, cacheDir, verify: true });
    assert.equal(plan.ready, false);
    assert.deepEqual(plan.damagedInCache, [path.join(cacheDir, DETECTOR, detectorFile)]);
    assert.deepEqual(plan.damagedElsewhere, [path.join(userDir, ferFile)]);
    assert.deepEqual(plan.downloadable, [DETECTOR], 'the user-folder copy shadows the cache, so downloading would not help');
    assert.equal(plan.downloadBytes, bytesOf(DETECTOR));
    assert.match(modelSetupQuestion(plan), /Damaged \(sha256 mismatch\), replace by hand: .*user/);

    // Without hashing, the same files look present: the cheap pre-analysis check cannot see damage.
    assert.equal((await planFor({ modelsDir: userDir, cacheDir, verify: false })).ready, true);
  });

  test('the shared models folder has everything the defaults need, verified', skipUnless(noModelsReason), async () => {
    const plan = await planFor({ modelsDir, cacheDir: path.join(temp.dir, 'empty'), verify: true });
    assert.equal(plan.ready, true, modelSetupQuestion(plan));
    assert.equal(plan.downloadBytes, 0);
  });
});
