// What the notebook renderer computes from an output's data: the tracks and their downsampled series, the
// summary with human labels winning, the sentiment line, slices (a time window, missing sections) and data
// that is not an annotation document (one line, never a throw). The DOM side only draws this.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputView } from '../../src/notebook/annotationOutputModel';
import { MAX_POINTS, MAX_UTTERANCES, readOutput, readOutputText, sentimentSteps, timeTicks } from '../../src/notebook/annotationOutputModel';
import type { AnnotationDocument } from '../../src/shared/annotationDocument';
import { timed } from '../helpers/cpuTime';
import { correction, LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { HOUR_FRAMES, hourDocument, STEP_SEC, TRACK2_GAP } from '../helpers/reviewDocuments';

function view(data: unknown): OutputView {
  const result = readOutput(data);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.view;
}

function errorOf(data: unknown): string {
  const result = readOutput(data);
  assert.ok(!result.ok, 'expected an error');
  return result.error;
}

const points = (v: OutputView, track: number): number => v.tracks.find((t) => t.id === track)!.runs.reduce((n, r) => n + r.length, 0);

describe('notebook renderer model: a whole document', () => {
  const hour = hourDocument();

  it('an hour at 5 fps, two people: a series per track, downsampled to at most MAX_POINTS steps, quickly', () => {
    const { value: v, cpuMs, wallMs } = timed(() => view(hour));
    console.log(`notebook model: ${HOUR_FRAMES} frames x 2 tracks read in ${wallMs.toFixed(0)} ms (${cpuMs.toFixed(0)} ms of CPU); points ${points(v, 1)} and ${points(v, 2)}`);
    // A sanity bound on CPU time, which load does not stretch (wall time does); speed is the benchmark's.
    assert.ok(cpuMs < 1500, `reading an hour took ${cpuMs.toFixed(0)} ms of CPU`);
    assert.deepEqual(v.tracks.map((t) => t.id), [1, 2]);
    assert.equal(v.header.people, 2);
    assert.equal(v.header.frames, HOUR_FRAMES);
    assert.equal(v.header.title, 'clip.mp4');
    assert.equal(v.slice, false);
    assert.deepEqual(v.domain, { startSec: 0, endSec: HOUR_FRAMES * STEP_SEC });
    for (const track of v.tracks) {
      assert.ok(points(v, track.id) <= MAX_POINTS + track.runs.length, `track ${track.id}: ${points(v, track.id)} points`);
      assert.ok(points(v, track.id) >= MAX_POINTS / 2, `track ${track.id} kept too few points`);
      for (const p of track.runs.flat()) {
        assert.equal(p.probs.length, LABELS.length);
        assert.ok(Math.abs(p.probs.reduce((s, x) => s + x, 0) - 1) < 1e-9, 'mean probabilities still sum to 1');
        assert.ok(p.endSec > p.startSec);
      }
    }
  });

  it('breaks the chart where a person is out of the picture, and nowhere else', () => {
    const v = view(hour);
    const [one, two] = v.tracks;
    assert.equal(one!.runs.length, 1);
    assert.equal(two!.runs.length, 2, 'the gap in track 2 splits its chart');
    const beforeGap = two!.runs[0]!.at(-1)!;
    const afterGap = two!.runs[1]![0]!;
    assert.ok(Math.abs(beforeGap.endSec - TRACK2_GAP.from * STEP_SEC) < 1e-6, `run ends at ${beforeGap.endSec}`);
    assert.ok(Math.abs(afterGap.startSec - TRACK2_GAP.to * STEP_SEC) < 1e-6, `run restarts at ${afterGap.startSec}`);
  });

  it('a step is the mean of its samples, labelled by their most frequent label', () => {
    const doc = makeDocument(makeFrames(4, 0.2, [1], (i) => (i < 3 ? 'happy' : 'sad')));
    const v = view(doc);
    const [p] = v.tracks[0]!.runs[0]!;
    assert.equal(v.tracks[0]!.runs[0]!.length, 4, 'few samples: one step each');
    assert.deepEqual(p!.probs, doc.frames[0]!.faces[0]!.probs);
    assert.equal(p!.label, 'happy');
    assert.ok(Math.abs(p!.endSec - 0.2) < 1e-9);
    // The last sample spans one sampling interval.
    assert.ok(Math.abs(v.tracks[0]!.runs[0]![3]!.endSec - 0.8) < 1e-9);
  });

  it('uses smoothed probabilities where the document has them', () => {
    const doc = makeDocument(makeFrames(2, 0.2, [1], () => 'happy'));
    const smoothed = LABELS.map((l) => (l === 'sad' ? 0.94 : 0.01));
    doc.frames[0]!.faces[0]!.smoothedProbs = smoothed;
    assert.deepEqual(view(doc).tracks[0]!.runs[0]![0]!.probs, smoothed);
  });

  it('summary per track: dominant final label, its share, the mean model confidence, frames, and human labels winning', () => {
    const doc = makeDocument(makeFrames(10, 0.2, [1, 2], (i, t) => (t === 1 ? (i < 6 ? 'happy' : 'sad') : 'neutral')));
    doc.frames.forEach((f, i) => { f.faces[0]!.confidence = i < 5 ? 0.9 : 0.5; });
    // Three human labels turn track 1's happy majority into sad (6 happy - 3 = 3 happy, 4 + 3 = 7 sad).
    doc.corrections = [0, 1, 2].map((i) => correction(doc.frames[i]!, 1, 'sad'));
    // A correction of a frame not in the output is not counted.
    doc.corrections.push({ ...correction(doc.frames[0]!, 2, 'angry'), frameIndex: 999 });
    const v = view(doc);
    const s1 = v.tracks[0]!.summary;
    assert.equal(s1.dominantLabel, 'sad');
    assert.equal(s1.dominantShare, 0.7);
    assert.equal(s1.frames, 10);
    assert.equal(s1.humanLabels, 3);
    assert.ok(Math.abs(s1.meanConfidence - 0.7) < 1e-9, 'the model\'s confidence, human labels aside');
    assert.equal(v.tracks[1]!.summary.dominantLabel, 'neutral');
    assert.equal(v.tracks[1]!.summary.humanLabels, 0);
    assert.equal(v.humanLabels, 3);
    // The label strip shows the final labels; the steps carry how many of their samples are human.
    const steps = v.tracks[0]!.runs[0]!;
    assert.deepEqual(steps.slice(0, 4).map((p) => [p.label, p.human]), [['sad', 1], ['sad', 1], ['sad', 1], ['happy', 0]]);
  });

  it('adapted suggestions rank between human labels and the model\'s, with a note', () => {
    const doc = makeDocument(makeFrames(10, 0.2, [1], () => 'happy'));
    doc.corrections = [correction(doc.frames[0]!, 1, 'sad')];
    const suggest = (i: number, label: string) => ({ frameIndex: i, trackId: 1, label, confidence: 0.6 });
    doc.adaptation = {
      method: 'recalibration', form: 'bias', createdAt: '2026-12-01T00:00:00.000Z', trainedOn: { corrections: 12, documents: 1 },
      crossValidation: { folds: 5, baseAccuracy: 0.5, adaptedAccuracy: 0.8 }, regularisation: 10,
      weights: LABELS.map((_, k) => LABELS.map((__, j) => (k === j ? 1 : 0))), bias: LABELS.map(() => 0),
      suggestions: doc.frames.map((_, i) => suggest(i, i < 4 ? 'surprised' : 'happy')),
    };
    const v = view(doc);
    const steps = v.tracks[0]!.runs[0]!;
    assert.deepEqual(steps.slice(0, 5).map((p) => p.label), ['sad', 'surprised', 'surprised', 'surprised', 'happy'], 'human, then adapted, then (adapted = model) happy');
    assert.equal(v.tracks[0]!.summary.humanLabels, 1);
    assert.ok(v.notes.some((n) => /3 faces carry the adapted model's suggestion/.test(n)), v.notes.join('\n'));
  });

  it('the sentiment line and the transcript from the utterances, and the header from provenance', () => {
    const doc = hourDocument(600); // two minutes
    doc.provenance.models.push({ role: 'expression', id: 'fer_a', sha256: 'c'.repeat(64) }, { role: 'expression', id: 'fer_b', sha256: 'd'.repeat(64) });
    const v = view(doc);
    assert.equal(v.speech.status, 'ok');
    assert.equal(v.speech.utterances.length, doc.transcript.utterances.length);
    assert.deepEqual(v.speech.utterances[1], { startSec: 11, endSec: 12.4, text: 'this is terrible', compound: -0.5, label: 'negative' });
    assert.deepEqual(v.speech.sentiment.map((s) => s.label).slice(0, 3), ['positive', 'negative', 'neutral']);
    assert.deepEqual(v.header.expressionModels, ['fer_a', 'fer_b']);
    assert.equal(v.header.speechModel, 'vosk-model-small-en-us-0.15');
    assert.equal(v.header.durationSec, 120);
    assert.deepEqual(v.link, { mediaPath: 'clip.mp4', target: 'clip.mp4.emotion.json' });
  });

  it('documentPath in the output names the document the link opens', () => {
    const v = view({ ...makeDocument(), documentPath: 'data/clip.mp4.emotion.json' });
    assert.deepEqual(v.link, { documentPath: 'data/clip.mp4.emotion.json', mediaPath: 'clip.mp4', target: 'data/clip.mp4.emotion.json' });
  });

  it('an audio recording: no frames, no complaint about it, the transcript\'s time span', () => {
    const doc = hourDocument(100);
    doc.frames = [];
    doc.media.kind = 'audio';
    const v = view(doc);
    assert.equal(v.tracks.length, 0);
    assert.ok(!v.notes.some((n) => /frames/.test(n)), v.notes.join(' | '));
    assert.deepEqual(v.domain, { startSec: 0, endSec: 20 });
  });
});

describe('notebook renderer model: slices and missing sections', () => {
  const hour = hourDocument(3000); // ten minutes

  it('frames of a time window: the charts span the window, and only its utterances are listed', () => {
    const slice = { ...hour, frames: hour.frames.slice(300, 600) };
    const v = view(slice);
    assert.equal(v.slice, true);
    assert.ok(Math.abs(v.domain.startSec - 60) < 1e-9 && Math.abs(v.domain.endSec - 120) < 1e-9, JSON.stringify(v.domain));
    assert.ok(v.speech.utterances.every((u) => u.endSec > 60 && u.startSec < 120));
    assert.equal(v.speech.utterances.length, 6);
    assert.ok(v.notes.some((n) => /utterances outside the frames' time window/.test(n)), v.notes.join(' | '));
    assert.equal(v.header.frames, 300);
  });

  it('no transcript and no voice: said, and everything else still there', () => {
    const { transcript: _t, voice: _v, ...rest } = hour;
    const v = view(rest);
    assert.equal(v.speech.status, 'missing');
    assert.ok(v.notes.includes('No transcript in this output.'));
    assert.ok(v.notes.includes('No voice section in this output.'));
    assert.equal(v.tracks.length, 2);
  });

  it('only the media and the tracks: the stored summary, without charts', () => {
    const doc = makeDocument(makeFrames(10, 0.2, [1]));
    doc.tracks = [{ id: 1, firstTimeSec: 0, lastTimeSec: 1.8, frameCount: 10, dominantLabel: 'neutral', meanConfidence: 0.8, labelShare: LABELS.map((l) => (l === 'neutral' ? 1 : 0)) }];
    const v = view({ media: doc.media, tracks: doc.tracks, labels: doc.labels });
    assert.equal(v.tracks.length, 1);
    assert.deepEqual(v.tracks[0]!.runs, []);
    assert.equal(v.tracks[0]!.summary.stored, true);
    assert.equal(v.tracks[0]!.summary.dominantShare, 1);
    assert.ok(v.notes.some((n) => /No frames in this output: the track summary is the document's own/.test(n)));
    assert.ok(v.notes.includes('No transcript in this output.'));
  });

  it('no labels list: the probabilities are named class 1, class 2, …', () => {
    const { labels: _l, ...rest } = makeDocument();
    const v = view(rest);
    assert.deepEqual(v.labels, LABELS.map((_, i) => `class ${i + 1}`));
    assert.ok(v.notes.some((n) => /No labels list/.test(n)));
  });

  it('unreadable frames and faces are skipped and counted, never thrown', () => {
    const doc = makeDocument(makeFrames(6, 0.2, [1]));
    const frames: unknown[] = [...doc.frames, { faces: [] }, 'x', null];
    (frames[0] as { faces: unknown[] }).faces.push({ box: [0, 0, 1, 1] });
    (frames[1] as { faces: { probs: unknown }[] }).faces[0]!.probs = [0.5, 0.5];
    const v = view({ ...doc, frames });
    assert.equal(v.header.frames, 6);
    assert.ok(v.notes.includes('3 frames without a time or faces skipped.'), v.notes.join(' | '));
    assert.ok(v.notes.includes('1 face without a track id skipped.'), v.notes.join(' | '));
    assert.ok(v.notes.some((n) => /1 face whose probabilities do not match the 7 labels/.test(n)), v.notes.join(' | '));
    assert.equal(points(v, 1), 5, 'the face with two probabilities is left out of the chart');
    assert.equal(v.tracks[0]!.summary.frames, 6, 'but its label still counts');
  });

  it('a newer schema version is rendered, with a note', () => {
    const v = view({ ...makeDocument(), schemaVersion: 9 });
    assert.ok(v.notes.some((n) => /Schema version 9 is newer/.test(n)));
  });
});

describe('notebook renderer model: data that is not an annotation document', () => {
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /the output is null/],
    ['an array', [1, 2], /an array of 2, not an object/],
    ['a string', 'clip.mp4', /a string, not an object/],
    ['a number', 42, /a number, not an object/],
    ['an empty object', {}, /an empty object/],
    ['an unrelated object', { name: 'x', rows: [] }, /none of media, frames, tracks or transcript \(it has "name", "rows"\)/],
    ['frames not an array', { frames: 3 }, /its frames is not an array/],
    ['media not an object', { media: 'clip.mp4', frames: [] }, /its media is not an object/],
    ['schemaVersion not a number', { schemaVersion: 'three', frames: [] }, /its schemaVersion is not a number/],
  ];
  for (const [name, data, message] of cases) {
    it(`${name}: one line saying so`, () => {
      const error = errorOf(data);
      assert.match(error, /^Not an Emotion Lens annotation document: /);
      assert.match(error, message);
      assert.equal(error.split('\n').length, 1);
    });
  }

  it('text that is not JSON: one line saying so', () => {
    const result = readOutputText('{"frames": [');
    assert.ok(!result.ok);
    assert.match(result.error, /^Not an Emotion Lens annotation document: the output is not JSON \(/);
  });

  it('the JSON text of a whole document reads like the object', () => {
    const doc: AnnotationDocument = makeDocument();
    const result = readOutputText(JSON.stringify(doc));
    assert.ok(result.ok);
    assert.deepEqual(result.view, view(doc));
  });
});

describe('notebook renderer model: the sentiment line and the time axis', () => {
  it('many utterances merge into at most MAX_POINTS steps, weighted by their length', () => {
    const many = Array.from({ length: 4800 }, (_, i) => ({ startSec: i, endSec: i + (i % 2 === 0 ? 0.9 : 0.1), compound: i % 2 === 0 ? 0.5 : -0.5 }));
    const steps = sentimentSteps(many);
    assert.ok(steps.length <= MAX_POINTS, `${steps.length} steps`);
    assert.ok(steps.every((s) => Math.abs(s.compound - 0.4) < 1e-9 && s.label === 'positive'), JSON.stringify(steps[0]));
    assert.equal(steps[0]!.startSec, 0);
    assert.equal(steps.at(-1)!.endSec, 4799.1);
  });

  it('lists at most MAX_UTTERANCES utterances and counts the rest', () => {
    const doc = hourDocument(HOUR_FRAMES);
    const utterances = Array.from({ length: MAX_UTTERANCES + 20 }, (_, i) => ({ ...doc.transcript.utterances[0]!, id: i, startSec: i * 2, endSec: i * 2 + 1 }));
    const v = view({ ...doc, transcript: { ...doc.transcript, utterances } });
    assert.equal(v.speech.utterances.length, MAX_UTTERANCES);
    assert.equal(v.speech.notListed, 20);
  });

  it('round ticks', () => {
    assert.deepEqual(timeTicks({ startSec: 0, endSec: 20 }), [0, 5, 10, 15, 20]);
    assert.deepEqual(timeTicks({ startSec: 0, endSec: 3600 }), [0, 600, 1200, 1800, 2400, 3000, 3600]);
    assert.deepEqual(timeTicks({ startSec: 61, endSec: 119 }), [70, 80, 90, 100, 110]);
  });
});
