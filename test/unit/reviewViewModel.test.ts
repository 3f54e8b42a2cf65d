import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClock, formatDuration, labelRows, trackRows, transcriptStatusText } from '../../src/webview/reviewViewModel';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';

describe('review view model', () => {
  it('makes one row per frame and face, with the human label over the model label', () => {
    const doc = makeDocument(makeFrames(4, 0.2, [1, 2], (f, t) => (t === 1 ? 'happy' : 'sad')));
    doc.frames[1]!.faces[1]!.confidence = 0.3;
    doc.corrections = [correction(doc.frames[2]!, 1, 'angry')];
    const { rows, total } = labelRows(doc, 0.5);
    assert.equal(total, 8);
    assert.deepEqual(rows.map((r) => r.key), ['0:1', '0:2', '1:1', '1:2', '2:1', '2:2', '3:1', '3:2']);
    const corrected = rows.find((r) => r.key === '2:1')!;
    assert.deepEqual([corrected.modelLabel, corrected.finalLabel, corrected.human], ['happy', 'angry', true]);
    assert.equal(rows.filter((r) => r.human).length, 1);
    assert.deepEqual(rows.filter((r) => r.lowConfidence).map((r) => r.key), ['1:2']);
  });

  it('limits the rows it renders but counts them all', () => {
    const doc = makeDocument(makeFrames(300, 0.2, [1, 2]));
    const { rows, total } = labelRows(doc, 0.5, 500);
    assert.equal(total, 600);
    assert.equal(rows.length, 500);
    assert.equal(rows.at(-1)!.key, '249:2');
  });

  it('summarises tracks with their reviewed counts', () => {
    const doc = makeDocument(makeFrames(5, 0.2, [2, 1], (f, t) => (t === 2 && f < 4 ? 'surprised' : 'neutral')));
    doc.corrections = [correction(doc.frames[0]!, 2, 'happy'), correction(doc.frames[3]!, 2, 'happy'), correction(doc.frames[3]!, 2, 'sad')];
    assert.deepEqual(trackRows(doc), [
      { id: 1, dominantLabel: 'neutral', frames: 5, reviewed: 0 },
      { id: 2, dominantLabel: 'surprised', frames: 5, reviewed: 2 },
    ]);
    doc.tracks = [{ id: 2, firstTimeSec: 0, lastTimeSec: 0.8, frameCount: 5, dominantLabel: 'fearful', meanConfidence: 0.8, labelShare: [0, 0, 1, 0, 0, 0, 0] }];
    assert.equal(trackRows(doc)[1]!.dominantLabel, 'fearful', "the engine's summary wins when there is one");
  });

  it('says what the transcript holds, or why there is none', () => {
    const doc = makeDocument();
    assert.equal(transcriptStatusText(doc.transcript), 'No transcript, the file has no audio: the file has no audio stream.');
    assert.match(transcriptStatusText({ status: 'unavailable', reason: 'no Vosk model configured', words: [], utterances: [] }), /no speech model .*no Vosk model configured/);
    const ok = transcriptStatusText({
      status: 'ok',
      engine: 'sherpa-onnx',
      model: { id: 'asr_zipformer' },
      words: [{ text: 'HI', startSec: 0, endSec: 0.2, confidence: 1 }],
      utterances: [{ id: 0, startSec: 0, endSec: 0.2, text: 'HI', wordStart: 0, wordEnd: 1, sentiment: { compound: 0, pos: 0, neu: 1, neg: 0, label: 'neutral' } }],
    });
    assert.equal(ok, 'Transcript: 1 utterance, 1 word (sherpa-onnx, asr_zipformer).');
  });

  it('formats sample times and durations', () => {
    assert.equal(formatClock(0), '0:00.00');
    assert.equal(formatClock(4.2), '0:04.20');
    assert.equal(formatClock(75.25), '1:15.25');
    assert.equal(formatClock(3725.5), '1:02:05.50');
    assert.equal(formatDuration(59.6), '1:00');
    assert.equal(formatDuration(3725), '1:02:05');
  });
});
