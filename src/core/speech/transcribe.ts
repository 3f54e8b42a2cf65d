/**
 * Streams 16 kHz mono PCM to a speech worker thread and collects the words. A bounded number of chunks
 * is in flight (backpressure on the PCM source); abort settles at once and stops the worker right after
 * the chunk it is on. A batch reuses workers with their model loaded (SpeechWorkerPool).
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
  /** Loaded speech workers to reuse (a batch's); without it, a worker is started and stopped for this input. */
  workers?: SpeechWorkerPool;
}

/**
 * Speech workers with their model loaded, kept between the inputs of a batch: loading a model takes longer
 * than recognising a short clip. A worker is handed to one transcription at a time; one that failed or was
 * cancelled is stopped, never reused.
 */
export class SpeechWorkerPool {
  private readonly idle = new Map<string, Worker[]>();
  private closed = false;

  /** At most this many idle workers per model (a batch keeps about two inputs in flight). */
  constructor(private readonly maxIdlePerModel = 2) {}

  acquire(config: SpeechModelConfig): Worker {
    const worker = this.idle.get(keyOf(config))?.pop();
    return worker ?? startWorker('speechWorker', { workerData: { config, fixNames: { ...fixNames() } } satisfies SpeechWorkerData });
  }

  /** Takes back a worker that finished its input cleanly (it is stopped when the pool is full or closed). */
  release(config: SpeechModelConfig, worker: Worker): void {
    const list = this.idle.get(keyOf(config)) ?? [];
    if (this.closed || list.length >= this.maxIdlePerModel) return stopWorker(worker);
    list.push(worker);
    this.idle.set(keyOf(config), list);
  }

  /** Idle workers kept for this model. */
  idleCount(config: SpeechModelConfig): number {
    return this.idle.get(keyOf(config))?.length ?? 0;
  }

  close(): void {
    this.closed = true;
    for (const list of this.idle.values()) for (const worker of list) stopWorker(worker);
    this.idle.clear();
  }
}

function keyOf(config: SpeechModelConfig): string {
  return JSON.stringify([config.engine, config.modelDir, config.modelId]);
}

/** Asks the worker to free its engine and exit; terminates it only if it has not gone within the grace period. */
function stopWorker(worker: Worker, graceMs = 3000): void {
  const timer = setTimeout(() => void worker.terminate(), graceMs);
  timer.unref();
  worker.once('exit', () => clearTimeout(timer));
  worker.postMessage({ type: 'close' } satisfies ToSpeechWorker);
}

/** Chunks posted but not yet consumed by the worker; the PCM source waits beyond this. */
const MAX_IN_FLIGHT = 8;

/**
 * Recognises all of `pcm` (16 kHz mono s16) in a worker. A chunk that owns its whole ArrayBuffer is
 * transferred (detached from the caller); views into larger buffers are copied.
 */
export async function transcribe(pcm: AsyncIterable<Int16Array>, config: SpeechModelConfig, options: TranscribeOptions = {}): Promise<TranscriptionResult> {
  throwIfAborted(options.signal);
  const pool = options.workers ?? new SpeechWorkerPool(0);
  const worker = pool.acquire(config);
  const session = new SpeechSession(worker, options);
  let clean = false;
  try {
    session.post({ type: 'begin' });
    const feeding = session.feed(pcm);
    feeding.catch(() => undefined); // its failure is reported through the race below
    await Promise.race([feeding, session.outcome]);
    session.post({ type: 'finish' });
    const result = await session.outcome;
    clean = true;
    return result;
  } finally {
    session.detach();
    if (clean) pool.release(config, worker);
    else stopWorker(worker);
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
  private readonly onWorkerMessage = (message: FromSpeechWorker): void => this.onMessage(message);
  private readonly onWorkerError = (error: Error): void => this.settle(new EmotionLensError('internal', `speech recognition failed (${errorMessage(error)})`));
  private readonly onWorkerExit = (code: number): void => this.settle(new EmotionLensError('internal', `speech worker stopped unexpectedly (exit code ${code})`));

  constructor(
    private readonly worker: Worker,
    private readonly options: TranscribeOptions,
  ) {
    this.outcome = new Promise<TranscriptionResult>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    this.outcome.catch(() => undefined); // awaited by transcribe(); avoid an unhandled rejection meanwhile
    worker.on('message', this.onWorkerMessage);
    worker.on('error', this.onWorkerError);
    worker.on('exit', this.onWorkerExit);
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

  /** Ends this transcription (a cancellation if nothing else ended it) and lets go of the worker. */
  detach(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.settle(new CancelledError());
    this.worker.off('message', this.onWorkerMessage);
    this.worker.off('error', this.onWorkerError);
    this.worker.off('exit', this.onWorkerExit);
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

  /** First outcome wins; transcribe() then stops the worker or hands it back to its pool. */
  private settle(error: Error | undefined, result?: TranscriptionResult): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.rejectOutcome(error);
    else if (result) this.resolveOutcome(result);
    this.wake();
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
