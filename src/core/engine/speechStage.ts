import type { ModelRef, Transcript, Utterance } from '../../shared/annotationDocument';
import { errorMessage, isCancelled } from '../errors';
import { AUDIO_SAMPLE_RATE, readAudio16k } from '../media/audioReader';
import { folderDigest } from '../models/folderDigest';
import type { FfmpegTools, MediaProbe } from '../media/mediaTypes';
import { chooseSpeechModel } from '../models/speechModelSelection';
import { transcribe } from '../speech/transcribe';
import type { SpeechWorkerPool } from '../speech/transcribe';
import { scoreSentiment } from '../text/sentiment';
import { splitUtterances } from '../text/utterances';
import type { AnalysisProgress, AnalysisRequest } from './analysisRequest';

export interface SpeechStageResult {
  transcript: Transcript;
  model?: ModelRef;
  /** Seconds of audio decoded, when the whole stream was read (for the truncation check). */
  audioDecodedSec?: number;
}

interface StageHooks {
  signal: AbortSignal;
  onProgress: (progress: AnalysisProgress) => void;
}

/**
 * Transcribes the audio and scores each utterance. Never fails the analysis: without audio, model or a
 * working engine the transcript says why (`status` and `reason`) and the face analysis still completes.
 */
export async function analyseSpeech(
  tools: () => Promise<FfmpegTools>,
  input: string,
  probe: MediaProbe,
  request: AnalysisRequest,
  hooks: StageHooks,
  workers?: SpeechWorkerPool,
): Promise<SpeechStageResult> {
  if (!request.settings.speech) return { transcript: empty('disabled', 'speech analysis was turned off') };
  if (!probe.hasAudio) return { transcript: empty('no-audio', 'the file has no audio stream') };
  const choice = chooseSpeechModel({
    voskModelDir: request.speech.voskModelDir,
    speechModelDir: request.speech.speechModelDir,
    modelsDir: request.models.modelsDir,
    cacheDir: request.models.cacheDir,
  });
  if (!choice.config) return { transcript: empty('unavailable', choice.reason ?? 'no speech model was found') };
  const config = choice.config;
  const digest = folderDigest(config.modelDir);
  digest.catch(() => undefined);
  try {
    const decoded = { samples: 0 };
    const pcm = countSamples(readAudio16k(await tools(), input, { signal: hooks.signal }), decoded);
    const result = await transcribe(pcm, config, {
      ...(workers ? { workers } : {}),
      signal: hooks.signal,
      onProgress: (audioSecDone) => hooks.onProgress({ kind: 'speech', audioSecDone, audioSecTotal: probe.durationSec }),
    });
    const utterances: Utterance[] = splitUtterances(result.words, result.endpoints, { pauseSec: request.settings.utterancePauseSec }).map(
      (span, id) => ({ id, ...span, sentiment: scoreSentiment(span.text) }),
    );
    return {
      transcript: {
        status: 'ok',
        engine: result.engine,
        model: { id: result.modelId, path: config.modelDir },
        words: result.words.map((w) => ({ ...w, startSec: round3(w.startSec), endSec: round3(w.endSec), confidence: round3(w.confidence) })),
        utterances,
      },
      model: { role: 'speech', id: result.modelId, sha256: await digest },
      audioDecodedSec: decoded.samples / AUDIO_SAMPLE_RATE,
    };
  } catch (error) {
    if (hooks.signal.aborted || isCancelled(error)) throw error;
    return { transcript: { ...empty('failed', errorMessage(error)), engine: config.engine, model: { id: config.modelId, path: config.modelDir } } };
  }
}

async function* countSamples(chunks: AsyncIterable<Int16Array>, count: { samples: number }): AsyncGenerator<Int16Array> {
  for await (const chunk of chunks) {
    count.samples += chunk.length;
    yield chunk;
  }
}

function empty(status: Transcript['status'], reason: string): Transcript {
  return { status, reason, words: [], utterances: [] };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
