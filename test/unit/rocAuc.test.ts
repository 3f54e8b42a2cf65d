import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ravdessLabel, rocAuc } from '../../scripts/evaluation/voiceArousal';

describe('rocAuc', () => {
  it('is 1 for a perfect separation, 0 for a reversed one, 0.5 for ties', () => {
    assert.equal(rocAuc([3, 4, 5], [0, 1, 2]), 1);
    assert.equal(rocAuc([0, 1], [2, 3]), 0);
    assert.equal(rocAuc([1, 1], [1, 1]), 0.5);
  });

  it('counts the share of positive-negative pairs ordered right, ties half', () => {
    // pairs: (2>1) (2<3) (4>1) (4>3) = 3 of 4
    assert.equal(rocAuc([2, 4], [1, 3]), 0.75);
    // pairs: (2=2) half, (2>1), (3>2), (3>1) = 3.5 of 4
    assert.equal(rocAuc([2, 3], [2, 1]), 0.875);
  });
});

describe('RAVDESS labels', () => {
  it('reads emotion and actor from the file name; disgust is in neither group', () => {
    assert.deepEqual(ravdessLabel('/x/03-01-05-02-01-01-02.wav'), { emotion: 'angry', actor: '02', arousal: 'high' });
    assert.deepEqual(ravdessLabel('03-01-02-01-01-01-01.wav'), { emotion: 'calm', actor: '01', arousal: 'low' });
    assert.equal(ravdessLabel('03-01-07-01-01-01-01.wav')?.arousal, undefined);
    assert.equal(ravdessLabel('interview.wav'), undefined);
  });
});
