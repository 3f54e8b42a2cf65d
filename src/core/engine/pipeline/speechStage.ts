import type { StageProfile } from '../../profiling/stageProfile';
import type { ModelRef, Transcript, Utterance } from '../../../shared/annotationDocument';
import { errorMessage, isCancelled } from '../../errors';
import { folderDigest } from '../../models/folderDigest';
import type { MediaProbe } from '../../media/mediaTypes';
import { chooseSpeechModel } from '../../models/speechModelSelection';
import type { SpeechModelConfig } from '../../speech/speechTypes';
import { transcribe } from '../../speech/transcribe';
import type { SpeechWorkerPool } from '../../speech/transcribe';
import { scoreSentiment } from '../../text/sentiment';
import { splitUtterances } from '../../text/utterances';
import type { AnalysisProgress, AnalysisRequest } from '../analysisRequest';

export interface SpeechStageResult {
  transcript: Transcript;
  model?: ModelRef;
}

export interface StageHooks {
  signal: AbortSignal;
  onProgress: (progress: AnalysisProgress) => void;
  /** Busy time per stage, when profiling. */
  profile?: StageProfile;
}

/** What transcribing an input needs, decided before its audio is read: a speech model, or why there is none. */
export type SpeechPlan = { config: SpeechModelConfig; digest: Promise<string> } | { transcript: Transcript };

/**
 * Whether the input will be transcribed, and with which model. Without audio or model the transcript says
 * why (`status` and `reason`) and the rest of the analysis still completes.
 */
export function planSpeech(probe: MediaProbe, request: AnalysisRequest): SpeechPlan {
  if (!request.settings.speech) return { transcript: emptyTranscript('disabled', 'speech analysis was turned off') };
  if (!probe.hasAudio) return { transcript: emptyTranscript('no-audio', 'the file has no audio stream') };
  const choice = chooseSpeechModel({
    voskModelDir: request.speech.voskModelDir,
    speechModelDir: request.speech.speechModelDir,
    modelsDir: request.models.modelsDir,
    cacheDir: request.models.cacheDir,
  });
  if (!choice.config) return { transcript: emptyTranscript('unavailable', choice.reason ?? 'no speech model was found') };
  const digest = folderDigest(choice.config.modelDir);
  digest.catch(() => undefined);
  return { config: choice.config, digest };
}

/**
 * Transcribes the audio and scores each utterance. Never fails the analysis: an engine that fails gives a
 * transcript with status `failed` and the reason; only cancellation is thrown.
 */
export async function analyzeSpeech(
  pcm: AsyncIterable<Int16Array>,
  plan: { config: SpeechModelConfig; digest: Promise<string> },
  probe: MediaProbe,
  request: AnalysisRequest,
  hooks: StageHooks,
  workers?: SpeechWorkerPool,
): Promise<SpeechStageResult> {
  const { config } = plan;
  try {
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
      model: { role: 'speech', id: result.modelId, sha256: await plan.digest },
    };
  } catch (error) {
    if (hooks.signal.aborted || isCancelled(error)) throw error;
    return { transcript: { ...emptyTranscript('failed', errorMessage(error)), engine: config.engine, model: { id: config.modelId, path: config.modelDir } } };
  }
}

export function emptyTranscript(status: Transcript['status'], reason: string): Transcript {
  return { status, reason, words: [], utterances: [] };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
