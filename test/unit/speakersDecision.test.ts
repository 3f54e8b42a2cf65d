// The `speakers` setting's modes: when `auto` runs the costly who-speaks pass (two or more faces seen during the
// speech), what it says when it does not, and documents recording the setting as it was before (true or false).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAnnotationDocument } from '../../src/core/document/annotationFile';
import { annotationProblems } from '../../src/core/document/annotationValidation';
import { analyzedSettings } from '../../src/core/engine/pipeline/documentAssembly';
import { MIN_FRAMES_DURING_SPEECH, NO_FACE_ANYWHERE, NO_SPEECH, SPEAKERS_AUTO_SKIPPED, SPEAKERS_OFF, speakersDecision } from '../../src/core/engine/pipeline/speakerStage';
import { defaultSettings } from '../../src/core/engine/analysisRequest';
import type { TrackSample } from '../../src/core/voice/mouthOpenings';
import { makeDocument } from '../helpers/documentBuilder';

/** Frames every 0.2 s from `fromSec` to `toSec`, each with the given tracks. */
function frames(fromSec: number, toSec: number, trackIds: number[]): TrackSample[] {
  const samples: TrackSample[] = [];
  for (let t = fromSec; t <= toSec + 1e-9; t += 0.2) {
    samples.push({ timeSec: Math.round(t * 10) / 10, faces: trackIds.map((trackId) => ({ trackId, box: [0, 0, 10, 10], landmarks: [] })) });
  }
  return samples;
}

const speech = [{ startSec: 1, endSec: 3 }, { startSec: 6, endSec: 8 }];

describe('when who speaks runs', () => {
  it('a video with no face at all: off screen with auto and on, nothing attributed with off', () => {
    assert.equal(speakersDecision('auto', [], speech), NO_FACE_ANYWHERE);
    assert.equal(speakersDecision('on', [], speech), NO_FACE_ANYWHERE);
    assert.deepEqual(speakersDecision('off', [], speech), { run: false, reason: SPEAKERS_OFF });
  });

  it('a video where no one speaks: nothing to attribute, and off says it is off', () => {
    assert.deepEqual(speakersDecision('on', frames(0, 10, [1, 2]), []), { run: false, reason: NO_SPEECH });
    assert.deepEqual(speakersDecision('off', frames(0, 10, [1, 2]), []), { run: false, reason: SPEAKERS_OFF });
  });

  it('auto: with two faces seen during the speech, not with one', () => {
    assert.deepEqual(speakersDecision('auto', frames(0, 10, [1, 2]), speech), { run: true });
    const one = speakersDecision('auto', frames(0, 10, [1]), speech);
    assert.ok(!one.run && one.reason.startsWith('one face on screen during the speech') && one.reason.endsWith(SPEAKERS_AUTO_SKIPPED), JSON.stringify(one));
  });

  it('auto: counts the faces during the speech only, and not a face seen in one frame of it', () => {
    // The second face comes after the speech ended: one face while anyone speaks.
    const later = [...frames(0, 8, [1]), ...frames(8.2, 10, [1, 2])];
    assert.equal(speakersDecision('auto', later, speech).run, false, 'a face seen only outside the speech');
    // Two faces, one after the other, each during its own stretch of speech: two speakers to tell apart.
    const turns = [...frames(0, 4, [1]), ...frames(4.2, 10, [2])];
    assert.deepEqual(speakersDecision('auto', turns, speech), { run: true }, 'one face per stretch of speech');
    const flash = frames(0, 10, [1]).map((f) => (f.timeSec === 2 ? { ...f, faces: [...f.faces, { ...f.faces[0]!, trackId: 9 }] } : f));
    assert.ok(MIN_FRAMES_DURING_SPEECH > 1, 'the flash below is shorter than a counted face');
    assert.equal(speakersDecision('auto', flash, speech).run, false, 'a face in one frame may be a false detection');
    const none = speakersDecision('auto', frames(4, 5, [1]), speech);
    assert.ok(!none.run && none.reason.startsWith('no face on screen during the speech'), JSON.stringify(none));
  });

  it('on runs with a single face (it tells a voice-over); off never, whatever the faces', () => {
    assert.deepEqual(speakersDecision('on', frames(0, 10, [1]), speech), { run: true });
    assert.deepEqual(speakersDecision('off', frames(0, 10, [1, 2]), speech), { run: false, reason: SPEAKERS_OFF });
  });

  it('is auto by default, and only a video records a mode other than off', () => {
    assert.equal(defaultSettings.speakers, 'auto');
    assert.equal(analyzedSettings(defaultSettings, { hasAudio: true, kind: 'video' }).speakers, 'auto');
    assert.equal(analyzedSettings(defaultSettings, { hasAudio: true, kind: 'audio' }).speakers, 'off');
    assert.equal(analyzedSettings(defaultSettings, { hasAudio: false, kind: 'image' }).speakers, 'off');
  });
});

describe('the speakers setting in documents', () => {
  it('is valid as a mode, and as true or false (version 6 before the modes), which read as on and off', () => {
    const doc = makeDocument();
    for (const [recorded, read] of [[true, 'on'], [false, 'off'], ['auto', 'auto']] as const) {
      const written = { ...doc, provenance: { ...doc.provenance, settings: { ...doc.provenance.settings, speakers: recorded } } };
      assert.deepEqual(annotationProblems(written), [], `the schema takes ${String(recorded)}`);
      assert.equal(parseAnnotationDocument(JSON.stringify(written), 'a.emotion.json').provenance.settings.speakers, read);
    }
    const wrong = { ...doc, provenance: { ...doc.provenance, settings: { ...doc.provenance.settings, speakers: 'sometimes' } } };
    assert.notDeepEqual(annotationProblems(wrong), [], 'another word is refused');
  });
});
