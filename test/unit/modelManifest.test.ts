import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EmotionLensError } from '../../src/core/errors';
import {
  CANONICAL_LABELS, canonicalLabel, findModel, labelPermutation, loadManifest, mergeManifests, softmax, toCanonicalOrder, validateManifest,
} from '../../src/core/models/modelManifest';
import { defaultModelCacheDir } from '../../src/core/models/modelResolver';
import { makeTempDir } from '../helpers/testEnvironment';

test('softmax sums to 1, keeps the order, and survives large logits', () => {
  const p = softmax([1, 2, 3]);
  assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-12);
  assert.ok(p[2]! > p[1]! && p[1]! > p[0]!);
  assert.ok(Math.abs(p[2]! / p[1]! - Math.E) < 1e-9);
  const big = softmax([1000, 1000]);
  assert.deepEqual(big, [0.5, 0.5]);
});

test('synonyms map to the canonical labels', () => {
  assert.equal(canonicalLabel('fear'), 'fearful');
  assert.equal(canonicalLabel('Surprise'), 'surprised');
  assert.equal(canonicalLabel('happiness'), 'happy');
  assert.equal(canonicalLabel('contempt'), undefined);
});

test('the xception (FER2013) order is re-ordered into the canonical order', () => {
  const fer2013 = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'];
  const perm = labelPermutation(fer2013);
  assert.deepEqual(perm, [0, 1, 2, 3, 6, 4, 5]);
  // A one-hot "sad" in FER2013 order must come out as canonical "sad".
  const out = toCanonicalOrder([0, 0, 0, 0, 1, 0, 0], perm);
  assert.equal(CANONICAL_LABELS[out.indexOf(1)], 'sad');
});

test('labels without a canonical name are dropped and the rest renormalised; missing ones get 0', () => {
  const perm = labelPermutation(['neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt']);
  const out = toCanonicalOrder([0.4, 0.2, 0.1, 0.1, 0, 0, 0, 0.2], perm);
  assert.ok(Math.abs(out.reduce((a, b) => a + b) - 1) < 1e-12);
  assert.ok(Math.abs(out[CANONICAL_LABELS.indexOf('neutral')]! - 0.5) < 1e-12);
  const partial = toCanonicalOrder([0.3, 0.7], labelPermutation(['happy', 'sad']));
  assert.deepEqual(partial, [0, 0, 0, 0.3, 0, 0.7, 0]);
});

test('the bundled manifest validates and describes each shared model', () => {
  const manifest = loadManifest();
  const roles = new Map(manifest.models.map((m) => [m.id, m.role]));
  assert.equal(roles.get('face_detection_yunet_2023mar'), 'faceDetector');
  assert.equal(roles.get('fer_mobilefacenet_2022july_int8'), 'expression');
  assert.equal(roles.get('fer_xception_fer2013_oarriaga'), 'expression');
  assert.equal(roles.get('asr_zipformer_gigaspeech_3.3M_int8'), 'speech');
  assert.equal(roles.get('silero_vad'), 'vad');
  for (const m of manifest.models.filter((e) => e.role === 'expression')) {
    // Every expression model covers all seven canonical labels.
    assert.ok(labelPermutation(m.labels!).every((i) => i >= 0), m.id);
  }
  assert.throws(() => findModel(manifest, 'nope'), (e: unknown) => e instanceof EmotionLensError && e.code === 'model-missing' && /Known models/.test(e.message));
});

test('an invalid manifest is rejected with one line naming the entry and field', () => {
  const good = loadManifest();
  const broken = structuredClone(good);
  broken.models[1]!.input!.colorOrder = 'CMYK' as never;
  assert.throws(() => validateManifest(broken, 'm.json'), (e: unknown) => {
    assert.ok(e instanceof EmotionLensError);
    assert.equal(e.code, 'document-invalid');
    assert.match(e.message, /fer_mobilefacenet_2022july_int8\.input\.colorOrder/);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  const badSha = structuredClone(good);
  badSha.models[0]!.files[0]!.sha256 = 'abc';
  assert.throws(() => validateManifest(badSha, 'm.json'), /64-hex sha256/);
  assert.throws(() => validateManifest({ models: [good.models[0], good.models[0]] }, 'm.json'), /duplicate id/);
  assert.throws(() => validateManifest([], 'm.json'), /expected/);
});

test('a user manifest file loads and merges over the bundled one', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const base = loadManifest();
    const extra = { manifestVersion: 1, models: [{ ...base.models[1]!, id: 'my_model', labels: ['happy', 'sad'] }] };
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(extra));
    const merged = mergeManifests(base, loadManifest(file));
    assert.equal(merged.models.length, base.models.length + 1);
    assert.deepEqual(findModel(merged, 'my_model').labels, ['happy', 'sad']);
    writeFileSync(file, '{ nope');
    assert.throws(() => loadManifest(file), (e: unknown) => e instanceof EmotionLensError && e.message.includes(file));
  } finally {
    cleanup();
  }
});

test('default model cache folder per platform', () => {
  assert.equal(defaultModelCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), path.join('/x/cache', 'emotion-lens', 'models'));
  assert.match(defaultModelCacheDir({}, 'linux'), /\.cache[/\\]emotion-lens[/\\]models$/);
  assert.equal(defaultModelCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32'), path.join('C:\\Users\\u\\AppData\\Local', 'emotion-lens', 'models'));
  assert.match(defaultModelCacheDir({}, 'darwin'), /Library[/\\]Caches[/\\]emotion-lens[/\\]models$/);
});

test('input.spatial: YuNet is dynamic (multiple of 32, max side 640); bad values are rejected', () => {
  const good = loadManifest();
  assert.deepEqual(findModel(good, 'face_detection_yunet_2023mar').input!.spatial, { kind: 'dynamic', multipleOf: 32, maxSide: 640 });
  const withSpatial = (index: number, spatial: unknown) => {
    const m = structuredClone(good);
    (m.models[index]!.input as { spatial?: unknown }).spatial = spatial;
    return () => validateManifest(m, 'm.json');
  };
  withSpatial(0, { kind: 'fixed' })();
  assert.throws(withSpatial(0, { kind: 'stretchy' }), /face_detection_yunet_2023mar\.input\.spatial\.kind must be fixed or dynamic/);
  assert.throws(withSpatial(0, { kind: 'dynamic', multipleOf: 0, maxSide: 640 }), /multipleOf must be a positive integer/);
  assert.throws(withSpatial(0, { kind: 'dynamic', multipleOf: 32, maxSide: 16 }), /maxSide must be an integer >= multipleOf/);
  assert.throws(withSpatial(1, { kind: 'dynamic', multipleOf: 32, maxSide: 640 }), /only supported for face detectors/);
});
