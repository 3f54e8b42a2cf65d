import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultSettings, ensembleOf, makeRequest } from '../../src/core/engine/analysisRequest';
import { loadManifest } from '../../src/core/models/modelManifest';
import { faceKind, SMALL_CROP_MAX_SIDE } from '../../src/core/vision/faceKind';

describe('the kind of face the default ensemble is weighted for', () => {
  test('a small still face crop analysed whole is a small crop; a video frame, a detected face or a larger crop is not', () => {
    const crop = { width: 48, height: 48, still: true };
    assert.equal(faceKind(crop, { source: 'wholeImage' }), 'smallCrop');
    assert.equal(faceKind({ ...crop, width: SMALL_CROP_MAX_SIDE, height: 60 }, { source: 'wholeImage' }), 'smallCrop');
    assert.equal(faceKind({ ...crop, width: SMALL_CROP_MAX_SIDE + 1 }, { source: 'wholeImage' }), 'face');
    assert.equal(faceKind({ width: 48, height: 48 }, { source: 'wholeImage' }), 'face', 'a video frame');
    assert.equal(faceKind(crop, { source: 'detected' }), 'face');
    assert.equal(faceKind(crop, {}), 'face');
  });
});

describe('the default ensemble in a request', () => {
  const ensemble = loadManifest().defaultEnsemble!;

  test('the default models are those of every face, then those only small crops use, with weights per kind', () => {
    const ids = [...new Set([...ensemble.models, ...(ensemble.smallCrops?.models ?? [])].map((m) => m.id))];
    assert.deepEqual(defaultSettings.expressionModels, ids);
    const sum = (w: readonly number[]) => w.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(defaultSettings.expressionWeights) - 1) < 1e-5);
    for (const m of ensemble.models) assert.ok(defaultSettings.expressionWeights[ids.indexOf(m.id)]! > 0, m.id);
    if (ensemble.smallCrops) {
      assert.ok(Math.abs(sum(defaultSettings.smallCrops!.weights) - 1) < 1e-5);
      for (const m of ensemble.smallCrops.models) assert.ok(defaultSettings.smallCrops!.weights[ids.indexOf(m.id)]! > 0, m.id);
      assert.equal(defaultSettings.smallCrops!.temperature, ensemble.smallCrops.temperature ?? 1);
    }
  });

  test('the small-crop weighting comes with the default models only, never with a choice of models or weights', () => {
    assert.deepEqual(makeRequest('a.mp4').settings.smallCrops, defaultSettings.smallCrops);
    assert.deepEqual(makeRequest('a.mp4', { settings: { expressionModels: [...defaultSettings.expressionModels].reverse() } }).settings.smallCrops?.temperature, defaultSettings.smallCrops?.temperature);
    assert.equal(makeRequest('a.mp4', { settings: { expressionModels: ['fer_mobilefacenet_2022july_int8'] } }).settings.smallCrops, undefined);
    const weighted = makeRequest('a.mp4', { settings: { expressionModels: defaultSettings.expressionModels, expressionWeights: defaultSettings.expressionModels.map(() => 1) } });
    assert.equal(weighted.settings.smallCrops, undefined);
    assert.deepEqual(weighted.settings.expressionWeights, defaultSettings.expressionModels.map(() => Math.round(1e6 / defaultSettings.expressionModels.length) / 1e6));
    // A document's own weighting (re-analysis with its settings) is kept as it is.
    const own = { weights: defaultSettings.expressionModels.map((_, i) => (i === 0 ? 1 : 0)), temperature: 0.5 };
    assert.deepEqual(makeRequest('a.mp4', { settings: { smallCrops: own } }).settings.smallCrops, own);
  });

  test('ensembleOf: the default models in another order get the default weights, each with its own model', () => {
    const reversed = [...defaultSettings.expressionModels].reverse();
    const { weights, smallCrops } = ensembleOf(reversed);
    reversed.forEach((id, i) => {
      const at = defaultSettings.expressionModels.indexOf(id);
      assert.equal(weights[i], defaultSettings.expressionWeights[at]);
      if (smallCrops) assert.equal(smallCrops.weights[i], defaultSettings.smallCrops!.weights[at]);
    });
  });
});
