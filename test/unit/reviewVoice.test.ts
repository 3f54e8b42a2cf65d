import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upgradeDocument } from '../../src/core/document/documentUpgrade';
import type { AnnotationDocument, Voice } from '../../src/shared/annotationDocument';
import { arousalSeries, pitchAxisRange, pitchSeries, sentimentSeries, stepSeries } from '../../src/webview/chartSeriesModel';
import { flagKinds, flagLabel, flagsText, flagTitle, segmentFlagBits } from '../../src/webview/disagreementModel';
import { keyLegend } from '../../src/webview/keyboardModel';
import { buildRowTable, humanLabels, inDisagreement, NO_FILTER, nextFlaggedPosition, visibleRows } from '../../src/webview/labelRowsModel';
import { wordIndexAt } from '../../src/webview/transcriptModel';
import { arousalTone, formatSigned, hasArousal, hasVoiceSeries, pitchText, semitonesToHz, voiceBadge, voiceNote } from '../../src/webview/voiceModel';
import { LABELS } from '../helpers/documentBuilder';
import { asVersionTwo, FACE_VOICE_SEGMENT, hourDocument, hourWithVoice, jfkAudioDocument, SEGMENT_SEC, STEP_SEC } from '../helpers/reviewDocuments';

const minute = hourWithVoice(300);
const jfk = jfkAudioDocument();

describe('voice series on the speech chart', () => {
  it('holds each voice segment\'s arousal and pitch over its span, broken between segments', () => {
    const range = { startSec: 0, endSec: 5 };
    const show = (points: { x: number; y: number }[]): (number | string)[][] => points.map((p) => [p.x, Number.isNaN(p.y) ? 'gap' : p.y]);
    assert.deepEqual(show(arousalSeries(jfk.voice.segments, range)), [[0.25, 1.3], [2.7, 1.3], [3.2, 'gap'], [3.2, -0.3], [4.15, -0.3], [4.5, 'gap'], [4.5, 0.4], [7.3, 0.4]]);
    assert.deepEqual(show(pitchSeries(jfk.voice.segments, range)), [[0.25, 29.8], [2.7, 29.8], [3.2, 'gap'], [3.2, 28.9], [4.15, 28.9], [4.5, 'gap'], [4.5, 28.2], [7.3, 28.2]]);
    // The whole recording: four segments, two points each and a break between.
    assert.equal(arousalSeries(jfk.voice.segments, { startSec: 0, endSec: 11 }).length, 4 * 3 - 1);
  });

  it('leaves out spans with no value (no baseline, nothing voiced) and spans outside the view', () => {
    // hourWithVoice's laugh at 14.1-15.8 s has arousal but no pitch (unvoiced).
    const range = { startSec: 10, endSec: 20 };
    assert.deepEqual(arousalSeries(minute.voice.segments, range).filter((p) => !Number.isNaN(p.y)).map((p) => p.x), [10.9, 12.5, 14.1, 15.8]);
    assert.deepEqual(pitchSeries(minute.voice.segments, range).filter((p) => !Number.isNaN(p.y)).map((p) => p.x), [10.9, 12.5]);
    assert.deepEqual(arousalSeries(jfkAudioDocument({ baseline: false }).voice.segments, { startSec: 0, endSec: 11 }), []);
    assert.deepEqual(stepSeries([{ startSec: 1, endSec: 2, v: Number.NaN }], (s) => s.v, { startSec: 0, endSec: 3 }), [], 'NaN is no value');
    // The sentiment steps are the same function: unchanged output.
    assert.deepEqual(sentimentSeries(minute.transcript.utterances, { startSec: 0, endSec: 12 }).map((p) => p.x), [1, 2.4, 11, 11, 12.4]);
  });

  it('scales the pitch axis to the whole recording, at least an octave tall', () => {
    assert.deepEqual(pitchAxisRange(jfk.voice.segments), { min: 23, max: 35 }, '27.1-29.8 st, widened to 12');
    const wide = [{ ...jfk.voice.segments[0]!, f0MeanSemitones: 20.2 }, { ...jfk.voice.segments[1]!, f0MeanSemitones: 41.5 }];
    assert.deepEqual(pitchAxisRange(wide), { min: 19, max: 43 });
    assert.equal(pitchAxisRange(jfk.voice.segments.map((s) => ({ ...s, f0MeanSemitones: null }))), undefined);
    assert.equal(pitchAxisRange([]), undefined);
  });
});

describe('voice badges and notes', () => {
  const baseline = jfk.voice.baseline;

  it('words arousal as lively, flat or usual at the engine\'s face-voice threshold (one SD)', () => {
    assert.deepEqual([1.3, 1, 0.99, 0.2, 0, -0.99, -1, -1.1].map(arousalTone), ['lively', 'lively', 'usual', 'usual', 'usual', 'usual', 'flat', 'flat']);
    assert.deepEqual([1.26, -1.14, 0.2, -0.04, 0.04, 0].map((v) => formatSigned(v)), ['+1.3', '−1.1', '+0.2', '0.0', '0.0', '0.0']);
    assert.equal(formatSigned(2, 0), '+2');
  });

  it('says how lively each utterance sounds, with pitch and the rest in the tooltip', () => {
    assert.deepEqual(jfk.transcript.utterances.map((u) => voiceBadge(u.voice, baseline)?.text), ['lively +1.3', 'usual +0.2', 'flat −1.1']);
    const badge = voiceBadge(jfk.transcript.utterances[2]!.voice, baseline)!;
    assert.equal(badge.tone, 'flat');
    assert.equal(badge.title, [
      "Voice flatter than this speaker's usual: arousal −1.10 SD",
      'Pitch 27.1 st re 27.5 Hz (≈ 132 Hz), 20–80 %: 25.3–29.0 st',
      'Intensity 68 dB',
      '3.2 words/s',
    ].join('\n'));
    assert.equal(voiceBadge(undefined, baseline), undefined, 'no voice measured: no badge (a version 2 document)');
  });

  it('says "no baseline" (and why) without arousal, never showing the raw score', () => {
    const doc = jfkAudioDocument({ baseline: false });
    const badge = voiceBadge(doc.transcript.utterances[0]!.voice, doc.voice.baseline)!;
    assert.equal(badge.text, 'voice: no baseline');
    assert.equal(badge.tone, 'none');
    assert.match(badge.title, /^Voice arousal not scored: less than 10 s of speech: too little to know this speaker’s usual voice\./);
    assert.match(badge.title, /\nPitch 29\.8 st re 27\.5 Hz \(≈ 154 Hz\)/);
    assert.doesNotMatch(badge.title, /raw|0\.66/, 'arousalRaw is not shown');
    // A baseline exists but this utterance had nothing voiced to score.
    const unvoiced = { ...jfk.transcript.utterances[0]!.voice!, arousal: null, arousalRaw: null, f0MeanSemitones: null };
    assert.deepEqual(voiceBadge(unvoiced, baseline)?.text, 'voice: not scored');
    assert.match(voiceBadge(unvoiced, baseline)!.title, /Pitch: none measured/);
  });

  it('converts semitones re 27.5 Hz to Hz', () => {
    assert.equal(semitonesToHz(0), 27.5);
    assert.equal(semitonesToHz(12), 55);
    assert.ok(Math.abs(semitonesToHz(48) - 440) < 1e-9);
    assert.equal(pitchText(36), '36.0 st re 27.5 Hz (≈ 220 Hz)');
  });

  it('says why the speech chart has no voice, or no arousal', () => {
    const none = (status: Voice['status'], reason?: string): Voice => ({ status, ...(reason ? { reason } : {}), baseline: { scope: 'none', reason: 'n/a' }, segments: [] });
    assert.equal(voiceNote(jfk.voice), undefined, 'everything is drawn');
    assert.equal(voiceNote(jfkAudioDocument({ baseline: false }).voice), 'voice arousal not scored: less than 10 s of speech: too little to know this speaker’s usual voice');
    assert.equal(voiceNote(none('not-analysed', 'analysed by an older Emotion Lens')), 'voice not analysed: analysed by an older Emotion Lens');
    assert.equal(voiceNote(none('disabled')), 'voice not analysed: voice analysis was turned off');
    assert.equal(voiceNote(none('no-audio')), 'voice not analysed: the file has no audio');
    assert.equal(voiceNote(none('no-speech')), 'no voice: no speech was found');
    assert.equal(voiceNote(none('failed', 'praat crashed')), 'voice analysis failed: praat crashed');
    assert.equal(voiceNote(none('ok')), 'voice: no speech segments were found');
    assert.equal(voiceNote(undefined), 'voice not analysed: the document has no voice section');
    assert.equal(hasVoiceSeries(none('ok')), false);
    assert.equal(hasVoiceSeries(jfk.voice), true);
    assert.equal(hasArousal(jfkAudioDocument({ baseline: false }).voice), false);
  });
});

describe('review flags: face vs words, face vs voice', () => {
  it('names each kind and keeps them as bits', () => {
    assert.equal(segmentFlagBits({ disagreement: false, flags: [] }), 0);
    assert.equal(segmentFlagBits({ disagreement: true, flags: ['face-words'] }), 1);
    assert.equal(segmentFlagBits({ disagreement: true, flags: ['face-voice'] }), 2);
    assert.equal(segmentFlagBits({ disagreement: true, flags: ['face-voice', 'face-words'] }), 3);
    // Written before flags existed: a disagreement is face vs words.
    assert.equal(segmentFlagBits({ disagreement: true } as unknown as { disagreement: boolean; flags: [] }), 1);
    assert.deepEqual(flagKinds(3), ['face-words', 'face-voice']);
    assert.deepEqual(flagKinds(2).map(flagLabel), ['face vs voice']);
    assert.equal(flagsText(3), 'face vs words and face vs voice');
    assert.equal(flagsText(0), '');
    assert.match(flagTitle('face-voice'), /voice/);
  });

  it('marks each row with its segment\'s flags, and jumps from one flagged segment to the next', () => {
    const table = buildRowTable(minute);
    const order = visibleRows(table, humanLabels(table, []), NO_FILTER, 'time', 0.5);
    const segmentOf = (p: number): number => Math.floor(table.timeSec[order[p]!]! / SEGMENT_SEC + 1e-9);
    const voiceRows = visibleRows(table, humanLabels(table, []), { ...NO_FILTER, disagreementOnly: true }, 'time', 0.5).filter((row) => table.disagreement[row] === 2);
    assert.ok(voiceRows.length > 0);
    for (const row of voiceRows) assert.equal(Math.floor(table.timeSec[row]! / SEGMENT_SEC + 1e-9) % 10, FACE_VOICE_SEGMENT);
    const stops: number[] = [];
    let p = -1;
    for (let i = 0; i < 7; i++) {
      p = nextFlaggedPosition(table, order, p);
      stops.push(segmentOf(p));
    }
    assert.deepEqual(stops, [3, 7, 13, 17, 23, 27, 3], 'each segment once, wrapping round');
    // Backwards lands on the first row of the segment before.
    const at17 = order.findIndex((row) => Math.abs(table.timeSec[row]! - 35) < 1e-9);
    const back = nextFlaggedPosition(table, order, at17, true);
    assert.equal(segmentOf(back), 13);
    assert.equal(table.timeSec[order[back]!], 13 * SEGMENT_SEC);
    assert.equal(table.timeSec[order[back - 1]!], 13 * SEGMENT_SEC - STEP_SEC);
    // Row by row still works for the predicate the filter uses.
    assert.equal(inDisagreement(table)(order[stops.length]!), false);
  });

  it('still finds the one flagged segment, from inside it, and nothing when none is flagged', () => {
    const doc = hourDocument(100); // 20 s: only segment 3 is flagged
    const table = buildRowTable(doc);
    const order = visibleRows(table, humanLabels(table, []), NO_FILTER, 'time', 0.5);
    const first = nextFlaggedPosition(table, order, -1);
    assert.equal(table.timeSec[order[first]!], 6);
    assert.equal(nextFlaggedPosition(table, order, first + 3), first, 'from inside it: back to its start');
    for (const s of doc.segments) {
      s.flags = [];
      s.disagreement = false;
    }
    const clean = buildRowTable(doc);
    assert.equal(nextFlaggedPosition(clean, order, -1), -1);
  });

  it('reads a version 2 document upgraded in memory: face vs words only, voice not analysed', () => {
    const upgraded = upgradeDocument(asVersionTwo(hourDocument(300)));
    assert.ok(upgraded.ok);
    const doc = upgraded.value as AnnotationDocument;
    assert.equal(doc.voice.status, 'not-analysed');
    assert.match(voiceNote(doc.voice)!, /^voice not analysed: /);
    assert.equal(doc.transcript.utterances.every((u) => voiceBadge(u.voice, doc.voice.baseline) === undefined), true);
    const table = buildRowTable(doc);
    const flagged = new Set<number>();
    for (let row = 0; row < table.count; row++) flagged.add(table.disagreement[row]!);
    assert.deepEqual([...flagged].sort(), [0, 1]);
  });
});

describe('audio recordings', () => {
  it('lists only the keys that do something without faces', () => {
    assert.deepEqual(keyLegend(LABELS, false).map((l) => l.keys), ['Space', '+ / −']);
    assert.ok(keyLegend(LABELS).some((l) => l.keys === 'D / ⇧D' && /face vs words or voice/.test(l.what)));
  });

  it('highlights the word a seek to its start lands on, a hair early or not', () => {
    const words = jfk.transcript.words;
    assert.equal(words[wordIndexAt(words, 8.2)]!.startSec, 8.2);
    assert.equal(words[wordIndexAt(words, 8.19995)]!.startSec, 8.2, 'the media element rounded the time down');
    assert.equal(wordIndexAt(words, 7.9), -1, 'in the pause before it');
  });

  it('builds no rows for a recording without faces', () => {
    const table = buildRowTable(jfk);
    assert.equal(table.count, 0);
    assert.equal(nextFlaggedPosition(table, new Int32Array(0), -1), -1);
  });
});
