import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import { scoreSentiment } from '../../src/core/text/sentiment';
import { sentimentLabel } from '../../src/shared/sentimentLabel';

describe('scoreSentiment (VADER)', () => {
  it('handles negation: "I am not happy at all" is negative', () => {
    const s = scoreSentiment('I am not happy at all');
    assert.equal(s.label, 'negative');
    assert.ok(s.compound < 0);
  });

  it('handles intensifiers: "very very good" scores above "good", both positive', () => {
    const boosted = scoreSentiment('very very good');
    const plain = scoreSentiment('good');
    assert.equal(plain.label, 'positive');
    assert.ok(boosted.compound > plain.compound, `${boosted.compound} vs ${plain.compound}`);
  });

  it('weights the clause after "but": good acting, terrible ending is negative', () => {
    assert.equal(scoreSentiment('The acting was good but the ending was terrible').label, 'negative');
  });

  it('is case-insensitive (ASR output is often upper case)', () => {
    for (const text of ['I am not happy at all', 'very very good', 'The acting was good but the ending was terrible']) {
      assert.deepEqual(scoreSentiment(text.toUpperCase()), scoreSentiment(text.toLowerCase()));
    }
  });

  it('lower-cases because raw VADER misreads ALL CAPS negation (the reason for the lower-casing)', () => {
    // VADER's negation list is lower case, so the upper-case sentence flips to positive without it.
    assert.ok(SentimentIntensityAnalyzer.polarity_scores('I AM NOT HAPPY AT ALL').compound > 0);
    assert.equal(scoreSentiment('I AM NOT HAPPY AT ALL').label, 'negative');
  });

  it('gives neutral for text without sentiment words and for empty text', () => {
    assert.equal(scoreSentiment('the table is next to the window').label, 'neutral');
    const empty = scoreSentiment('');
    assert.equal(empty.label, 'neutral');
    assert.equal(empty.compound, 0);
  });

  it('returns proportions that sum to about 1 and a compound in [-1, 1]', () => {
    const s = scoreSentiment('eleven workers lost their lives in a terrible explosion');
    assert.ok(Math.abs(s.pos + s.neu + s.neg - 1) < 0.01);
    assert.ok(s.compound >= -1 && s.compound <= 1);
  });
});

describe('sentimentLabel', () => {
  it('uses VADER thresholds: >= 0.05 positive, <= -0.05 negative, neutral between', () => {
    assert.equal(sentimentLabel(0.05), 'positive');
    assert.equal(sentimentLabel(0.0499), 'neutral');
    assert.equal(sentimentLabel(-0.0499), 'neutral');
    assert.equal(sentimentLabel(-0.05), 'negative');
  });
});
