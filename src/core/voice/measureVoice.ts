/**
 * Measures the voice of one input in a voice worker (pooled across a batch, like the speech workers):
 * streams its PCM there (at the rate audioReader.ts voiceSampleRate chose) and returns the frame track and the
 * speech spans.
 */
import { fixNames } from '../fixNames';
import { AUDIO_SAMPLE_RATE } from '../media/audioReader';
import { startWorker } from '../workers/workerEntry';
import { streamPcmThroughPool, WorkerPool } from '../workers/pcmWorkerSession';
import type { VoiceBegin, VoiceMeasurement, VoiceWorkerData } from './voiceWorkerProtocol';

export type { VoiceMeasurement } from './voiceWorkerProtocol';

/** Voice workers, by VAD model file (null: the energy rule), kept between the inputs of a batch. */
export class VoiceWorkerPool extends WorkerPool<string | null> {
  constructor(maxIdle = 2) {
    super(
      (vadModelPath) =>
        startWorker('voiceWorker', { workerData: { ...(vadModelPath ? { vadModelPath } : {}), fixNames: { ...fixNames() } } satisfies VoiceWorkerData }),
      maxIdle,
    );
  }
}

export interface MeasureVoiceOptions {
  /** Of the PCM given (default 16 kHz). */
  sampleRate?: number;
  /** The Silero VAD model file; absent: the energy rule finds speech. */
  vadModelPath?: string;
  signal?: AbortSignal;
  /** The input's length in samples, when known (its probed duration): frames are then laid as Praat lays them. */
  expectedSamples?: number;
  /** Keep every frame's critical-band levels in the track (voice prints: only who speaks uses them). */
  bandLevels?: boolean;
  /** Seconds of audio measured so far. */
  onProgress?: (audioSecDone: number) => void;
  workers?: VoiceWorkerPool;
}

export async function measureVoice(pcm: AsyncIterable<Int16Array>, options: MeasureVoiceOptions = {}): Promise<VoiceMeasurement> {
  const pool = options.workers ?? new VoiceWorkerPool(0);
  const begin: VoiceBegin = {
    sampleRate: options.sampleRate ?? AUDIO_SAMPLE_RATE,
    ...(options.expectedSamples ? { expectedSamples: options.expectedSamples } : {}),
    ...(options.bandLevels ? { bandLevels: true } : {}),
  };
  return streamPcmThroughPool<string | null, VoiceBegin, VoiceMeasurement>(pool, options.vadModelPath ?? null, begin, pcm, {
    what: 'voice measurement',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
