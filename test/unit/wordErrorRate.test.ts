import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeWords, wordErrorRate } from '../../src/core/text/wordErrorRate';

describe('wordErrorRate', () => {
  it('is zero for the same words regardless of case and punctuation', () => {
    const r = wordErrorRate('And so, my fellow Americans!', 'and so my fellow americans');
    assert.deepEqual(r, { errors: 0, words: 5, rate: 0 });
  });

  it('counts a substitution, a deletion and an insertion as one error each', () => {
    assert.equal(wordErrorRate('ask not what', 'asked not what').errors, 1);
    assert.equal(wordErrorRate('ask not what', 'ask what').errors, 1);
    assert.equal(wordErrorRate('ask not what', 'ask not not what').errors, 1);
  });

  it('splits one word into two as one substitution plus one insertion', () => {
    // "your" -> "you are": the greedy-search mistake described in the model notes.
    const r = wordErrorRate('what your country can do', 'what you are country can do');
    assert.equal(r.errors, 2);
    assert.equal(r.rate, 2 / 5);
  });

  it('gives 1/22 for the jfk reference against the beam-search hypothesis with one wrong word', () => {
    const reference = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
    const hypothesis = 'and so my fellow americans asked not what your country can do for you ask what you can do for your country';
    assert.deepEqual(wordErrorRate(reference, hypothesis), { errors: 1, words: 22, rate: 1 / 22 });
  });

  it('handles empty inputs', () => {
    assert.deepEqual(wordErrorRate('', ''), { errors: 0, words: 0, rate: 0 });
    assert.deepEqual(wordErrorRate('one two', ''), { errors: 2, words: 2, rate: 1 });
    assert.equal(wordErrorRate('', 'extra words').errors, 2);
  });

  it('keeps apostrophes inside words but drops quotes around them', () => {
    assert.deepEqual(normalizeWords("It WON'T count, 'much'."), ['it', "won't", 'count', 'much']);
  });
});
