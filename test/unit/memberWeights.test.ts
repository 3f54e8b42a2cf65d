// The member weights ("trust that network" with a handful of parameters), the stacked model on standardised
// features, and the log-likelihood evidence the adaptation reports: each against a case whose answer is known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitStandardised, learnAdaptation, SAFEGUARD_Z, SHIPPED_SETTINGS, standardScore } from '../../src/core/adaptation/learnAdaptation';
import type { CorrectedFace } from '../../src/core/adaptation/learnAdaptation';
import { fitMemberWeights, memberParameterCount } from '../../src/core/adaptation/memberWeights';
import type { FeatureFace } from '../../src/core/adaptation/stackedModel';
import { fitStacked, stackedProbs } from '../../src/core/adaptation/stackedModel';
import { argmax } from '../../src/shared/probabilityVectors';

const CLASSES = 3;
const GEOMETRY = 2;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function centredLogs(probs: readonly number[]): number[] {
  const logs = probs.map((p) => Math.log(p));
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return logs.map((v) => v - mean);
}

function normalised(values: number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => v / total);
}

/**
 * The default follows member 0, which mostly says label 0; member 1 sees the true label. Features: both members'
 * centred log-probabilities, then two geometry columns of noise.
 */
function faces(count: number, seed: number): FeatureFace[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const label = i % CLASSES;
    const blind = normalised([0.6 + 0.2 * next(), 0.2 + 0.1 * next(), 0.2 + 0.1 * next()]);
    const seeing = normalised(Array.from({ length: CLASSES }, (_, k) => (k === label ? 0.6 : 0.2) + 0.3 * next()));
    return { probs: blind, features: [...centredLogs(blind), ...centredLogs(seeing), ...Array.from({ length: GEOMETRY }, () => next())], label };
  });
}

const accuracy = (list: readonly FeatureFace[], predict: (f: FeatureFace) => number[]) => list.filter((f) => argmax(predict(f)) === f.label).length / list.length;

describe('member weights', () => {
  it('count a shift per label and one weight per model, or per model and label', () => {
    assert.equal(memberParameterCount('members', 7, 2), 9);
    assert.equal(memberParameterCount('member-diagonal', 7, 2), 21);
  });

  it('learn to trust the model that sees the label, and weigh nothing else', () => {
    const train = faces(60, 1);
    const test = faces(300, 2);
    for (const form of ['members', 'member-diagonal'] as const) {
      const fit = fitMemberWeights(train, CLASSES, 2, 1, form);
      const seeing = fit.featureWeights.map((row, k) => row[CLASSES + k]!);
      const blind = fit.featureWeights.map((row, k) => row[k]!);
      assert.ok(seeing.every((w, k) => w > 0.5 && w > blind[k]!), `${form}: seeing ${seeing.join()} blind ${blind.join()}`);
      // Only where a model's log-probability of a label meets that label's logit.
      fit.featureWeights.forEach((row, k) => row.forEach((w, j) => j !== k && j !== CLASSES + k && assert.equal(w, 0)));
      const model = accuracy(test, (f) => f.probs as number[]);
      const adapted = accuracy(test, (f) => stackedProbs(fit, f.probs, f.features));
      assert.ok(model < 0.45 && adapted > 0.8, `${form}: model ${model}, adapted ${adapted}`);
    }
  });

  it('are the default when there is nothing to learn from', () => {
    const fit = fitMemberWeights([], CLASSES, 2, 1, 'members');
    assert.ok(fit.bias.every((b) => b === 0));
  });
});

describe('stacked model on standardised features', () => {
  it('gives, on the raw features, what the fit on standardised features gives on those', () => {
    const train = faces(40, 3).map((f) => ({ ...f, features: f.features.map((v, j) => (j >= 2 * CLASSES ? 10 * v + 3 : v)) }));
    const width = train[0]!.features.length;
    const mean = Array.from({ length: width }, (_, j) => train.reduce((s, f) => s + f.features[j]!, 0) / train.length);
    const spread = mean.map((m, j) => Math.sqrt(train.reduce((s, f) => s + (f.features[j]! - m) ** 2, 0) / train.length));
    const scaled = train.map((f) => ({ ...f, features: f.features.map((v, j) => (v - mean[j]!) / spread[j]!) }));
    const direct = fitStacked(scaled, CLASSES, 3);
    const back = fitStandardised(train, CLASSES, 3);
    train.forEach((f, i) => {
      const a = stackedProbs(back, f.probs, f.features);
      const b = stackedProbs(direct, f.probs, scaled[i]!.features);
      a.forEach((v, k) => assert.ok(Math.abs(v - b[k]!) < 1e-9, `${v} vs ${b[k]}`));
    });
  });
});

describe('log-likelihood evidence', () => {
  it('is the mean over its standard error', () => {
    assert.ok(Math.abs(standardScore([1, 2, 3]) - 2 * Math.sqrt(3)) < 1e-12);
    assert.equal(standardScore([2, 2, 2]), 0);
    assert.equal(standardScore([5]), 0);
  });

  it('is clearly positive when the adaptation predicts the corrections better, and the shipped learner tries the member forms', () => {
    const labels = ['a', 'b', 'c'];
    const corrected: CorrectedFace[] = faces(60, 4).map((f, i) => ({ ...f, features: [...f.features], group: `doc${i}#1`, timeSec: 0, members: ['blind', 'seeing'] }));
    assert.ok(SHIPPED_SETTINGS.memberForms.length > 0);
    const fit = learnAdaptation(labels, corrected, 60);
    assert.ok(fit.likelihoodZ > 3, `z ${fit.likelihoodZ}`);
    assert.equal(fit.refusal, undefined, fit.refusal);
    const bound = (fit.onlyAdapted - fit.onlyBase - SAFEGUARD_Z * Math.sqrt(fit.onlyAdapted + fit.onlyBase)) / fit.corrections;
    assert.ok(Math.abs(fit.gainLowerBound - bound) < 1e-12 && bound > 0 && bound < fit.adaptedAccuracy - fit.baseAccuracy);
    const none = learnAdaptation(labels, corrected, 60, { ...SHIPPED_SETTINGS, memberForms: [], stackedPenalties: [] });
    assert.ok(!['members', 'member-diagonal', 'stacked'].includes(none.form));
  });
});
