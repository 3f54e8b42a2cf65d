// The truncation check: how far decoding got against what the container promises.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { truncationWarnings, videoExtent } from '../../src/core/media/decodedExtent';
import { formatSeconds } from '../../src/shared/textFormat';

const reagan = { kind: 'video' as const, durationSec: 26.067, videoEndSec: 26.067, audioEndSec: 26.007 };

describe('truncation warnings', () => {
  it('names each stream that stops well short of its end, with both times', () => {
    const warnings = truncationWarnings(reagan, { video: 8.033, audio: 8.064 }, 0.2);
    assert.deepEqual(warnings.map((w) => w.split(':')[0]), ['video ends at 8.0 s of 26.1 s', 'audio ends at 8.1 s of 26.0 s']);
    for (const warning of warnings) assert.match(warning, /the file looks truncated/);
  });

  it('says nothing for a complete file, whose last sampled frame sits up to one interval before the end', () => {
    assert.deepEqual(truncationWarnings(reagan, { video: 25.9, audio: 26.0 }, 0.2), []);
    // One frame every 2 s: the last one may be nearly 2 s before the end and the file is still whole.
    assert.deepEqual(truncationWarnings(reagan, { video: 24.3 }, 2), []);
    assert.equal(truncationWarnings(reagan, { video: 20 }, 2).length, 1);
  });

  it('checks only what was decoded and what the container states, and never still images', () => {
    assert.deepEqual(truncationWarnings(reagan, {}, 0.2), []);
    assert.deepEqual(truncationWarnings({ ...reagan, audioEndSec: undefined }, { audio: 3 }, 0.2), []);
    assert.deepEqual(truncationWarnings({ kind: 'image', durationSec: 0 }, { video: 0 }, 0), []);
  });

  it('falls back to the media duration when the video stream states none', () => {
    assert.equal(truncationWarnings({ kind: 'video', durationSec: 60 }, { video: 30 }, 0.2).length, 1);
  });

  it('a sampled frame stands for one source frame: the extent is its time plus one frame', () => {
    assert.equal(videoExtent(8, { fps: 30 }), 8.033);
    assert.equal(videoExtent(undefined, { fps: 30 }), undefined);
    assert.equal(videoExtent(0, { fps: 0 }), 0);
  });
});

describe('formatSeconds', () => {
  it('writes tenths under a minute and clock time above', () => {
    assert.equal(formatSeconds(8.033), '8.0 s');
    assert.equal(formatSeconds(59.94), '59.9 s');
    assert.equal(formatSeconds(59.96), '1:00.0');
    assert.equal(formatSeconds(754.53), '12:34.5');
    assert.equal(formatSeconds(3725.3), '1:02:05.3');
  });
});
