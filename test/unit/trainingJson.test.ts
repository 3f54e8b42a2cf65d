// trainingJson.ts: the training JSON: a record per face with its final label, utterances and voice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportDocument } from '../../src/core/export/exportFormats';
import type { TrainingExport } from '../../src/core/export/trainingJson';
import { LABELS } from '../helpers/documentBuilder';
import { AUDIO_DOCUMENT_PATH, audioFixture, exportFixture, finalLabelAt, FIXTURE_DOCUMENT_PATH, VOICE_SEGMENTS } from '../helpers/exportFixture';

describe('the training JSON', () => {
  const doc = exportFixture();
  const options = { documentPath: FIXTURE_DOCUMENT_PATH };

  it('training JSON: a record per frame and face with final label and source, utterances with sentiment and words', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', options)) as TrainingExport;
    assert.equal(parsed.records.length, doc.frames.reduce((n, f) => n + f.faces.length, 0));
    for (const r of parsed.records) assert.equal(r.label, finalLabelAt(r.frameIndex, r.trackId));
    const human = parsed.records.filter((r) => r.source === 'human');
    assert.deepEqual(human.map((r) => [r.frameIndex, r.trackId, r.label, r.confidence, r.modelLabel]), [[1, 1, 'happy', 1, 'neutral']]);
    assert.deepEqual(parsed.corrections, { applied: 1, unmatched: 0 });
    assert.deepEqual(parsed.labels, LABELS);
    assert.deepEqual(parsed.provenance, doc.provenance);
    assert.deepEqual(parsed.utterances.map((u) => [u.text, u.sentiment.label, u.words.length]), [['Great, she said', 'positive', 3], ['not so "good" & <sad>', 'negative', 5]]);
    assert.equal(parsed.segments.length, doc.segments.length);
  });

  it('training JSON: each utterance with its voice, the voice summary and every voice segment as in the document', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', options)) as TrainingExport;
    assert.deepEqual(parsed.utterances.map((u) => u.voice), doc.transcript.utterances.map((u) => u.voice));
    assert.deepEqual(parsed.utterances.map((u) => [u.voice?.arousal, u.voice?.wordsPerSecond]), [[1.28, 4.286], [-0.62, 9.091]]);
    assert.deepEqual(parsed.voiceSegments, VOICE_SEGMENTS);
    const { segments: _segments, ...summary } = doc.voice;
    assert.deepEqual(parsed.voice, summary);
    assert.deepEqual(parsed.segments.map((s) => s.voice?.segmentIndex), [0, 1]);
    // Utterances analysed without the voice have no voice key at all.
    const older = exportFixture();
    for (const u of older.transcript.utterances) delete u.voice;
    assert.ok((JSON.parse(exportDocument(older, 'json', options)) as TrainingExport).utterances.every((u) => !('voice' in u)));
  });
});

describe('the training JSON of an audio recording', () => {
  const doc = audioFixture();
  const audioOptions = { documentPath: AUDIO_DOCUMENT_PATH };

  it('training JSON: no records, the utterances with their voice and the voice segments', () => {
    const parsed = JSON.parse(exportDocument(doc, 'json', audioOptions)) as TrainingExport;
    assert.equal(parsed.media.kind, 'audio');
    assert.deepEqual(parsed.records, []);
    assert.equal(parsed.utterances.length, 2);
    assert.ok(parsed.utterances.every((u) => u.voice !== undefined && u.words.length > 0));
    assert.deepEqual(parsed.voiceSegments, VOICE_SEGMENTS);
  });
});
