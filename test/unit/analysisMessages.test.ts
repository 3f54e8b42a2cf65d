// What the extension says and logs about analyses: questions before re-analysing, notices after, batch summaries.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { makeRequest } from '../../src/core/engine/analysisRequest';
import type { AnalysisOutcome } from '../../src/core/engine/analysisRequest';
import { serialiseAnnotationDocument } from '../../src/core/document/annotationFile';
import {
  batchSummary,
  correctionsInDocumentText,
  existingDocumentsQuestion,
  mediaPathInDocumentText,
  outcomeLogLines,
  outcomeNotice,
  reanalyseQuestion,
  requestLogLine,
  unsavedQuestion,
} from '../../src/extension/analysisMessages';
import { otherWarnings } from '../../src/core/engine/outcomeWarnings';
import { correction, makeDocument, makeFrames } from '../helpers/documentBuilder';

function outcome(overrides: Partial<AnalysisOutcome> = {}): AnalysisOutcome {
  return {
    input: path.resolve('/v/clip.mp4'),
    outputPath: path.resolve('/v/clip.mp4.emotion.json'),
    frames: 100,
    facesFound: 95,
    tracks: [{ id: 1, dominantLabel: 'happy', meanConfidence: 0.81, frameCount: 95 }],
    transcript: { status: 'ok', words: 42, utterances: 5 },
    kind: 'video',
    voice: { status: 'ok', segments: 8, speechSec: 17.2 },
    corrections: { kept: 0, unplaced: 0 },
    models: [],
    warnings: [],
    elapsedSec: 12.34,
    ...overrides,
  };
}

describe('reading a document for the questions', () => {
  test('counts corrections, finds the media path and the models of a real serialised document', () => {
    const frames = makeFrames(10, 0.2, [1]);
    const doc = makeDocument(frames);
    doc.corrections = [correction(frames[2]!, 1, 'happy'), correction(frames[5]!, 1, 'sad')];
    const text = serialiseAnnotationDocument(doc);
    assert.equal(correctionsInDocumentText(text), 2);
    assert.equal(mediaPathInDocumentText(text), 'clip.mp4');
  });

  test('text that is not a document gives undefined / nothing, never a throw', () => {
    assert.equal(correctionsInDocumentText('{ not json'), undefined);
    assert.equal(correctionsInDocumentText('{"corrections": 3}'), undefined);
    assert.equal(mediaPathInDocumentText('[]'), undefined);
  });
});

describe('questions', () => {
  test('re-analysing one video names it and the number of corrections', () => {
    assert.equal(
      reanalyseQuestion([{ video: '/v/clip.mp4', corrections: 3 }]),
      'clip.mp4 already has 3 corrections. Re-analyse and keep the 3 corrections that still fit?',
    );
    assert.equal(reanalyseQuestion([{ video: '/v/a.mp4', corrections: 1 }]), 'a.mp4 already has 1 correction. Re-analyse and keep it if it still fits?');
    assert.match(reanalyseQuestion([{ video: 'a', corrections: 2 }, { video: 'b', corrections: 5 }]), /^2 videos already have corrections \(7 in all\)/);
  });

  test('unsaved documents and existing documents of a folder run', () => {
    assert.match(unsavedQuestion(['/v/a.mp4.emotion.json']), /^a\.mp4\.emotion\.json has unsaved changes/);
    assert.match(unsavedQuestion(['1', '2', '3', '4', '5']), /^1, 2, 3 and 2 more have unsaved changes/);
    assert.equal(
      existingDocumentsQuestion(3, 12, 0),
      '3 of 12 videos already have annotation documents. Analyse only the new videos, or re-analyse all?',
    );
    assert.match(existingDocumentsQuestion(1, 2, 4), /1 of 2 videos already has an annotation document\. .*\(4 corrections in them would be kept where they still fit\)\?$/);
  });
});

describe('after a run', () => {
  test('a clean run needs no notice', () => {
    assert.equal(outcomeNotice(outcome()), undefined);
  });

  test('unplaced corrections are reported once, not again as a warning', () => {
    const result = outcome({
      corrections: { kept: 3, unplaced: 2 },
      warnings: ['2 earlier correction(s) could not be placed on the new analysis; they are kept under unplacedCorrections'],
    });
    assert.equal(outcomeNotice(result), 'clip.mp4: 2 corrections could not be placed; they are kept in the document.');
  });

  test('the transcript has its own notice; other warnings are shown or counted', () => {
    const speech = 'speech unavailable: no speech model';
    const transcript = { status: 'unavailable' as const, reason: 'no speech model', words: 0, utterances: 0 };
    assert.equal(outcomeNotice(outcome({ transcript, warnings: [speech] })), undefined);
    assert.deepEqual(otherWarnings(outcome({ transcript, warnings: [speech, 'rotation ignored'] })), ['rotation ignored']);
    assert.equal(outcomeNotice(outcome({ warnings: ['rotation ignored'] })), 'clip.mp4: warning: rotation ignored.');
    assert.equal(outcomeNotice(outcome({ warnings: ['a', 'b'] })), 'clip.mp4: 2 warnings (see the log).');
  });

  test('the log names input, output, timing, tracks, speech, models, corrections and warnings', () => {
    const lines = outcomeLogLines(outcome({
      corrections: { kept: 1, unplaced: 1 },
      warnings: ['w1'],
      models: [{ role: 'faceDetector', id: 'face_detection_yunet_2023mar', sha256: '8f2383e4dd3cfbb4553ea8718107fc04' }],
    }));
    const text = lines.join('\n');
    assert.match(lines[0] ?? '', /^Analysed .*clip\.mp4 in 12\.3 s -> .*clip\.mp4\.emotion\.json$/);
    assert.match(text, /100 frames, 95 faces found, 1 track: #1 happy 81% \(95 frames\)/);
    assert.match(text, /speech: 42 words, 5 utterances/);
    assert.match(text, /models: faceDetector face_detection_yunet_2023mar \(sha256 8f2383e4dd3c…\)/);
    assert.match(text, /corrections: 1 kept, 1 could not be placed/);
    assert.match(text, /warning: w1/);
  });

  test('the request line records the settings that change the output and the paths', () => {
    const request = makeRequest('/v/clip.mp4', { settings: { sampleFps: 0, flipAverage: true }, models: { modelsDir: '/m', cacheDir: '/c' }, speech: { voskModelDir: '/vosk' } });
    const line = requestLogLine(request, '/v/clip.mp4.emotion.json');
    assert.match(line, /^Analysing \/v\/clip\.mp4 -> \/v\/clip\.mp4\.emotion\.json \(/);
    for (const part of ['sampling every frame', 'smoothing 0.4 s', 'min face score 0.6', 'min face size 20 px', '(with mirror average)', 'speech on', 'models /m then /c', 'ffmpeg from PATH', 'Vosk model /vosk']) {
      assert.ok(line.includes(part), `missing "${part}" in ${line}`);
    }
  });
});

describe('batch summary', () => {
  test('all analysed', () => {
    assert.equal(batchSummary({ analysed: Array(12).fill('x'), failed: [], notStarted: 0, cancelled: false, elapsedSec: 190 }), '12 analysed in 3:10.');
  });

  test('failures name the first file and its reason without repeating the path', () => {
    const input = path.resolve('/v/bad.mp4');
    const summary = batchSummary({
      analysed: Array(11).fill('x'),
      failed: [{ input, message: `${input}: ffprobe could not read it. Check the file` }, { input: '/v/b.mp4', message: 'x' }],
      notStarted: 0,
      cancelled: false,
      elapsedSec: 65,
    });
    assert.equal(summary, '11 analysed, 2 failed: bad.mp4 (ffprobe could not read it. Check the file) and 1 more in 1:05.');
  });

  test('a cancelled batch says how many were not started', () => {
    assert.equal(batchSummary({ analysed: ['a'], failed: [], notStarted: 4, cancelled: true, elapsedSec: 5 }), '1 analysed, cancelled (4 not started) in 0:05.');
  });
});
