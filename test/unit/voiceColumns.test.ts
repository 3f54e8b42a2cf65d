// voiceColumns.ts: which voice segment holds a time, and how arousal and pitch are written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arousalText, pitchText, voiceSegmentLocator } from '../../src/core/export/voiceColumns';
import { VOICE_SEGMENTS } from '../helpers/exportFixture';

describe('voice columns', () => {

  it('the voice segment locator: start inclusive, end exclusive, nothing between or after segments, any order', () => {
    const at = voiceSegmentLocator(VOICE_SEGMENTS);
    assert.deepEqual([0, 0.08, 0.839, 0.84, 0.9, 0.96, 1.3, 1.36, 1.58, 99].map(at), [undefined, 0, 0, undefined, undefined, 1, undefined, 2, undefined, undefined]);
    const shuffled = [VOICE_SEGMENTS[2]!, VOICE_SEGMENTS[0]!, VOICE_SEGMENTS[1]!];
    assert.deepEqual([0.5, 1.0, 1.4].map(voiceSegmentLocator(shuffled)), [1, 2, 0]);
    assert.equal(voiceSegmentLocator([])(1), undefined);
  });

  it('ELAN values: signed arousal with two decimals, pitch in semitones and Hz', () => {
    assert.deepEqual([1.316, -0.6, 0, -0.004, 12.345, null].map(arousalText), ['+1.32', '-0.60', '+0.00', '+0.00', '+12.35', 'n/a']);
    // 27.5 Hz * 2^(st / 12): 48 st is 440 Hz.
    assert.deepEqual([48, 33.21, null].map(pitchText), ['48.00 st (440 Hz)', '33.21 st (187 Hz)', 'n/a']);
  });
});
