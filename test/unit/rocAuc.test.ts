import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arousalAuc, ravdessLabel, rocAuc } from '../../scripts/evaluation/voiceArousal';

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

describe('RAVDESS labels and the arousal AUC', () => {
  it('reads emotion and actor from the file name; disgust is in neither group', () => {
    assert.deepEqual(ravdessLabel('/x/03-01-05-02-01-01-02.wav'), { emotion: 'angry', actor: '02', arousal: 'high' });
    assert.deepEqual(ravdessLabel('03-01-02-01-01-01-01.wav'), { emotion: 'calm', actor: '01', arousal: 'low' });
    assert.equal(ravdessLabel('03-01-07-01-01-01-01.wav')?.arousal, undefined);
    assert.equal(ravdessLabel('interview.wav'), undefined);
  });

  it('scores per file and per actor, counting files without a score', () => {
    const files = ['03-01-05-01-01-01-01.wav', '03-01-01-01-01-01-01.wav', '03-01-03-01-01-01-02.wav', '03-01-04-01-01-01-02.wav', '03-01-06-01-01-01-02.wav'];
    const perFile = new Map([[files[0]!, 1.2], [files[1]!, -0.8], [files[2]!, 0.1], [files[3]!, 0.4]]);
    const auc = arousalAuc(perFile, files);
    assert.equal(auc.high, 2);
    assert.equal(auc.low, 2);
    assert.equal(auc.unscored, 1);
    assert.deepEqual(auc.perActor.map((a) => [a.actor, a.auc]), [['01', 1], ['02', 0]]);
    assert.equal(auc.auc, 0.75);
  });
});
