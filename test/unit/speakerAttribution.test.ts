// Who is speaking, on series whose answer is known: the decision rule, the correlation over a span, the mouth box
// and its motion, per-person baselines, the panel's jump to a speaker's face, and the exports' speaker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Speaker, Utterance } from '../../src/shared/annotationDocument';
import { upgradeDocument } from '../../src/core/document/documentUpgrade';
import { webVtt } from '../../src/core/export/webVtt';
import { meanLumaChange, mouthBox } from '../../src/core/voice/mouthMotion';
import type { MouthMotion } from '../../src/core/voice/mouthMotion';
import { attributeSpan, decide, normalCdf, pearson, speakerAttributor, SPEAKS_Z } from '../../src/core/voice/speakerAttribution';
import type { IntensityEnvelope } from '../../src/core/voice/speakerAttribution';
import { personBaselinesOf } from '../../src/core/voice/voiceSection';
import { speakerName } from '../../src/shared/speakerNames';
import { speakerRowPosition } from '../../src/webview/transcriptModel';
import { makeDocument } from '../helpers/documentBuilder';

/** A voice whose loudness rises and falls like syllables (4 per second) from 0 to `sec`, 10 ms frames. */
function syllableVoice(sec: number): IntensityEnvelope {
  const frames = Math.round(sec * 100);
  return { firstFrameSec: 0, frameStepSec: 0.01, intensityDb: Float32Array.from({ length: frames }, (_, i) => 60 + 15 * Math.sin(2 * Math.PI * 4 * (i / 100))) };
}

/** 30 fps motion: track 1 follows the voice (with a little noise), track 2 moves at another rhythm. */
function motionOf(sec: number, follows: (t: number) => number, other: (t: number) => number): MouthMotion {
  const times = Array.from({ length: Math.round(sec * 30) }, (_, i) => i / 30);
  return { times, tracks: new Map([[1, times.map(follows)], [2, times.map(other)]]) };
}

const voiceAt = (t: number) => Math.sin(2 * Math.PI * 4 * (t + 0.05));
const jitter = (t: number) => 0.3 * Math.sin(97 * t) * Math.cos(31 * t);

describe('speaker attribution', () => {
  it('gives the span to the mouth that moves with the voice, whichever track it is', () => {
    const voice = syllableVoice(6);
    const span = { startSec: 0.5, endSec: 5.5 };
    const first = attributeSpan(motionOf(6, (t) => voiceAt(t) + jitter(t), (t) => Math.sin(2 * Math.PI * 2.3 * t)), voice, span);
    assert.equal(first.kind === 'face' && first.trackId, 1, JSON.stringify(first));
    const second = attributeSpan(motionOf(6, (t) => Math.sin(2 * Math.PI * 2.3 * t), (t) => voiceAt(t) + jitter(t)), voice, span);
    assert.equal(second.kind === 'face' && second.trackId, 2, JSON.stringify(second));
    assert.ok(first.kind === 'face' && first.confidence > 0.9, 'a clear case is a confident one');
  });

  it('calls the voice off screen when no mouth follows it, and unknown when the span is too short to tell', () => {
    const voice = syllableVoice(6);
    const unrelated = motionOf(6, (t) => Math.sin(2 * Math.PI * 2.3 * t), (t) => Math.cos(2 * Math.PI * 1.7 * t));
    assert.equal(attributeSpan(unrelated, voice, { startSec: 0.5, endSec: 5.5 }).kind, 'offscreen');
    assert.equal(attributeSpan(unrelated, voice, { startSec: 1, endSec: 1.5 }).kind, 'unknown');
    assert.deepEqual(attributeSpan({ times: [], tracks: new Map() }, voice, { startSec: 0, endSec: 5 }), { kind: 'offscreen', confidence: 1 }, 'no face at all');
  });

  it('says unknown, never guesses, without face geometry', () => {
    const attributor = speakerAttributor({ envelope: syllableVoice(2), geometry: { ok: false, reason: 'face geometry disabled' } });
    assert.equal(attributor.status.status, 'unavailable');
    assert.equal(attributor.speakerOf({ startSec: 0, endSec: 2 }).kind, 'unknown');
  });

  it('decides on the best Fisher z against the one-sided 5 % level', () => {
    assert.equal(decide([{ trackId: 3, frames: 60, correlation: 0.2, z: SPEAKS_Z - 0.01 }]).kind, 'offscreen');
    const close = decide([{ trackId: 3, frames: 60, correlation: 0.5, z: 3 }, { trackId: 4, frames: 60, correlation: 0.5, z: 2.9 }]);
    assert.equal(close.kind, 'unknown', 'two mouths alike: naming one would be a guess');
    const clear = decide([{ trackId: 3, frames: 60, correlation: 0.5, z: 4 }, { trackId: 4, frames: 60, correlation: 0.1, z: 0.5 }]);
    assert.ok(clear.kind === 'face' && clear.trackId === 3 && clear.confidence > 0.95);
    assert.ok(Math.abs(normalCdf(1.645) - 0.95) < 1e-3 && Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.equal(pearson([1, 2, 3], [5, 5, 5]), 0, 'a still series tells nothing');
  });

  it('puts the mouth box between the mouth corners and measures the change inside it only', () => {
    const face = { trackId: 1, landmarks: [40, 40, 60, 40, 50, 50, 40, 60, 60, 60], box: [30, 30, 40, 40] };
    const box = mouthBox([{ timeSec: 1, faces: [face] }], 1, 1.1, 1, 100, 100)!;
    assert.deepEqual(box, [32, 50, 68, 76]);
    assert.equal(mouthBox([{ timeSec: 1, faces: [face] }], 1, 2, 1, 100, 100), undefined, 'a face too long ago stands for nothing');
    const before = new Uint8Array(100 * 100 * 3), after = new Uint8Array(100 * 100 * 3);
    for (let y = 50; y < 76; y++) for (let x = 32; x < 68; x++) after.fill(100, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    after.fill(255, 0, 300); // a change outside the box does not count
    assert.ok(Math.abs(meanLumaChange(before, after, 100, box) - 100) < 1e-9);
  });

  it('gives each person with enough speech their own arousal baseline', () => {
    const face = (trackId: number): Speaker => ({ kind: 'face', trackId, confidence: 0.9 });
    const segments = [
      ...Array.from({ length: 5 }, (_, i) => ({ raw: 1 + 0.1 * i, sec: 4, speaker: face(1) })),
      ...Array.from({ length: 2 }, () => ({ raw: 5, sec: 4, speaker: face(2) })),
      { raw: 9, sec: 4, speaker: { kind: 'offscreen', confidence: 0.8 } as Speaker },
    ];
    const baselines = personBaselinesOf(segments);
    assert.deepEqual(baselines.map((b) => [b.trackId, b.segments, b.meanRaw]), [[1, 5, 1.2]], 'person 2 has too little speech for one');
  });

  it('jumps from an utterance to its speaker\'s nearest row', () => {
    const table = { trackId: Int32Array.from([1, 2, 1, 2, 1]), timeSec: Float64Array.from([0, 0, 1, 1, 2]) };
    const order = Int32Array.from([0, 1, 2, 3, 4]);
    assert.equal(speakerRowPosition(table, order, 2, 0.6), 3);
    assert.equal(speakerRowPosition(table, order, 1, 1.1), 2, 'the nearer row before');
    assert.equal(speakerRowPosition(table, order, 3, 1), -1);
  });

  it('names the speaker in WebVTT voice tags, and opens a version 5 document unchanged', () => {
    const doc = makeDocument();
    const utterance = (id: number, speaker?: Speaker): Utterance => ({ id, startSec: id, endSec: id + 0.8, text: 'we <shall>', wordStart: 0, wordEnd: 0, sentiment: { compound: 0, pos: 0, neu: 1, neg: 0, label: 'neutral' }, ...(speaker ? { speaker } : {}) });
    doc.transcript = { status: 'ok', words: [], utterances: [utterance(0, { kind: 'face', trackId: 1, confidence: 0.97 }), utterance(1, { kind: 'offscreen', confidence: 0.8 }), utterance(2, { kind: 'unknown', reason: 'short' })] };
    const cues = webVtt(doc).split('\n').filter((line) => line.includes('we &lt;shall&gt;'));
    assert.deepEqual(cues, ['<v Person 1>we &lt;shall&gt;', '<v Off screen>we &lt;shall&gt;', 'we &lt;shall&gt;']);
    assert.equal(speakerName(undefined), undefined);
    const upgraded = upgradeDocument({ ...doc, schemaVersion: 5 });
    assert.ok(upgraded.ok && upgraded.fromVersion === 5 && (upgraded.value as { schemaVersion: number }).schemaVersion === 6);
  });
});
