// The kappa arithmetic against published worked examples: Fleiss (1971) as the Wikipedia "Fleiss' kappa"
// article works it (10 subjects, 14 raters, 5 categories, kappa 0.210), and the Wikipedia "Cohen's kappa"
// examples (50 proposals 20/5/10/15, kappa 0.40; two tables with the same 60 % agreement, kappa 0.1304 and 0.2593).
// Then the degenerate cases, which must give null with a reason, never NaN.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cohenKappa, fleissKappa } from '../../src/core/agreement/kappa';

/** Wikipedia "Fleiss' kappa", worked example: n_ij, 14 raters per subject, categories 1..5. */
const FLEISS_EXAMPLE = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

const round = (value: number | null, digits: number) => (value === null ? null : Number(value.toFixed(digits)));

describe("Fleiss' kappa", () => {
  test('the worked example: p_j, P_i, P̄ = 0.378, P̄e = 0.213, kappa = 0.210', () => {
    const result = fleissKappa(FLEISS_EXAMPLE);
    assert.equal(result.subjects, 10);
    assert.equal(result.raters, 14);
    assert.deepEqual(result.categoryShares.map((p) => round(p, 3)), [0.143, 0.2, 0.279, 0.15, 0.229]);
    assert.deepEqual(result.subjectAgreement.map((p) => round(p, 3)), [1, 0.253, 0.308, 0.44, 0.33, 0.462, 0.242, 0.176, 0.286, 0.286]);
    assert.equal(round(result.observed, 3), 0.378);
    assert.equal(round(result.expected, 3), 0.213);
    assert.equal(round(result.kappa, 3), 0.21);
    assert.equal(result.reason, undefined);
  });

  test('perfect agreement over two categories is 1; every rating in one category is null with a reason', () => {
    assert.equal(fleissKappa([[3, 0], [0, 3], [3, 0]]).kappa, 1);
    const one = fleissKappa([[3, 0], [3, 0]], ['happy', 'sad']);
    assert.equal(one.kappa, null);
    assert.equal(one.observed, 1);
    assert.equal(one.expected, 1);
    assert.match(one.reason ?? '', /every label is "happy".*expected by chance is 1/);
  });

  test('no subjects, or fewer than two ratings each: null with a reason; unequal ratings are an error', () => {
    const none = fleissKappa([], ['a', 'b']);
    assert.deepEqual([none.kappa, none.observed, none.expected, none.subjects], [null, null, null, 0]);
    assert.match(none.reason ?? '', /no face/);
    assert.match(fleissKappa([[1, 0]]).reason ?? '', /at least two ratings/);
    assert.throws(() => fleissKappa([[2, 1], [1, 1]]), /same number/);
  });

  test('never NaN: systematic disagreement is negative and finite', () => {
    const result = fleissKappa([[1, 1], [1, 1]]);
    assert.ok(Number.isFinite(result.kappa));
    assert.equal(result.kappa, -1);
  });
});

describe("Cohen's kappa", () => {
  test('Wikipedia example: 50 proposals, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o 0.7, p_e 0.5, kappa 0.4', () => {
    const result = cohenKappa([[20, 5], [10, 15]]);
    assert.equal(result.subjects, 50);
    assert.equal(round(result.observed, 6), 0.7);
    assert.equal(round(result.expected, 6), 0.5);
    assert.equal(round(result.kappa, 6), 0.4);
  });

  test('Wikipedia: the same 60 % agreement gives kappa 0.1304 (45/15/25/15) and 0.2593 (25/35/5/35)', () => {
    const a = cohenKappa([[45, 15], [25, 15]]);
    assert.deepEqual([round(a.observed, 4), round(a.expected, 4), round(a.kappa, 4)], [0.6, 0.54, 0.1304]);
    const b = cohenKappa([[25, 35], [5, 35]]);
    assert.deepEqual([round(b.observed, 4), round(b.expected, 4), round(b.kappa, 4)], [0.6, 0.46, 0.2593]);
  });

  test('degenerate tables: empty is null (nothing compared), one category only is null (expected 1)', () => {
    const empty = cohenKappa([[0, 0], [0, 0]]);
    assert.deepEqual([empty.kappa, empty.observed, empty.subjects], [null, null, 0]);
    assert.match(empty.reason ?? '', /no face/);
    const one = cohenKappa([[0, 0], [0, 7]], ['happy', 'neutral']);
    assert.deepEqual([one.kappa, one.observed, one.expected], [null, 1, 1]);
    assert.match(one.reason ?? '', /"neutral"/);
    assert.throws(() => cohenKappa([[1, 2]]), /square/);
  });

  test('perfect agreement is 1 in both', () => {
    assert.equal(cohenKappa([[4, 0], [0, 6]]).kappa, 1);
    assert.equal(fleissKappa([[2, 0], [2, 0], [0, 2]]).kappa, 1);
  });
});
