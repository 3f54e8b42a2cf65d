// The expected effect of an adaptation in words (adapt's output, the panel's adaptation bar) and the safeguard's rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeguardAccepts, SAFEGUARD_Z } from '../../src/core/adaptation/learnAdaptation';
import { expectedEffectText } from '../../src/shared/adaptationAdvice';

describe('expected effect of an adaptation', () => {
  it('says the cross-validated gain in points and the label more corrections of would help most', () => {
    assert.equal(expectedEffectText({ baseAccuracy: 0.6, adaptedAccuracy: 0.724, weakestLabel: 'fearful' }), 'about +12 points on the faces you have not reviewed; more corrections of fearful would help most');
    assert.equal(expectedEffectText({ baseAccuracy: 0.7, adaptedAccuracy: 0.65 }), 'about \u22125 points on the faces you have not reviewed');
    assert.equal(expectedEffectText({ baseAccuracy: 0.7, adaptedAccuracy: 0.702 }), 'about the same accuracy as the model on the faces you have not reviewed');
  });

  it('gives a range from the safeguard\'s bound to the cross-validated gain when the bound is known', () => {
    assert.equal(expectedEffectText({ baseAccuracy: 0.6, adaptedAccuracy: 0.724, gainLowerBound: 0.046, weakestLabel: 'fearful' }), 'about +5 to +12 points on the faces you have not reviewed; more corrections of fearful would help most');
    assert.equal(expectedEffectText({ baseAccuracy: 0.6, adaptedAccuracy: 0.66, gainLowerBound: -0.03 }), 'about 0 to +6 points on the faces you have not reviewed');
    assert.equal(expectedEffectText({ baseAccuracy: 0.7, adaptedAccuracy: 0.65, gainLowerBound: -0.12 }), 'about \u22125 points on the faces you have not reviewed');
  });
});

describe('safeguard', () => {
  it('accepts only when the faces only the adaptation got right clearly outnumber those only the model got right', () => {
    assert.equal(safeguardAccepts(20, 5), (20 - 5) > SAFEGUARD_Z * Math.sqrt(25));
    assert.equal(safeguardAccepts(5, 5), false);
    assert.equal(safeguardAccepts(6, 5, -Infinity), true);
    assert.equal(safeguardAccepts(12, 5, 1), true, '7 > 1 x sqrt(17)');
    assert.equal(safeguardAccepts(12, 5, 2), false, '7 < 2 x sqrt(17)');
  });
});
