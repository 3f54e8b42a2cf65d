/**
 * Streams 16 kHz mono PCM to a speech worker thread and collects the words (core/workers/pcmWorkerSession.ts
 * does the streaming, backpressure and cancellation). A batch reuses workers with their model loaded
 * (SpeechWorkerPool).
 */
import { fixNames } from '../fixNames';
import { startWorker } from '../workers/workerEntry';
import { streamPcmThroughPool, WorkerPool } from '../workers/pcmWorkerSession';
import type { SpeechWorkerData, TranscriptionResult } from './speechWorkerProtocol';
import type { SpeechModelConfig } from './speechTypes';

export type { TranscriptionResult } from './speechWorkerProtocol';

export interface TranscribeOptions {
  signal?: AbortSignal;
  /** Seconds of audio recognised so far. */
  onProgress?: (audioSecDone: number) => void;
  /** Loaded speech workers to reuse (a batch's); without it, a worker is started and stopped for this input. */
  workers?: SpeechWorkerPool;
}

/** Speech workers with their model loaded, by model, kept between the inputs of a batch. */
export class SpeechWorkerPool extends WorkerPool<SpeechModelConfig> {
  /** At most this many idle workers per model (a batch keeps about two inputs in flight). */
  constructor(maxIdlePerModel = 2) {
    super((config) => startWorker('speechWorker', { workerData: { config, fixNames: { ...fixNames() } } satisfies SpeechWorkerData }), maxIdlePerModel);
  }
}

/**
 * Recognises all of `pcm` (16 kHz mono s16) in a worker. A chunk that owns its whole ArrayBuffer is
 * transferred (detached from the caller); views into larger buffers are copied.
 */
export async function transcribe(pcm: AsyncIterable<Int16Array>, config: SpeechModelConfig, options: TranscribeOptions = {}): Promise<TranscriptionResult> {
  const pool = options.workers ?? new SpeechWorkerPool(0);
  return streamPcmThroughPool<SpeechModelConfig, object, TranscriptionResult>(pool, config, {}, pcm, {
    what: 'speech recognition',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
