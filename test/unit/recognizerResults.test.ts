import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseVoskResult, TOKEN_TAIL_SEC, wordsFromTokens } from '../../src/core/speech/recognizerResults';

describe('parseVoskResult', () => {
  it('reads words, times and confidences and lower-cases the text', () => {
    const json = JSON.stringify({
      result: [
        { conf: 1.0, end: 1.02, start: 0.6, word: 'And' },
        { conf: 0.42, end: 1.5, start: 1.02, word: 'so' },
      ],
      text: 'and so',
    });
    assert.deepEqual(parseVoskResult(json), [
      { text: 'and', startSec: 0.6, endSec: 1.02, confidence: 1 },
      { text: 'so', startSec: 1.02, endSec: 1.5, confidence: 0.42 },
    ]);
  });

  it('returns no words for an empty result, a result without words and invalid JSON', () => {
    assert.deepEqual(parseVoskResult('{"text": ""}'), []);
    assert.deepEqual(parseVoskResult('{"result": "oops"}'), []);
    assert.deepEqual(parseVoskResult('not json'), []);
  });

  it('skips malformed entries and defaults a missing confidence to 1', () => {
    const json = JSON.stringify({ result: [{ word: 'x' }, { word: 'ok', start: 2, end: 2.5 }] });
    assert.deepEqual(parseVoskResult(json), [{ text: 'ok', startSec: 2, endSec: 2.5, confidence: 1 }]);
  });
});

describe('wordsFromTokens', () => {
  it('joins BPE pieces into words (a space or ▁ starts a word) and offsets the times', () => {
    const words = wordsFromTokens({ tokens: [' AND', ' FE', 'LL', 'OW', '▁AMERICA', 'N', 'S'], timestamps: [0.64, 1.6, 1.64, 1.72, 1.92, 2.4, 2.48] }, 10);
    assert.deepEqual(words.map((w) => w.text), ['and', 'fellow', 'americans']);
    assert.deepEqual(words.map((w) => w.startSec), [10.64, 11.6, 11.92]);
  });

  it('ends a word a token-length after its last token, but never after the next word starts', () => {
    const words = wordsFromTokens({ tokens: [' A', ' B', 'C', ' D'], timestamps: [0, 0.1, 1.0, 3.0] }, 0);
    assert.equal(words[0]?.endSec, 0.1); // bounded by the start of "bc"
    assert.equal(words[1]?.endSec, 1.0 + TOKEN_TAIL_SEC);
    assert.equal(words[2]?.endSec, 3.0 + TOKEN_TAIL_SEC);
  });

  it('bounds the last word by the end of the audio', () => {
    const words = wordsFromTokens({ tokens: [' OTHER'], timestamps: [2.0] }, 18, 20.03);
    assert.equal(words[0]?.endSec, 20.03);
  });

  it('derives confidence from token log-probabilities (geometric mean) or gives 1 without them', () => {
    const withProbs = wordsFromTokens({ tokens: [' GO', 'OD'], timestamps: [0, 0.1], ys_probs: [Math.log(0.5), Math.log(0.8)] }, 0);
    assert.equal(withProbs[0]?.confidence, Math.round(Math.sqrt(0.5 * 0.8) * 1000) / 1000);
    const without = wordsFromTokens({ tokens: [' GOOD'], timestamps: [0] }, 0);
    assert.equal(without[0]?.confidence, 1);
  });

  it('skips special tokens and treats a first piece without a marker as a word start', () => {
    const words = wordsFromTokens({ tokens: ['ING', '<unk>', ' YES'], timestamps: [0.2, 0.3, 0.4] }, 0);
    assert.deepEqual(words.map((w) => w.text), ['ing', 'yes']);
  });
});
