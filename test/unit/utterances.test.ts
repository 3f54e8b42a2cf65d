import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecognizedWord } from '../../src/core/speech/speechTypes';
import { splitUtterances } from '../../src/core/text/utterances';

/** Words from [text, start, end] triples. */
function words(...list: [string, number, number][]): RecognizedWord[] {
  return list.map(([text, startSec, endSec]) => ({ text, startSec, endSec, confidence: 1 }));
}

describe('splitUtterances', () => {
  const sample = words(['and', 0.5, 0.7], ['so', 0.8, 1.0], ['my', 1.1, 1.3], ['friends', 2.5, 2.9], ['ask', 3.0, 3.3], ['not', 3.4, 3.6]);

  it('returns nothing for no words', () => {
    assert.deepEqual(splitUtterances([], [1, 2]), []);
  });

  it('splits at a pause of at least pauseSec and keeps shorter pauses inside an utterance', () => {
    const spans = splitUtterances(sample, [], { pauseSec: 0.6 });
    assert.equal(spans.length, 2);
    assert.deepEqual(spans[0], { startSec: 0.5, endSec: 1.3, text: 'and so my', wordStart: 0, wordEnd: 3 });
    assert.deepEqual(spans[1], { startSec: 2.5, endSec: 3.6, text: 'friends ask not', wordStart: 3, wordEnd: 6 });
  });

  it('treats a pause exactly equal to pauseSec as a split, and uses 0.6 s by default', () => {
    const two = words(['a', 0, 0.5], ['b', 1.1, 1.4]);
    assert.equal(splitUtterances(two, []).length, 2);
    assert.equal(splitUtterances(two, [], { pauseSec: 0.61 }).length, 1);
  });

  it('splits at an engine endpoint even when the pause is short', () => {
    // endpoint 3.3 = end of "ask": it lies after the start of "ask" and before the start of "not".
    const spans = splitUtterances(sample, [3.3], { pauseSec: 5 });
    assert.deepEqual(spans.map((s) => s.text), ['and so my friends ask', 'not']);
  });

  it('places an endpoint detected later (inside the pause) between the same two words', () => {
    const spans = splitUtterances(sample, [1.9], { pauseSec: 5 });
    assert.deepEqual(spans.map((s) => [s.wordStart, s.wordEnd]), [[0, 3], [3, 6]]);
  });

  it('ignores endpoints before the first word or after the last, and unsorted input', () => {
    const spans = splitUtterances(sample, [9, 0.1, 3.3], { pauseSec: 5 });
    assert.equal(spans.length, 2);
  });

  it('cuts an utterance before the word that would make it longer than maxUtteranceSec', () => {
    const spans = splitUtterances(sample, [], { pauseSec: 5, maxUtteranceSec: 1.5 });
    // "and so my" spans 0.5-1.3; adding "friends" (ends 2.9) would make 2.4 s.
    assert.deepEqual(spans.map((s) => s.text), ['and so my', 'friends ask not']);
    for (const s of spans) assert.ok(s.endSec - s.startSec <= 1.5);
  });

  it('covers every word exactly once, in order', () => {
    const spans = splitUtterances(sample, [1.0, 3.3], { pauseSec: 0.3 });
    let next = 0;
    for (const s of spans) {
      assert.equal(s.wordStart, next);
      assert.ok(s.wordEnd > s.wordStart);
      next = s.wordEnd;
    }
    assert.equal(next, sample.length);
  });
});
