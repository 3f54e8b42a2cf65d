/**
 * Measures the voice of one input in a voice worker (pooled across a batch, like the speech workers):
 * streams its 16 kHz PCM there and returns the frame track and the speech spans.
 */
import { fixNames } from '../fixNames';
import { startWorker } from '../workers/workerEntry';
import { streamPcmThroughPool, WorkerPool } from '../workers/pcmWorkerSession';
import type { VoiceMeasurement, VoiceWorkerData } from './voiceWorkerProtocol';

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
  /** The Silero VAD model file; absent: the energy rule finds speech. */
  vadModelPath?: string;
  signal?: AbortSignal;
  /** Seconds of audio measured so far. */
  onProgress?: (audioSecDone: number) => void;
  workers?: VoiceWorkerPool;
}

export async function measureVoice(pcm: AsyncIterable<Int16Array>, options: MeasureVoiceOptions = {}): Promise<VoiceMeasurement> {
  const pool = options.workers ?? new VoiceWorkerPool(0);
  return streamPcmThroughPool<string | null, object, VoiceMeasurement>(pool, options.vadModelPath ?? null, {}, pcm, {
    what: 'voice measurement',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
