// Calibration measures and the temperature fit, on cases whose answer is known.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accuracy, expectedCalibrationError, fitTemperature, negativeLogLikelihood, temper } from '../../src/core/calibration/calibrationMath';

/** Seeded samples of a 3-class "model" whose logits are `sharpness` times the truth's plus noise. */
function samples(count: number, sharpness: number, seed = 1): { probs: number[]; label: number }[] {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: count }, () => {
    const logits = [gauss(), gauss(), gauss()];
    const probsTrue = temper(logits.map(Math.exp), 1);
    const u = random();
    const label = u < probsTrue[0]! ? 0 : u < probsTrue[0]! + probsTrue[1]! ? 1 : 2;
    return { probs: temper(logits.map((z) => Math.exp(z * sharpness)), 1), label };
  });
}

describe('calibration math', () => {
  it('temper keeps the ranking, softens with t > 1 and is the identity at t = 1', () => {
    const p = [0.7, 0.2, 0.1];
    temper(p, 1).forEach((v, i) => assert.ok(Math.abs(v - p[i]!) < 1e-12));
    const soft = temper(p, 2);
    assert.ok(soft[0]! < 0.7 && soft[0]! > soft[1]! && soft[1]! > soft[2]!);
    assert.ok(Math.abs(soft.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it('NLL, accuracy and ECE of a tiny worked example', () => {
    const set = [{ probs: [0.9, 0.1], label: 0 }, { probs: [0.6, 0.4], label: 1 }];
    assert.ok(Math.abs(negativeLogLikelihood(set) - (-Math.log(0.9) - Math.log(0.4)) / 2) < 1e-12);
    assert.equal(accuracy(set), 0.5);
    // Bins: 0.9 (right) gap 0.1, 0.6 (wrong) gap 0.6 -> (0.1 + 0.6) / 2.
    assert.ok(Math.abs(expectedCalibrationError(set, 10) - 0.35) < 1e-12);
  });

  it('recovers the temperature of an over-confident model, and fixing it lowers ECE and NLL', () => {
    const over = samples(4000, 3);
    const t = fitTemperature(over);
    assert.ok(t > 2.5 && t < 3.5, `fitted ${t}, the truth is 3`);
    const fixed = over.map((s) => ({ probs: temper(s.probs, t), label: s.label }));
    assert.ok(expectedCalibrationError(fixed) < expectedCalibrationError(over) / 3);
    assert.ok(negativeLogLikelihood(fixed) < negativeLogLikelihood(over));
    assert.equal(accuracy(fixed), accuracy(over));
    const calibrated = fitTemperature(samples(4000, 1, 7));
    assert.ok(calibrated > 0.85 && calibrated < 1.15, `a calibrated model keeps about 1, got ${calibrated}`);
  });

  it('weights let two sets count equally whatever their sizes: a fit on 4,000 and 400 samples with weights 1/n lands between them', () => {
    const big = samples(4000, 3, 3);
    const small = samples(400, 0.5, 5);
    const tBig = fitTemperature(big);
    const tSmall = fitTemperature(small);
    const pooled = fitTemperature([...big, ...small]);
    const balanced = fitTemperature([...big, ...small], [...big.map(() => 1 / big.length), ...small.map(() => 1 / small.length)]);
    assert.ok(tSmall < balanced && balanced < tBig, `${tSmall} < ${balanced} < ${tBig}`);
    assert.ok(balanced < pooled, `the big set pulls the unweighted fit toward its own (${pooled}) more than the balanced one (${balanced})`);
    // Weights equal to repeating a sample: twice the weight is the same fit as the sample listed twice.
    const twice = fitTemperature([...small, ...small, ...big]);
    const weighted = fitTemperature([...small, ...big], [...small.map(() => 2), ...big.map(() => 1)]);
    assert.ok(Math.abs(twice - weighted) < 1e-3, `${twice} vs ${weighted}`);
    assert.ok(Math.abs(negativeLogLikelihood(small, small.map(() => 3)) - negativeLogLikelihood(small)) < 1e-12);
  });
});
