import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Utterance, VoiceSegment } from '../../src/shared/annotationDocument';
import { buildFrameRecords, summariseTracks } from '../../src/core/timeline/frameRecords';
import type { TrackedFrame } from '../../src/core/timeline/frameRecords';
import { faceValence } from '../../src/core/timeline/labelMath';
import { buildSegments } from '../../src/core/timeline/segments';
import { LABELS, makeFrames, probsFor } from '../helpers/documentBuilder';

function tracked(labels: string[], step = 0.2): TrackedFrame[] {
  return labels.map((label, index) => ({
    index,
    timeSec: index * step,
    faces: [{ box: [10, 10, 50, 50], score: 0.9, landmarks: new Array(10).fill(0), probs: probsFor(label, 0.7) }],
    trackIds: [1],
  }));
}

function utterance(id: number, startSec: number, endSec: number, compound: number): Utterance {
  const label = compound >= 0.05 ? 'positive' : compound <= -0.05 ? 'negative' : 'neutral';
  return { id, startSec, endSec, text: 'x', wordStart: 0, wordEnd: 1, sentiment: { compound, pos: 0, neu: 1, neg: 0, label } };
}

describe('buildFrameRecords', () => {
  it('keeps raw probabilities and labels from smoothed ones, which absorb a one-frame flicker', () => {
    const labels = ['sad', 'sad', 'sad', 'happy', 'sad', 'sad', 'sad'];
    const records = buildFrameRecords(LABELS, tracked(labels), 0.4);
    assert.deepEqual(records[3]!.faces[0]!.probs, probsFor('happy', 0.7).map((p) => Math.round(p * 1e6) / 1e6));
    assert.equal(records[3]!.faces[0]!.label, 'sad');
    assert.ok(records[3]!.faces[0]!.smoothedProbs);
  });

  it('labels from raw probabilities when smoothing is off', () => {
    const records = buildFrameRecords(LABELS, tracked(['sad', 'happy', 'sad']), 0);
    assert.equal(records[1]!.faces[0]!.label, 'happy');
    assert.equal(records[1]!.faces[0]!.smoothedProbs, undefined);
    assert.ok(Math.abs(records[1]!.faces[0]!.confidence - 0.7) < 1e-6);
  });
});

describe('summariseTracks', () => {
  it('gives each track its span, dominant label and label shares', () => {
    const frames = makeFrames(10, 0.2, [1, 2], (i, t) => (t === 1 ? (i < 7 ? 'happy' : 'sad') : 'angry'));
    const tracks = summariseTracks(LABELS, frames);
    assert.equal(tracks.length, 2);
    assert.equal(tracks[0]!.dominantLabel, 'happy');
    assert.equal(tracks[0]!.frameCount, 10);
    assert.equal(tracks[0]!.labelShare[LABELS.indexOf('happy')], 0.7);
    assert.equal(tracks[1]!.dominantLabel, 'angry');
    assert.equal(tracks[1]!.lastTimeSec, 1.8);
  });
});

describe('buildSegments', () => {
  it('flags a smile over negative words, and not agreeing or neutral spans', () => {
    const frames = makeFrames(15, 0.2, [1], (i) => (i < 5 ? 'happy' : i < 10 ? 'sad' : 'neutral'));
    const segments = buildSegments(LABELS, frames, [utterance(0, 0, 1, -0.6), utterance(1, 1, 2, -0.6), utterance(2, 2, 3, -0.6)], [], 3);
    assert.equal(segments.length, 3);
    assert.deepEqual(segments.map((s) => s.disagreement), [true, false, false]);
    assert.equal(segments[0]!.faces[0]!.label, 'happy');
    assert.ok(segments[0]!.faces[0]!.valence > 0.3);
    assert.ok(segments[1]!.faces[0]!.valence < -0.3);
    assert.equal(segments[1]!.speech?.utteranceId, 1);
  });

  it('picks the utterance overlapping a span the most and covers the whole duration', () => {
    const frames = makeFrames(5, 0.2, [1]);
    const segments = buildSegments(LABELS, frames, [utterance(0, 0.1, 0.3, 0.5), utterance(1, 0.3, 1.9, 0.5)], [], 2.5);
    assert.equal(segments[0]!.speech?.utteranceId, 1);
    assert.equal(segments[segments.length - 1]!.endSec, 2.5);
    assert.equal(segments[2]!.faces.length, 0);
  });

  it('flags a face and a voice of opposite arousal (face-voice), beside face against words', () => {
    const frames = makeFrames(20, 0.2, [1], (i) => (i < 5 ? 'sad' : i < 10 ? 'surprised' : i < 15 ? 'neutral' : 'happy'));
    const voice = (startSec: number, arousal: number | null): VoiceSegment => ({
      startSec, endSec: startSec + 1, f0MeanSemitones: 36, f0SdSemitones: 1, f0P20Semitones: 35, f0P50Semitones: 36, f0P80Semitones: 37,
      intensityDb: 70, loudness: 10, jitterLocal: 0.01, shimmerLocalDb: 0.5, hnrDb: 12, voicedFraction: 0.6, arousalRaw: 30, arousal,
    });
    // sad face + lively voice; surprised face + flat voice; neutral face + lively voice; happy face, no baseline.
    const segments = buildSegments(LABELS, frames, [utterance(0, 3, 4, 0.6)], [voice(0, 1.5), voice(1, -1.2), voice(2, 2), voice(3, null)], 4);
    assert.deepEqual(segments.map((s) => s.flags), [['face-voice'], ['face-voice'], [], []]);
    assert.deepEqual(segments.map((s) => s.disagreement), [true, true, false, false]);
    assert.equal(segments[1]!.voice?.segmentIndex, 1);
    assert.equal(segments[3]!.voice?.arousal, null);
    assert.ok(segments[1]!.faces[0]!.arousal > 0.5, 'a surprised face is activated');
    assert.ok(segments[0]!.faces[0]!.arousal < -0.2, 'a sad face is deactivated');
  });

  it('gives a still image one segment holding its face', () => {
    const segments = buildSegments(LABELS, makeFrames(1, 0, [1], () => 'happy'), [], [], 0);
    assert.equal(segments.length, 1);
    assert.equal(segments[0]!.faces[0]!.label, 'happy');
  });
});

describe('faceValence', () => {
  it('is positive for happy, negative for sad, zero for neutral', () => {
    assert.ok(faceValence(LABELS, probsFor('happy', 1)) > 0.8);
    assert.ok(faceValence(LABELS, probsFor('sad', 1)) < -0.7);
    assert.equal(faceValence(LABELS, probsFor('neutral', 1)), 0);
  });
});
