// speakerGroups.ts: the dataset table's speaker groups and their running statistics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpeakerPattern, RunningStats, speakerGroupOf } from '../../src/core/export/speakerGroups';

describe('speaker groups for the dataset table', () => {

  it('by default, the folder of the media path; a file given by name, the name of the folder it is in', () => {
    assert.deepEqual(speakerGroupOf('Actor_01/03-01-05-01-02-01-01.wav', '/corpus/Actor_01'), { group: 'Actor_01' });
    assert.deepEqual(speakerGroupOf('site a/Actor_01/x.wav', '/corpus/site a/Actor_01'), { group: 'site a/Actor_01' });
    assert.deepEqual(speakerGroupOf('x.wav', '/corpus/Actor_07'), { group: 'Actor_07' });
    assert.deepEqual(speakerGroupOf('x.wav', '/'), { group: '.' });
  });

  it('with a pattern, its first capture group on the file name; a name it does not match keeps its folder, with a one-line warning', () => {
    const ravdess = parseSpeakerPattern('-(\\d+)\\.wav$');
    assert.deepEqual(speakerGroupOf('all/03-01-05-01-02-01-12.wav', '/c/all', ravdess), { group: '12' });
    // The pattern sees the file name only, not the folders.
    assert.deepEqual(speakerGroupOf('actor-99.wav/03-01-05-01-02-01-12.wav', '/c', ravdess).group, '12');
    const missed = speakerGroupOf('all/notes.wav', '/c/all', ravdess);
    assert.equal(missed.group, 'all');
    assert.match(missed.warning ?? '', /^all\/notes\.wav: --speaker-pattern .* does not match the file name notes\.wav; grouped by its folder 'all'$/);
    // An optional group that took no part in the match is no match.
    assert.equal(speakerGroupOf('a/b.wav', '/c/a', parseSpeakerPattern('^(x)?b')).group, 'a');
  });

  it('an invalid pattern, or one without a capture group, is one line saying so', () => {
    assert.throws(() => parseSpeakerPattern('-(\\d+\\.wav$'), /^Error: '-\(\\d\+\\\.wav\$' is not a valid regular expression \(.*\)$/);
    assert.throws(() => parseSpeakerPattern('\\d+\\.wav$'), /has no capture group/);
    assert.throws(() => parseSpeakerPattern('['), (error: unknown) => error instanceof Error && !error.message.includes('\n'));
  });

  it('running mean and sample SD match the two-pass ones; z-scores are null below two values or without spread', () => {
    const values = [0.4, -1.2, 3.3, 0.05, 2.2, -0.7];
    const stats = new RunningStats();
    for (const v of values) stats.add(v);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    assert.ok(Math.abs(stats.mean - mean) < 1e-12 && Math.abs(stats.sd - sd) < 1e-12);
    assert.ok(Math.abs(stats.zScore(3.3)! - (3.3 - mean) / sd) < 1e-12);
    const one = new RunningStats();
    one.add(1);
    assert.equal(one.zScore(1), null);
    const flat = new RunningStats();
    for (let i = 0; i < 4; i++) flat.add(0.3);
    assert.equal(flat.zScore(0.3), null);
  });
});
