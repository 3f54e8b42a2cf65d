/**
 * The audio of one input for the speech recogniser (16 kHz) and the voice measurement (at the recording's own
 * rate, at most 48 kHz: jitter, shimmer and HNR agree with Praat only there), each in a worker of its own, at the
 * same time. A 16 kHz recording is read once by one ffmpeg and fanned out to both; one at another rate is read
 * by one ffmpeg with two outputs, its own rate for the voice and 16 kHz for the recogniser. Neither can fail the analysis: a failure shows in its
 * section's `status` and `reason`; only cancellation is thrown.
 */
import type { ModelRef, Transcript, Voice } from '../../../shared/annotationDocument';
import { errorMessage, isCancelled } from '../../errors';
import { AUDIO_SAMPLE_RATE, readAudio16k, readAudioAtRates, voiceSampleRate } from '../../media/audioReader';
import { fanOut } from '../../media/chunkFanOut';
import type { FfmpegTools, MediaProbe } from '../../media/mediaTypes';
import type { SpeechWorkerPool } from '../../speech/transcribe';
import { measureVoice } from '../../voice/measureVoice';
import type { VoiceMeasurement, VoiceWorkerPool } from '../../voice/measureVoice';
import type { AnalysisRequest } from '../analysisRequest';
import { analyzeSpeech, planSpeech } from './speechStage';
import type { SpeechStageResult, StageHooks } from './speechStage';
import type { VadModel } from './pipelineResources';

export interface AudioWorkers {
  speech?: SpeechWorkerPool;
  voice?: VoiceWorkerPool;
  vad: () => Promise<VadModel>;
}

export interface AudioStageResult {
  speech: SpeechStageResult;
  /** The measurement, or the voice section that says why there is none. */
  voice: { measurement: VoiceMeasurement; vadRef?: ModelRef } | { section: Voice };
  /** Seconds of audio decoded, when the whole stream was read (for the truncation check). */
  audioDecodedSec?: number;
  warnings: string[];
}

export async function analyzeAudio(tools: () => Promise<FfmpegTools>, input: string, probe: MediaProbe, request: AnalysisRequest, hooks: StageHooks, workers: AudioWorkers): Promise<AudioStageResult> {
  const speechPlan = planSpeech(probe, request);
  const voiceSkip = voiceSkipped(probe, request);
  const transcribing = 'config' in speechPlan;
  if (!transcribing && voiceSkip) return { speech: { transcript: speechPlan.transcript }, voice: { section: voiceSkip }, warnings: [] };

  const vad = voiceSkip ? undefined : await workers.vad();
  const voiceRate = voiceSkip ? AUDIO_SAMPLE_RATE : voiceSampleRate(probe.audioSampleRate);
  const ffmpeg = await tools();
  const profiled = hooks.profile ? { profile: hooks.profile } : {};
  // Seconds decoded, for the truncation check: the furthest either read got (one may stop early on a failure).
  const decoded = { samples: 0, voiceSamples: 0 };
  let speechPcm: AsyncIterable<Int16Array> | undefined, voicePcm: AsyncIterable<Int16Array> | undefined;
  let reads: AsyncGenerator<Int16Array>[] = [];
  // Stops the read of each consumer, in [voice, speech] order, once that consumer is done.
  let stopReads: (() => void)[] = [];
  if (voiceRate === AUDIO_SAMPLE_RATE) {
    const source = countSamples(readAudio16k(ffmpeg, input, { signal: hooks.signal, ...profiled }), decoded, 'samples');
    if (transcribing && !voiceSkip) {
      // Two consumers share one read. Returning a fresh iterator of a branch drops that branch from the hub.
      const branches = fanOut(source, 2, (chunk) => chunk.slice());
      [speechPcm, voicePcm] = branches;
      stopReads = [branches[1]!, branches[0]!].map((branch) => () => void branch[Symbol.asyncIterator]().return?.(undefined));
    } else {
      // One consumer reads the source itself.
      [speechPcm, voicePcm] = [source, source];
    }
  } else {
    // Both rates from one ffmpeg (one start, one decode); the voice alone reads its own rate.
    reads = readAudioAtRates(ffmpeg, input, transcribing ? [voiceRate, AUDIO_SAMPLE_RATE] : [voiceRate], { signal: hooks.signal, ...profiled });
    const [voiceRead, speechRead] = reads;
    voicePcm = countSamples(voiceRead!, decoded, 'voiceSamples');
    speechPcm = speechRead ? countSamples(speechRead, decoded, 'samples') : undefined;
    stopReads = reads.map((read) => () => void read.return(undefined));
  }

  const speech: Promise<SpeechStageResult> = transcribing
    ? analyzeSpeech(speechPcm!, speechPlan, probe, request, hooks, workers.speech)
    : Promise.resolve({ transcript: (speechPlan as { transcript: Transcript }).transcript });
  speech.catch(() => undefined);
  // Voice prints (the band levels) serve only who speaks, in a video. With `auto` whether it runs is known only once
  // the faces are (two or more during the speech), after the voice has started, so the levels are kept unless it is off.
  const bandLevels = request.settings.speakers !== 'off' && probe.kind === 'video';
  const voice = voiceSkip ? Promise.resolve({ section: voiceSkip }) : measureVoiceOf(voicePcm!, voiceRate, probe, vad!, { ...hooks, reportsProgress: !transcribing, bandLevels }, workers);
  // A consumer that ended without reading all of its stream (a worker that failed to start) lets the other go on:
  // with a shared read, a consumer that never reads would otherwise hold the other back once its queue is full.
  [voice, speech].forEach((done, i) => void done.finally(() => stopReads[i]?.()).catch(() => undefined));
  const [speechResult, voiceResult] = await Promise.all([speech, voice]);
  return {
    speech: speechResult,
    voice: voiceResult,
    audioDecodedSec: Math.max(decoded.samples / AUDIO_SAMPLE_RATE, decoded.voiceSamples / voiceRate),
    warnings: vad?.warning && 'measurement' in voiceResult ? [vad.warning] : [],
  };
}

/** The voice section of an input whose voice is not measured, or undefined when it will be. */
function voiceSkipped(probe: MediaProbe, request: AnalysisRequest): Voice | undefined {
  const none = (status: Voice['status'], reason: string): Voice => ({ status, reason, baseline: { scope: 'none', reason }, segments: [] });
  if (!request.settings.voice) return none('disabled', 'voice analysis was turned off');
  if (!probe.hasAudio) return none('no-audio', 'the file has no audio stream');
  return undefined;
}

async function measureVoiceOf(
  pcm: AsyncIterable<Int16Array>,
  sampleRate: number,
  probe: MediaProbe,
  vad: VadModel,
  hooks: StageHooks & { reportsProgress: boolean; bandLevels: boolean },
  workers: AudioWorkers,
): Promise<{ measurement: VoiceMeasurement; vadRef?: ModelRef } | { section: Voice }> {
  try {
    const measurement = await measureVoice(pcm, {
      ...(vad.path ? { vadModelPath: vad.path } : {}),
      sampleRate,
      ...(probe.durationSec > 0 ? { expectedSamples: Math.round(probe.durationSec * sampleRate) } : {}),
      ...(workers.voice ? { workers: workers.voice } : {}),
      bandLevels: hooks.bandLevels,
      signal: hooks.signal,
      // While the recogniser runs, it reports the audio's progress (the voice runs ahead of it).
      ...(hooks.reportsProgress ? { onProgress: (audioSecDone: number) => hooks.onProgress({ kind: 'speech', audioSecDone, audioSecTotal: probe.durationSec }) } : {}),
    });
    return { measurement, ...(vad.ref ? { vadRef: vad.ref } : {}) };
  } catch (error) {
    if (hooks.signal.aborted || isCancelled(error)) throw error;
    const reason = `voice measurement failed: ${errorMessage(error)}`;
    return { section: { status: 'failed', reason, baseline: { scope: 'none', reason: 'not measured' }, segments: [] } };
  }
}

async function* countSamples<K extends string>(chunks: AsyncIterable<Int16Array>, count: Record<K, number>, key: K): AsyncGenerator<Int16Array> {
  for await (const chunk of chunks) {
    count[key] += chunk.length;
    yield chunk;
  }
}
