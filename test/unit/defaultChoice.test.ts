// The rule that chooses the default ensemble (scripts/evaluation/defaultChoice.ts), on sets whose answer is known:
// the cheaper candidate wins when it is within one standard error of the best, and only then.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseForKind, pairedStandardError } from '../../scripts/evaluation/defaultChoice';
import type { Candidate, DevSet, Unit } from '../../scripts/evaluation/ensembleSearch';
import { rankCandidates } from '../../scripts/evaluation/ensembleSearch';
import type { MemberCost } from '../../scripts/evaluation/memberCost';

const RIGHT = [0.8, 0.1, 0.1];
const WRONG = [0.1, 0.8, 0.1];

/** A set of 100 faces (label 0) that model `a` gets right on `aRight` of and model `b` on `bRight` of. */
function set(name: string, aRight: (i: number) => boolean, bRight: (i: number) => boolean): DevSet {
  const units = (right: (i: number) => boolean): Unit[] => Array.from({ length: 100 }, (_, i) => ({ label: 0, kind: 'face', frames: [{ timeSec: 0, probs: right(i) ? RIGHT : WRONG }] }));
  return { name, video: false, byMember: new Map([['a', units(aRight)], ['b', units(bRight)]]) };
}

const candidates: Candidate[] = [
  { models: ['a', 'b'], weights: [1, 0], align: true, flip: false },
  { models: ['a', 'b'], weights: [0, 1], align: true, flip: false },
];
const cost = (model: string, ms: number): MemberCost => ({ model, faces: 100, alignMs: 0, inferMs: ms, flipAlignMs: 0, flipInferMs: 2 * ms, detectMs: 0 });
const costs = [cost('a', 10), cost('b', 1)];
const temperatures = new Map([['a', 1], ['b', 1]]);

describe('choosing the default', () => {
  it('the standard error of a paired difference: per set the variance of the differences over its count, averaged over sets', () => {
    // a is right on 2 faces b misses, b on 1 that a misses, in the first set; the second set is the same for both.
    const sets = [set('one', (i) => i < 62, (i) => i < 60 || i === 99), set('two', (i) => i < 50, (i) => i < 50)];
    const [best, other] = rankCandidates(sets, candidates, temperatures);
    assert.equal(best!.candidate.weights[0], 1);
    const d = [...new Array<number>(97).fill(0), 1, 1, -1];
    const m = d.reduce((a, b) => a + b) / 100;
    const variance = d.reduce((v, x) => v + (x - m) ** 2, 0) / 99 / 100;
    assert.ok(Math.abs(pairedStandardError(best!, other!) - Math.sqrt(variance) / 2) < 1e-12);
  });

  it('takes the cheaper candidate when it is within one standard error of the best, the best otherwise', () => {
    const close = [set('one', (i) => i < 62, (i) => i < 60 || i === 99), set('two', (i) => i < 50, (i) => i < 50)];
    const near = chooseForKind(close, 'all', candidates, temperatures, costs)!;
    assert.equal(near.best.candidate.weights[0], 1, 'a is the best');
    assert.equal(near.chosen.candidate.weights[1], 1, 'b, ten times cheaper, is within noise');
    assert.ok(near.best.score - near.chosen.score <= near.standardError);
    const far = [set('one', (i) => i < 70, (i) => i < 60), set('two', (i) => i < 60, (i) => i < 50)];
    assert.equal(chooseForKind(far, 'all', candidates, temperatures, costs)!.chosen.candidate.weights[0], 1, 'ten faces a set is more than noise');
    assert.equal(chooseForKind(close, 'all', candidates, temperatures, costs, false)!.chosen.candidate.weights[0], 1, 'without the cost rule, the best');
  });

  it('a kind no set has enough faces of gets no choice of its own', () => {
    assert.equal(chooseForKind([set('one', () => true, () => true)], 'smallCrop', candidates, temperatures, costs), undefined);
  });
});
