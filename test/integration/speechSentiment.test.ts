// Transcribe the two shared speech clips with the sherpa-onnx model, split utterances and score them with VADER.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHERPA_DEFAULT_ID } from '../../src/core/models/speechModelSelection';
import type { TranscriptionResult } from '../../src/core/speech/transcribe';
import { transcribe } from '../../src/core/speech/transcribe';
import { scoreSentiment } from '../../src/core/text/sentiment';
import { splitUtterances } from '../../src/core/text/utterances';
import { ffmpegPcm16k } from '../helpers/pcmAudio';
import { mediaFile, modelFile, noMediaReason, noModelsReason, skipUnless } from '../helpers/testEnvironment';

interface ClipSentiment {
  /** Mean compound weighted by utterance duration. */
  weightedCompound: number;
  positive: number;
  negative: number;
  neutral: number;
}

/** Scores each utterance, prints them, and sums up (the definition of "mostly" used below). */
function clipSentiment(name: string, result: TranscriptionResult, pauseSec: number): ClipSentiment {
  const spans = splitUtterances(result.words, result.endpoints, { pauseSec });
  const totals = { weighted: 0, seconds: 0, positive: 0, negative: 0, neutral: 0 };
  console.log(`${name} (pause ${pauseSec} s): ${spans.length} utterances`);
  for (const span of spans) {
    const s = scoreSentiment(span.text);
    const seconds = span.endSec - span.startSec;
    totals.weighted += s.compound * seconds;
    totals.seconds += seconds;
    totals[s.label]++;
    console.log(`  ${span.startSec.toFixed(2)}-${span.endSec.toFixed(2)} ${s.compound.toFixed(3).padStart(6)} ${s.label.padEnd(8)} ${span.text}`);
  }
  const weightedCompound = totals.seconds > 0 ? totals.weighted / totals.seconds : 0;
  console.log(`  duration-weighted compound ${weightedCompound.toFixed(3)}; positive ${totals.positive}, negative ${totals.negative}, neutral ${totals.neutral}`);
  return { weightedCompound, positive: totals.positive, negative: totals.negative, neutral: totals.neutral };
}

async function transcribeClip(file: string): Promise<TranscriptionResult> {
  const started = performance.now();
  const result = await transcribe(ffmpegPcm16k(mediaFile('video', file)), { engine: 'sherpa-onnx', modelDir: modelFile(SHERPA_DEFAULT_ID), modelId: SHERPA_DEFAULT_ID });
  console.log(`${file}: ${result.words.length} words in ${(performance.now() - started).toFixed(0)} ms (ffmpeg + worker + recognition)`);
  return result;
}

/**
 * "Mostly negative/positive" = BOTH the duration-weighted mean compound has that sign AND the non-neutral
 * utterances are in the majority of that label. Checked at the default pause (0.6 s) and at 0.3 s and 1.0 s,
 * so the outcome does not hinge on one segmentation.
 */
const PAUSES = [0.3, 0.6, 1.0];

describe('sentiment of the shared speech clips (sherpa-onnx + VADER)', skipUnless(noModelsReason, noMediaReason), () => {
  it('Obama (oil spill address, "eleven workers lost their lives") is mostly negative', async () => {
    const result = await transcribeClip('Obama_clip1_face_speech.mp4');
    assert.ok(result.words.length >= 30, 'the 20 s address yields words');
    for (const pauseSec of PAUSES) {
      const s = clipSentiment('Obama', result, pauseSec);
      assert.ok(s.weightedCompound < 0, `pause ${pauseSec}: weighted compound ${s.weightedCompound}`);
      assert.ok(s.negative > s.positive, `pause ${pauseSec}: ${s.negative} negative vs ${s.positive} positive`);
    }
  });

  it('Reagan (national pride, "this national feeling is good") is mostly positive', async () => {
    const result = await transcribeClip('reagan_clip1_face_speech.mp4');
    assert.ok(result.words.length >= 40, 'the 26 s address yields words');
    for (const pauseSec of PAUSES) {
      const s = clipSentiment('Reagan', result, pauseSec);
      assert.ok(s.weightedCompound > 0, `pause ${pauseSec}: weighted compound ${s.weightedCompound}`);
      assert.ok(s.positive > s.negative, `pause ${pauseSec}: ${s.positive} positive vs ${s.negative} negative`);
    }
  });
});
