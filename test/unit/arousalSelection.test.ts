// The evaluation's choice of an arousal method (scripts/evaluation/arousalSelection.ts) on made-up tables whose
// answer is known: per-recording scores weighted by segment length, AUC per actor, the previous method as a
// plain z-score of F0 / 2 + intensity / 4, and leave-one-speaker-out picking the way that separates the other
// speakers best, with near-ties going to the earlier way of the family.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Candidate, SegmentRow } from '../../scripts/evaluation/arousalSelection';
import { aucPerActor, candidateFamily, PREVIOUS_METHOD, recordingScores, segmentArousal, selectArousal } from '../../scripts/evaluation/arousalSelection';

/** A RAVDESS file name: emotion 05 (angry, high) or 02 (calm, low), a take number, the actor. */
const file = (actor: string, high: boolean, take: number) => `Actor_${actor}/03-01-${high ? '05' : '02'}-01-0${1 + (take % 2)}-0${1 + (take >> 1)}-${actor}.wav`;

function row(name: string, values: Partial<Record<string, number | null>>, sec = 1): SegmentRow {
  return { file: name, group: name.split('/')[0]!, sec, values: { f0_mean_semitones: 30, f0_p80_semitones: 33, intensity_db: 60, loudness: 8, arousal: null, ...values } };
}

describe('arousal selection', () => {
  it('scores a recording by its segments weighted by length, skipping unscored ones', () => {
    const rows = [row('a.wav', {}, 1), row('a.wav', {}, 3), row('a.wav', {}, 2), row('b.wav', {})];
    assert.deepEqual([...recordingScores(rows, [1, -1, null, null])], [['a.wav', -0.5]]);
  });

  it('the previous method is the z-score (sample SD) of F0 / 2 + intensity / 4 over the group\'s segments', () => {
    const rows = [row('x/a.wav', { f0_mean_semitones: 30, intensity_db: 60 }), row('x/b.wav', { f0_mean_semitones: 32, intensity_db: 64 }), row('x/c.wav', { f0_mean_semitones: 34, intensity_db: 62 })];
    const raw = [30 / 2 + 60 / 4, 32 / 2 + 64 / 4, 34 / 2 + 62 / 4];
    const mean = raw.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
    segmentArousal(rows, PREVIOUS_METHOD).forEach((z, i) => assert.ok(Math.abs(z! - (raw[i]! - mean) / sd) < 1e-12));
  });

  it('leave one speaker out picks the way that separates the other speakers, and judges it on the one left out', () => {
    // Three actors whose acted arousal shows in loudness only; their pitch goes the other way.
    const rows: SegmentRow[] = [];
    for (const actor of ['01', '02', '03'])
      for (let take = 0; take < 4; take++)
        for (const high of [true, false]) rows.push(row(file(actor, high, take), { loudness: (high ? 12 : 4) + take, f0_mean_semitones: (high ? 28 : 34) + take, f0_p80_semitones: (high ? 30 : 36) + take }));
    const selection = selectArousal(rows);
    for (const fold of selection.folds) {
      assert.equal(fold.chosen.level, 'loudness');
      assert.equal(fold.chosen.pitchWeight, 1 / 4, 'pitch hurts here: the smallest pitch weight the family allows');
      assert.equal(fold.heldOutAuc, 1);
    }
    for (const [actor, auc] of aucPerActor(recordingScores(rows, segmentArousal(rows, { ...selection.chosen, pitchWeight: 3 / 4 })))) assert.ok(auc < 0.1, `weighted toward pitch, actor ${actor} is reversed: ${auc}`);
  });

  it('the family keeps both cues, lists the prior (equal weights, robust, by duration) first, and ties go to it', () => {
    const family = candidateFamily();
    assert.ok(family.every((c) => c.pitchWeight > 0 && c.pitchWeight < 1));
    const first: Candidate = family[0]!;
    assert.deepEqual(first, { pitch: 'f0_mean_semitones', level: 'intensity_db', pitchWeight: 1 / 2, scale: 'robust', weighting: 'duration' });
    // Every way separates these perfectly (pitch and both level measures rise together): the first is chosen.
    const rows: SegmentRow[] = [];
    for (const actor of ['01', '02'])
      for (let take = 0; take < 4; take++)
        for (const high of [true, false]) rows.push(row(file(actor, high, take), { loudness: (high ? 12 : 4) + take, intensity_db: (high ? 70 : 60) + take, f0_mean_semitones: (high ? 36 : 30) + take, f0_p80_semitones: (high ? 38 : 32) + take }));
    assert.deepEqual(selectArousal(rows).chosen, first);
  });
});
