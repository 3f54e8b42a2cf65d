// webVtt.ts: the WebVTT subtitles, each sentiment NOTE before its cue.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportDocument } from '../../src/core/export/exportFormats';
import { vttTimestamp } from '../../src/core/export/webVtt';
import { parseVtt, vttUnescape } from '../helpers/exportParsers';
import { AUDIO_DOCUMENT_PATH, audioFixture, exportFixture, FIXTURE_DOCUMENT_PATH } from '../helpers/exportFixture';

describe('the WebVTT file', () => {
  const doc = exportFixture();
  const options = { documentPath: FIXTURE_DOCUMENT_PATH };

  it('WebVTT: one cue per utterance, increasing times that match the utterances, sentiment NOTE before each', () => {
    const vtt = parseVtt(exportDocument(doc, 'vtt', options));
    assert.equal(vtt.cues.length, doc.transcript.utterances.length);
    vtt.cues.forEach((cue, i) => {
      const u = doc.transcript.utterances[i]!;
      assert.equal(cue.startMs, Math.round(u.startSec * 1000));
      assert.equal(cue.endMs, Math.round(u.endSec * 1000));
      assert.ok(i === 0 || cue.startMs >= vtt.cues[i - 1]!.startMs);
      assert.equal(vttUnescape(cue.text), u.text);
      assert.match(cue.note ?? '', new RegExp(`^sentiment ${u.sentiment.label}, compound ${u.sentiment.compound}`));
    });
    assert.equal(vttTimestamp(3_723_004), '01:02:03.004');
  });

  it('WebVTT: without a transcript, a valid file with a NOTE saying why', () => {
    const silent = exportFixture();
    silent.transcript = { status: 'unavailable', reason: 'no speech model --> install one', words: [], utterances: [] };
    const vtt = parseVtt(exportDocument(silent, 'vtt', options));
    assert.equal(vtt.cues.length, 0);
    assert.match(vtt.notes.join('\n'), /unavailable: no speech model/);
  });
});

describe('the WebVTT file of an audio recording', () => {
  const doc = audioFixture();
  const audioOptions = { documentPath: AUDIO_DOCUMENT_PATH };

  it('WebVTT: the transcript as for a video', () => {
    assert.equal(parseVtt(exportDocument(doc, 'vtt', audioOptions)).cues.length, 2);
  });
});
