// Who is speaking, on synthetic lips and voices whose answer is known: the band-pass, the synchrony and its null,
// the decision rule, per-person baselines, the panel's jump to a speaker's face, and the exports' speaker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnnotationDocument, Speaker, Utterance } from '../../src/shared/annotationDocument';
import { upgradeDocument } from '../../src/core/document/documentUpgrade';
import { webVtt } from '../../src/core/export/webVtt';
import { bandPass, frameRuns, LAGS_SEC, pearsonOver, synchrony } from '../../src/core/voice/avSynchrony';
import { interpolatedFace } from '../../src/core/voice/mouthOpenings';
import type { MouthSeries } from '../../src/core/voice/mouthOpenings';
import { attributeSegments, decide, normalCdf, speakerAttributor, speakerByOverlap, SPEAKS_Z } from '../../src/core/voice/speakerAttribution';
import type { IntensityEnvelope } from '../../src/core/voice/speakerAttribution';
import { personBaselinesOf } from '../../src/core/voice/voiceSection';
import { speakerName } from '../../src/shared/speakerNames';
import { speakerRowPosition } from '../../src/webview/transcriptModel';
import { makeDocument } from '../helpers/documentBuilder';
import { seededRandom as random } from '../helpers/seededRandom';

/** A syllable train: random syllables (120-300 ms, random loudness), like speech's 3-8 Hz envelope; 0 in pauses. */
function syllables(sec: number, seed: number): (t: number) => number {
  const next = random(seed);
  const bumps: { at: number; len: number; height: number }[] = [];
  for (let t = 0; t < sec; ) {
    const len = 0.12 + 0.18 * next();
    bumps.push({ at: t, len, height: 0.3 + 0.7 * next() });
    t += len + 0.03 * next();
  }
  return (t) => {
    const b = bumps.find((x) => t >= x.at && t < x.at + x.len);
    return b ? b.height * Math.sin((Math.PI * (t - b.at)) / b.len) : 0;
  };
}

/** The voice tracker's intensity (10 ms frames, dB) of a syllable train, with a noise floor. */
function envelopeOf(train: (t: number) => number, sec: number): IntensityEnvelope {
  return { firstFrameSec: 0, frameStepSec: 0.01, intensityDb: Float32Array.from({ length: Math.round(sec * 100) }, (_, i) => 20 * Math.log10(1e-3 + train(i / 100)) + 80) };
}

/** Lips at 30 fps: each track's aperture a syllable train (the lips lead their sound by `leadSec`) plus noise. */
function lipsOf(sec: number, tracks: Record<number, { train: (t: number) => number; leadSec: number }>, seed = 7, noiseLevel = 0.08): MouthSeries {
  const noise = random(seed);
  const times = Array.from({ length: Math.round(sec * 30) }, (_, i) => i / 30);
  const series = Object.entries(tracks).map(([id, { train, leadSec }]): [number, number[]] => [Number(id), times.map((t) => 0.2 + 0.3 * train(t + leadSec) + noiseLevel * (noise() - 0.5))]);
  return { times, tracks: new Map(series), meshMs: 0, faceFrames: 0 };
}

/** A conversation: A speaks in the first half, B in the second; both faces move their lips all the time. */
function conversation(sec: number) {
  const a = syllables(sec, 1), b = syllables(sec, 2);
  const half = sec / 2;
  const heard = (t: number) => (t < half ? a(t) : b(t));
  return { a, b, envelope: envelopeOf(heard, sec), segments: [{ startSec: 0.2, endSec: half - 0.2 }, { startSec: half + 0.2, endSec: sec - 0.2 }] };
}

/**
 * A conversation of short alternating turns (2 s, 0.6 s apart: A, B, A, ...), both faces talking all the time, and
 * the voice's critical-band levels: each voice its own spectral envelope (`distinct`) or both the same.
 */
function shortTurns(turns: number, distinct: boolean) {
  const a = syllables(3 * turns, 11), b = syllables(3 * turns, 12);
  const segments = Array.from({ length: turns }, (_, k) => ({ startSec: 0.3 + 2.6 * k, endSec: 2.3 + 2.6 * k, voice: k % 2 }));
  const sec = segments.at(-1)!.endSec + 0.5;
  const turnAt = (t: number) => segments.find((s) => t >= s.startSec && t <= s.endSec);
  const envelope = envelopeOf((t) => { const s = turnAt(t); return s ? (s.voice === 0 ? a(t) : b(t)) : 0; }, sec);
  const bands = 20, next = random(5), frames = envelope.intensityDb.length;
  const bandDb = Float32Array.from({ length: frames * bands }, (_, n) => {
    const voice = turnAt(Math.floor(n / bands) / 100)?.voice ?? -1, band = n % bands;
    const shape = voice < 0 ? 0 : distinct && voice === 1 ? 6 * Math.cos(band / 2.5) - 1.2 * band : 6 * Math.sin(band / 3) - 0.8 * band;
    return 50 + shape + 8 * (next() - 0.5);
  });
  return { a, b, sec, segments, envelope: { ...envelope, bands, bandDb } };
}

describe('audio-visual synchrony', () => {
  it('band-passes to syllable rates: a slow drift and a 13 Hz flicker are removed, a 4 Hz syllable rhythm kept', () => {
    const fps = 30;
    const times = Array.from({ length: 300 }, (_, i) => i / fps);
    const syllable = times.map((t) => Math.sin(2 * Math.PI * 4 * t));
    const mixed = times.map((t, i) => syllable[i]! + 3 * t + Math.sin(2 * Math.PI * 13 * t));
    const filtered = bandPass(mixed, frameRuns(times), fps);
    const inner = times.map((_, i) => i).filter((i) => i > 30 && i < 270);
    assert.ok(pearsonOver(filtered, syllable, inner).r > 0.95, 'the syllable rhythm survives, in phase');
    const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + v * v, 0) / xs.length);
    assert.ok(Math.abs(rms(inner.map((i) => filtered[i]!)) - Math.SQRT1_2) < 0.1, 'at its own amplitude');
  });

  it('splits runs at gaps and leaves long missing stretches missing', () => {
    const times = [...Array.from({ length: 60 }, (_, i) => i / 30), ...Array.from({ length: 60 }, (_, i) => 5 + i / 30)];
    assert.deepEqual(frameRuns(times), [{ from: 0, to: 59 }, { from: 60, to: 119 }]);
    const values = times.map((t, i) => (i >= 20 && i < 45 ? Number.NaN : Math.sin(2 * Math.PI * 4 * t)));
    const filtered = bandPass(values, frameRuns(times), 30);
    assert.ok(Number.isNaN(filtered[30]!) && Number.isFinite(filtered[80]!));
  });

  it('scores lips that follow the voice far above the null, and unrelated lips within it', () => {
    const sec = 20, fps = 30;
    const heard = syllables(sec, 3), other = syllables(sec, 4);
    const lips = lipsOf(sec, { 1: { train: heard, leadSec: 0.12 }, 2: { train: other, leadSec: 0.12 } });
    const envelope = envelopeOf(heard, sec);
    const runs = frameRuns(lips.times);
    const voiceAt = LAGS_SEC.map((lag) => bandPass(lips.times.map((t) => Math.pow(10, (envelope.intensityDb[Math.round((t + lag) * 100)] ?? Number.NaN) / 20)), runs, fps));
    const frames = lips.times.map((_, i) => i).filter((i) => voiceAt.every((v) => Number.isFinite(v[i]!)));
    const speaking = synchrony(bandPass(lips.tracks.get(1)!, runs, fps), voiceAt, frames, fps)!;
    const silent = synchrony(bandPass(lips.tracks.get(2)!, runs, fps), voiceAt, frames, fps)!;
    assert.ok(speaking.z > 5 && Math.abs(speaking.lagSec - 0.12) < 0.05, JSON.stringify(speaking));
    assert.ok(silent.z < SPEAKS_Z, JSON.stringify(silent));
  });
});

describe('speaker attribution', () => {
  it('gives each half of a conversation to the face whose lips follow it, though both faces talk all the time', () => {
    const c = conversation(24);
    const lips = lipsOf(24, { 1: { train: c.a, leadSec: 0.1 }, 2: { train: c.b, leadSec: 0.1 } });
    const speakers = attributeSegments(lips, c.envelope, c.segments);
    assert.deepEqual(speakers.map((s) => (s.kind === 'face' ? s.trackId : s.kind)), [1, 2], JSON.stringify(speakers));
    const swapped = attributeSegments(lipsOf(24, { 1: { train: c.b, leadSec: 0.1 }, 2: { train: c.a, leadSec: 0.1 } }), c.envelope, c.segments);
    assert.deepEqual(swapped.map((s) => (s.kind === 'face' ? s.trackId : s.kind)), [2, 1], 'whichever track it is');
  });

  it('calls a voice-over off screen though the face on screen talks, and a face talking alone its own', () => {
    const c = conversation(20);
    const voiceOver = attributeSegments(lipsOf(20, { 1: { train: syllables(20, 9), leadSec: 0.1 } }), c.envelope, c.segments);
    assert.deepEqual(voiceOver.map((s) => s.kind), ['offscreen', 'offscreen']);
    const alone = attributeSegments(lipsOf(20, { 1: { train: (t) => (t < 10 ? c.a(t) : c.b(t)), leadSec: 0.1 } }), c.envelope, c.segments);
    assert.deepEqual(alone.map((s) => s.kind === 'face' && s.trackId), [1, 1]);
    assert.deepEqual(attributeSegments({ times: [], tracks: new Map(), meshMs: 0, faceFrames: 0 }, c.envelope, c.segments), [{ kind: 'offscreen', confidence: 1 }, { kind: 'offscreen', confidence: 1 }], 'no face at all');
  });

  /** Over `seeds` pairs of noisy lips: how many segments go to the right face and how many to the wrong one. */
  function tally(distinct: boolean, noise: number, prints = true, seeds = 20): { right: number; wrong: number; total: number } {
    const c = shortTurns(8, distinct);
    const envelope = prints ? c.envelope : { ...c.envelope, bands: 0, bandDb: new Float32Array(0) };
    const count = { right: 0, wrong: 0, total: 0 };
    for (let seed = 1; seed <= seeds; seed++) {
      const lips = lipsOf(c.sec, { 1: { train: c.a, leadSec: 0.1 }, 2: { train: c.b, leadSec: 0.1 } }, seed, noise);
      attributeSegments(lips, envelope, c.segments).forEach((s, k) => {
        count.total++;
        if (s.kind === 'face') count[s.trackId === c.segments[k]!.voice + 1 ? 'right' : 'wrong']++;
      });
    }
    return count;
  }

  it('pools the short turns of one voice (grouped by voice print) and gives them to the face that speaks them', () => {
    const pooled = tally(true, 0.6), alone = tally(true, 0.6, false);
    assert.ok(pooled.right >= 0.8 * pooled.total, `with voice prints ${JSON.stringify(pooled)}`);
    assert.ok(pooled.right >= 3 * alone.right, `each segment alone names far fewer: ${JSON.stringify(alone)}`);
    assert.equal(pooled.wrong + alone.wrong, 0);
    // Wrong ones are rare events here: 100 pairs of lips, so that one more or less does not decide.
    const noisier = tally(true, 1.2, true, 100);
    assert.ok(noisier.wrong <= 0.01 * noisier.total, `noisier lips: fewer named, hardly any wrong ${JSON.stringify(noisier)}`);
  });

  it('names few wrong faces when two voices cannot be told apart by their prints (one group holds both)', () => {
    for (const noise of [0.6, 1.2]) {
      const count = tally(false, noise);
      assert.ok(count.wrong <= 0.05 * count.total, `lip noise ${noise}: ${JSON.stringify(count)}`);
    }
  });

  it('says unknown, never guesses, without face geometry', () => {
    const attributor = speakerAttributor({ envelope: envelopeOf(syllables(2, 1), 2), geometry: { ok: false, reason: 'face geometry disabled' } });
    assert.equal(attributor.status.status, 'unavailable');
    assert.equal(attributor.attribute([{ startSec: 0, endSec: 2 }])[0]!.kind, 'unknown');
  });

  it('decides: only a face that speaks over the whole recording is named, by a clear margin among several', () => {
    const face = (trackId: number, z: number, overallZ: number) => ({ trackId, z, overallZ, speaks: overallZ >= SPEAKS_Z });
    assert.equal(decide([face(3, 4, SPEAKS_Z - 0.01)]).kind, 'offscreen', 'lips that never follow the voice');
    assert.equal(decide([face(3, 0.2, 5)]).kind, 'face', 'a lone speaking face takes a span its lips do not go against');
    assert.equal(decide([face(3, -0.2, 5)]).kind, 'unknown');
    assert.equal(decide([face(3, 3, 5), face(4, 2.9, 5)]).kind, 'unknown', 'two faces alike: naming one would be a guess');
    assert.equal(decide([face(3, 3, 5), face(4, 2.9, 0)]).kind, 'unknown', 'nor when the other does not speak elsewhere');
    const clear = decide([face(3, 4, 5), face(4, 0.5, 4)]);
    assert.ok(clear.kind === 'face' && clear.trackId === 3 && clear.confidence > 0.95);
    assert.ok(Math.abs(normalCdf(1.645) - 0.95) < 1e-3 && Math.abs(normalCdf(0) - 0.5) < 1e-7);
    assert.equal(pearsonOver([1, 2, 3, 4], [5, 5, 5, 5], [0, 1, 2, 3]).r, 0, 'a still series tells nothing');
  });

  it('gives an utterance the speaker of the segments it overlaps most (nobody when it holds two speakers), and follows a track between its sampled faces', () => {
    const segments = [
      { startSec: 0, endSec: 2, speaker: { kind: 'face', trackId: 1, confidence: 0.9 } as Speaker },
      { startSec: 2, endSec: 5, speaker: { kind: 'offscreen', confidence: 0.8 } as Speaker },
    ];
    assert.equal(speakerByOverlap({ startSec: 1, endSec: 2.2 }, segments).kind, 'face');
    assert.equal(speakerByOverlap({ startSec: 1.9, endSec: 4 }, segments).kind, 'offscreen', 'a tenth of a second of another speaker is the boundary');
    const straddling = speakerByOverlap({ startSec: 1.5, endSec: 4 }, segments);
    assert.ok(straddling.kind === 'unknown' && straddling.reason.includes('offscreen and track 1'), `half a second of each: a turn change inside the utterance (${JSON.stringify(straddling)})`);
    assert.deepEqual(speakerByOverlap({ startSec: 1.5, endSec: 4 }, [segments[0]!, { startSec: 2, endSec: 5, speaker: { kind: 'unknown', reason: 'alike' } }]), { kind: 'unknown', reason: 'alike' }, 'an unknown stretch is no second speaker: the longest decides');
    assert.equal(speakerByOverlap({ startSec: 6, endSec: 7 }, segments).kind, 'unknown');
    const samples = [
      { timeSec: 1, faces: [{ trackId: 1, box: [0, 0, 10, 10], landmarks: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }] },
      { timeSec: 1.2, faces: [{ trackId: 1, box: [10, 0, 10, 10], landmarks: [10, 0, 10, 0, 10, 0, 10, 0, 10, 0] }] },
    ];
    assert.deepEqual(interpolatedFace(samples, 1, 1.05)!.box.map((v) => Math.round(v * 1e6) / 1e6), [2.5, 0, 10, 10], 'a quarter of the way');
    assert.equal(interpolatedFace(samples, 2, 1.05), undefined);
    assert.equal(interpolatedFace(samples, 1, 2.5), undefined, 'a face long gone stands for nothing');
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

  it('names the speaker in WebVTT voice tags, and opens a version 5 document with the speakers setting off', () => {
    const doc = makeDocument();
    const utterance = (id: number, speaker?: Speaker): Utterance => ({ id, startSec: id, endSec: id + 0.8, text: 'we <shall>', wordStart: 0, wordEnd: 0, sentiment: { compound: 0, pos: 0, neu: 1, neg: 0, label: 'neutral' }, ...(speaker ? { speaker } : {}) });
    doc.transcript = { status: 'ok', words: [], utterances: [utterance(0, { kind: 'face', trackId: 1, confidence: 0.97 }), utterance(1, { kind: 'offscreen', confidence: 0.8 }), utterance(2, { kind: 'unknown', reason: 'short' })] };
    const cues = webVtt(doc).split('\n').filter((line) => line.includes('we &lt;shall&gt;'));
    assert.deepEqual(cues, ['<v Person 1>we &lt;shall&gt;', '<v Off screen>we &lt;shall&gt;', 'we &lt;shall&gt;']);
    assert.equal(speakerName(undefined), undefined);
    const v5 = JSON.parse(JSON.stringify({ ...doc, schemaVersion: 5 })) as { provenance: { settings: Record<string, unknown> } };
    delete v5.provenance.settings.speakers;
    const upgraded = upgradeDocument(v5);
    assert.ok(upgraded.ok && upgraded.fromVersion === 5);
    const opened = upgraded.value as AnnotationDocument;
    assert.equal(opened.schemaVersion, 6);
    assert.equal(opened.provenance.settings.speakers, 'off');
    assert.deepEqual({ ...opened, provenance: { ...opened.provenance, settings: { ...opened.provenance.settings, speakers: 'on' } } }, { ...doc, provenance: { ...doc.provenance, settings: { ...doc.provenance.settings, speakers: 'on' } } }, 'nothing else changes');
  });
});
