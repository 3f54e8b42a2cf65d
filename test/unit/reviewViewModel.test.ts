import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration } from '../../src/shared/textFormat';
import { formatClock } from '../../src/webview/formatting';
import { keyAction, keyLegend } from '../../src/webview/keyboardModel';
import { buildRowTable, humanLabels } from '../../src/webview/labelRowsModel';
import { trackSummaries } from '../../src/webview/trackSummaryModel';
import { offersVoskModelChoice, transcriptStatusText, wordIndexAt } from '../../src/webview/transcriptModel';
import { DEFAULT_UI_STATE, parseUiState, UI_STATE_VERSION } from '../../src/webview/uiStateModel';
import { correction, LABELS, makeDocument, makeFrames } from '../helpers/documentBuilder';
import { HOUR_FRAMES, hourDocument } from '../helpers/reviewDocuments';

describe('track summary', () => {
  it('gives each track its dominant final label and reviewed share', () => {
    const doc = makeDocument(makeFrames(5, 0.2, [2, 1], (f, t) => (t === 2 && f < 3 ? 'surprised' : 'neutral')));
    const table = buildRowTable(doc);
    const before = trackSummaries(table, humanLabels(table, []));
    assert.deepEqual(before.map((s) => [s.trackId, s.dominantLabel, s.dominantShare, s.reviewed]), [[1, 'neutral', 1, 0], [2, 'surprised', 0.6, 0]]);
    // A human says track 2 was neutral in two frames where the model saw surprise: surprise no longer dominates.
    const human = humanLabels(table, [correction(doc.frames[0]!, 2, 'neutral'), correction(doc.frames[1]!, 2, 'neutral')]);
    const after = trackSummaries(table, human)[1]!;
    assert.deepEqual([after.dominantLabel, after.dominantShare, after.reviewed, after.reviewedShare, after.firstSec, after.lastSec], ['neutral', 0.8, 2, 0.4, 0, 0.8]);
  });

  it('summarises an hour of two people', () => {
    const table = buildRowTable(hourDocument());
    const rows = trackSummaries(table, humanLabels(table, []));
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.frames, HOUR_FRAMES);
    // Labels change every minute through all seven: each takes about a seventh.
    for (const r of rows) assert.ok(r.dominantShare > 1 / 7 - 0.01 && r.dominantShare < 1 / 7 + 0.02, String(r.dominantShare));
  });
});

describe('transcript', () => {
  const words = hourDocument(200).transcript.words;

  it('finds the word spoken at a time, holding it through short pauses', () => {
    assert.equal(wordIndexAt(words, 0.5), -1, 'before the first word');
    assert.equal(words[wordIndexAt(words, 1.2)]!.text, 'what');
    assert.equal(words[wordIndexAt(words, 1.45)]!.text, 'what', 'in the 0.1 s pause after it');
    assert.equal(words[wordIndexAt(words, 1.5)]!.text, 'a');
    assert.equal(wordIndexAt(words, 5), -1, 'long after the utterance');
    assert.equal(words[wordIndexAt(words, 11.6)]!.text, 'is');
    assert.equal(wordIndexAt([], 3), -1);
  });

  it('says why there is no transcript and when a model choice helps', () => {
    const doc = makeDocument();
    assert.equal(transcriptStatusText(doc.transcript), 'No transcript, the file has no audio: the file has no audio stream.');
    assert.equal(offersVoskModelChoice(doc.transcript), false);
    const unavailable = { status: 'unavailable' as const, reason: 'no Vosk model configured', words: [], utterances: [] };
    assert.match(transcriptStatusText(unavailable), /no speech model .*no Vosk model configured/);
    assert.equal(offersVoskModelChoice(unavailable), true);
    assert.equal(transcriptStatusText({ status: 'ok', engine: 'vosk', words: [], utterances: [] }), 'No speech was recognised (vosk).');
    assert.match(transcriptStatusText(hourDocument(200).transcript), /^Transcript: 4 utterances, 12 words \(vosk, vosk-model-small-en-us-0\.15\)\.$/);
  });
});

describe('keyboard', () => {
  const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    keyAction({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods }, LABELS.length);

  it('maps keys to actions and leaves every modified key to VS Code', () => {
    assert.deepEqual(key('3'), { kind: 'setLabel', label: 2 });
    assert.equal(key('8'), undefined, 'there are seven labels');
    assert.deepEqual(key('0'), { kind: 'clear' });
    assert.deepEqual(key('Backspace'), { kind: 'clear' });
    assert.deepEqual(key('ArrowDown', { shiftKey: true }), { kind: 'move', delta: 1, extend: true });
    assert.deepEqual(key(' '), { kind: 'playPause' });
    assert.deepEqual(key('N', { shiftKey: true }), { kind: 'nextLowConfidence', backwards: true });
    assert.deepEqual(key('d'), { kind: 'nextDisagreement', backwards: false });
    for (const k of ['z', 'y', 's', '1', 'ArrowDown', ' ']) {
      assert.equal(key(k, { ctrlKey: true }), undefined, `ctrl+${k}`);
      assert.equal(key(k, { metaKey: true }), undefined, `cmd+${k}`);
    }
  });

  it('lists every label with its number on the legend', () => {
    const legend = keyLegend(LABELS);
    LABELS.forEach((label, i) => assert.deepEqual(legend[i], { keys: String(i + 1), what: label }));
    for (const needed of ['N / ⇧N', 'D / ⇧D', '0 / ⌫', 'Space']) assert.ok(legend.some((l) => l.keys === needed), needed);
  });
});

describe('UI state', () => {
  it('round-trips and drops what it does not understand', () => {
    const state = { ...DEFAULT_UI_STATE, tableScrollTop: 480, selectedKey: '12:2', anchorKey: '9:2', sort: 'confidence' as const, zoomSec: 60, viewStartSec: 1200.5, playheadSec: 3.2, filter: { trackId: 2, label: 'sad', lowConfidenceOnly: true, disagreementOnly: false } };
    assert.deepEqual(parseUiState(JSON.parse(JSON.stringify(state))), state);
    assert.deepEqual(parseUiState({ ...state, version: UI_STATE_VERSION - 1 }), DEFAULT_UI_STATE, 'an older version is ignored whole');
    const messy = parseUiState({ version: UI_STATE_VERSION, tableScrollTop: -5, selectedKey: '<img>', sort: 'random', zoomSec: Infinity, viewStartSec: -3, filter: { trackId: 'x', label: 7, lowConfidenceOnly: 'yes' } });
    assert.deepEqual(messy, DEFAULT_UI_STATE);
    for (const junk of [undefined, null, 'state', [], 4]) assert.deepEqual(parseUiState(junk), DEFAULT_UI_STATE);
    // State saved before the charts could be panned has no start: the charts centre on the playhead then.
    const { viewStartSec: _dropped, ...older } = state;
    assert.equal(parseUiState(older).viewStartSec, null);
  });
});

describe('formatting', () => {
  it('formats sample times and durations', () => {
    assert.equal(formatClock(0), '0:00.00');
    assert.equal(formatClock(75.25), '1:15.25');
    assert.equal(formatClock(3725.5), '1:02:05.50');
    assert.equal(formatDuration(59.6), '1:00');
    assert.equal(formatDuration(3725), '1:02:05');
  });
});
