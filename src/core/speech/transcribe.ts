/**
 * Streams 16 kHz mono PCM to a speech worker thread and collects the words. A bounded number of chunks
 * is in flight (backpressure on the PCM source); abort settles at once and stops the worker right after
 * the chunk it is on.
 */
import type { Worker } from 'node:worker_threads';
import { CancelledError, EmotionLensError, errorMessage, throwIfAborted } from '../errors';
import { fixNames } from '../fixNames';
import { startWorker } from '../workers/workerEntry';
import type { FromSpeechWorker, SpeechWorkerData, ToSpeechWorker, TranscriptionResult } from './speechWorkerProtocol';
import type { SpeechModelConfig } from './speechTypes';

export type { TranscriptionResult } from './speechWorkerProtocol';

export interface TranscribeOptions {
  signal?: AbortSignal;
  /** Seconds of audio recognised so far. */
  onProgress?: (audioSecDone: number) => void;
}

/** Chunks posted but not yet consumed by the worker; the PCM source waits beyond this. */
const MAX_IN_FLIGHT = 8;

/**
 * Recognises all of `pcm` (16 kHz mono s16) in a worker. A chunk that owns its whole ArrayBuffer is
 * transferred (detached from the caller); views into larger buffers are copied.
 */
export async function transcribe(pcm: AsyncIterable<Int16Array>, config: SpeechModelConfig, options: TranscribeOptions = {}): Promise<TranscriptionResult> {
  throwIfAborted(options.signal);
  const data: SpeechWorkerData = { config, fixNames: { ...fixNames() } };
  const session = new SpeechSession(startWorker('speechWorker', { workerData: data }), options);
  try {
    const feeding = session.feed(pcm);
    feeding.catch(() => undefined); // its failure is reported through the race below
    await Promise.race([feeding, session.outcome]);
    session.post({ type: 'finish' });
    return await session.outcome;
  } finally {
    session.close();
  }
}

class SpeechSession {
  readonly outcome: Promise<TranscriptionResult>;
  private settled = false;
  private inFlight = 0;
  private wakers: (() => void)[] = [];
  private resolveOutcome!: (result: TranscriptionResult) => void;
  private rejectOutcome!: (error: Error) => void;
  private readonly onAbort = (): void => this.settle(new CancelledError());

  constructor(
    private readonly worker: Worker,
    private readonly options: TranscribeOptions,
  ) {
    this.outcome = new Promise<TranscriptionResult>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    this.outcome.catch(() => undefined); // awaited by transcribe(); avoid an unhandled rejection meanwhile
    worker.on('message', (message: FromSpeechWorker) => this.onMessage(message));
    worker.on('error', (error) => this.settle(new EmotionLensError('internal', `speech recognition failed (${errorMessage(error)})`)));
    worker.on('exit', (code) => this.settle(new EmotionLensError('internal', `speech worker stopped unexpectedly (exit code ${code})`)));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Posts every chunk, waiting whenever MAX_IN_FLIGHT chunks are unconsumed; stops early once settled. */
  async feed(pcm: AsyncIterable<Int16Array>): Promise<void> {
    for await (const chunk of pcm) {
      if (this.settled) break;
      if (chunk.length === 0) continue;
      await this.waitForSlot();
      if (this.settled) break;
      this.inFlight++;
      this.post({ type: 'pcm', samples: ownedCopy(chunk) }, true);
    }
  }

  post(message: ToSpeechWorker, transfer = false): void {
    if (this.settled) return;
    const list = transfer && message.type === 'pcm' ? [message.samples.buffer as ArrayBuffer] : [];
    this.worker.postMessage(message, list);
  }

  close(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.settle(new CancelledError());
  }

  private onMessage(message: FromSpeechWorker): void {
    if (message.type === 'ack') {
      this.inFlight--;
      this.options.onProgress?.(message.audioSecDone);
      this.wake();
    } else if (message.type === 'done') {
      this.settle(undefined, message.result);
    } else {
      this.settle(new EmotionLensError(message.code, message.message));
    }
  }

  /** First outcome wins; the worker is stopped either way (it holds native memory). */
  private settle(error: Error | undefined, result?: TranscriptionResult): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.rejectOutcome(error);
    else if (result) this.resolveOutcome(result);
    this.wake();
    this.stopWorker();
  }

  /** Asks the worker to free its engine and exit; terminates it only if it has not gone within the grace period. */
  private stopWorker(graceMs = 3000): void {
    const timer = setTimeout(() => void this.worker.terminate(), graceMs);
    timer.unref();
    this.worker.once('exit', () => clearTimeout(timer));
    this.worker.postMessage({ type: 'close' } satisfies ToSpeechWorker);
  }

  private async waitForSlot(): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && !this.settled) await new Promise<void>((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}

/** A chunk that owns its whole buffer is transferred as is; a view into a larger (pooled) buffer is copied first. */
function ownedCopy(chunk: Int16Array): Int16Array {
  const buffer = chunk.buffer;
  const owns = buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === buffer.byteLength;
  return owns ? chunk : chunk.slice();
}
