/**
 * Streams 16 kHz mono PCM to a worker thread that owns a loaded engine (speech recognition, voice
 * measurement) and waits for its answer. A bounded number of chunks is in flight (backpressure on the PCM
 * source); abort settles at once and stops the worker right after the chunk it is on. Batches reuse workers
 * between inputs through a WorkerPool: loading a model takes longer than analysing a short clip.
 */
import type { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../errors';
import { CancelledError, EmotionLensError, errorMessage, throwIfAborted } from '../errors';

/** What every PCM worker understands; `begin` may carry what the input needs (its payload). */
export type ToPcmWorker<TBegin extends object = object> =
  /** Start a new input (the engine stays loaded between inputs). */
  | ({ type: 'begin' } & TBegin)
  | { type: 'pcm'; samples: Int16Array }
  /** The input is over: answer with `done`; the worker then waits for the next `begin`. */
  | { type: 'finish' }
  /**
   * Free the engine and exit. Terminating a worker while it is inside native code aborts the whole process,
   * so stopping goes through the queue: it runs right after the chunk in progress.
   */
  | { type: 'close' };

export type FromPcmWorker<TResult> =
  /** One `pcm` message was consumed (frees a queue slot); audio seconds processed so far. */
  | { type: 'ack'; audioSecDone: number }
  | { type: 'done'; result: TResult }
  | { type: 'error'; code: ErrorCode; message: string };

export interface PcmStreamOptions {
  signal?: AbortSignal;
  /** Seconds of audio processed so far. */
  onProgress?: (audioSecDone: number) => void;
  /** What a worker crash is reported as ("speech recognition", "voice measurement"). */
  what: string;
}

/**
 * Workers with their engine loaded, kept between the inputs of a batch, by key (a model). A worker is handed
 * to one input at a time; one that failed or was cancelled is stopped, never reused.
 */
export class WorkerPool<TKey> {
  private readonly idle = new Map<string, Worker[]>();
  private closed = false;
  private busy = 0;

  /** At most `maxIdlePerKey` idle workers per key (a batch keeps about two inputs in flight). */
  constructor(
    private readonly start: (key: TKey) => Worker,
    private readonly maxIdlePerKey = 2,
  ) {}

  acquire(key: TKey): Worker {
    return this.idle.get(JSON.stringify(key))?.pop() ?? this.start(key);
  }

  /** Takes back a worker that finished its input cleanly (it is stopped when the pool is full or closed). */
  release(key: TKey, worker: Worker): void {
    const list = this.idle.get(JSON.stringify(key)) ?? [];
    if (this.closed || list.length >= this.maxIdlePerKey) return stopPcmWorker(worker);
    list.push(worker);
    this.idle.set(JSON.stringify(key), list);
  }

  /** Milliseconds the pool's workers were busy on inputs (their event loops' active time; --profile). */
  busyMs(): number {
    return this.busy;
  }

  addBusyMs(ms: number): void {
    this.busy += ms;
  }

  /** Idle workers kept for this key. */
  idleCount(key: TKey): number {
    return this.idle.get(JSON.stringify(key))?.length ?? 0;
  }

  close(): void {
    this.closed = true;
    for (const list of this.idle.values()) for (const worker of list) stopPcmWorker(worker);
    this.idle.clear();
  }
}

/** Asks the worker to free its engine and exit; terminates it only if it has not gone within the grace period. */
export function stopPcmWorker(worker: Worker, graceMs = 3000): void {
  const timer = setTimeout(() => void worker.terminate(), graceMs);
  timer.unref();
  worker.once('exit', () => clearTimeout(timer));
  worker.postMessage({ type: 'close' } satisfies ToPcmWorker);
}

/**
 * Runs one input through a pooled worker: `begin` (with its payload), every chunk of `pcm`, `finish`, and
 * returns the worker's result. The worker goes back to the pool only when the input ended cleanly.
 */
export async function streamPcmThroughPool<TKey, TBegin extends object, TResult>(
  pool: WorkerPool<TKey>,
  key: TKey,
  begin: TBegin,
  pcm: AsyncIterable<Int16Array>,
  options: PcmStreamOptions,
): Promise<TResult> {
  throwIfAborted(options.signal);
  const worker = pool.acquire(key);
  const loop = worker.performance.eventLoopUtilization();
  const session = new PcmWorkerSession<TResult>(worker, options);
  let clean = false;
  try {
    session.post({ ...begin, type: 'begin' });
    const feeding = session.feed(pcm);
    feeding.catch(() => undefined); // its failure is reported through the race below
    await Promise.race([feeding, session.outcome]);
    session.post({ type: 'finish' });
    const result = await session.outcome;
    clean = true;
    return result;
  } finally {
    session.detach();
    pool.addBusyMs(worker.performance.eventLoopUtilization(loop).active);
    if (clean) pool.release(key, worker);
    else stopPcmWorker(worker);
  }
}

/** Chunks posted but not yet consumed by the worker; the PCM source waits beyond this. */
const MAX_IN_FLIGHT = 8;

class PcmWorkerSession<TResult> {
  readonly outcome: Promise<TResult>;
  private settled = false;
  private inFlight = 0;
  private wakers: (() => void)[] = [];
  private resolveOutcome!: (result: TResult) => void;
  private rejectOutcome!: (error: Error) => void;
  private readonly onAbort = (): void => this.settle(new CancelledError());
  private readonly onWorkerMessage = (message: FromPcmWorker<TResult>): void => this.onMessage(message);
  private readonly onWorkerError = (error: Error): void => this.settle(new EmotionLensError('internal', `${this.options.what} failed (${errorMessage(error)})`));
  private readonly onWorkerExit = (code: number): void =>
    this.settle(new EmotionLensError('internal', `${this.options.what} worker stopped unexpectedly (exit code ${code})`));

  constructor(
    private readonly worker: Worker,
    private readonly options: PcmStreamOptions,
  ) {
    this.outcome = new Promise<TResult>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    this.outcome.catch(() => undefined); // awaited by the caller; avoid an unhandled rejection meanwhile
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

  post(message: ToPcmWorker, transfer = false): void {
    if (this.settled) return;
    const list = transfer && message.type === 'pcm' ? [message.samples.buffer as ArrayBuffer] : [];
    this.worker.postMessage(message, list);
  }

  /** Ends this input (a cancellation if nothing else ended it) and lets go of the worker. */
  detach(): void {
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.settle(new CancelledError());
    this.worker.off('message', this.onWorkerMessage);
    this.worker.off('error', this.onWorkerError);
    this.worker.off('exit', this.onWorkerExit);
  }

  private onMessage(message: FromPcmWorker<TResult>): void {
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

  /** First outcome wins; the caller then stops the worker or hands it back to its pool. */
  private settle(error: Error | undefined, result?: TResult): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.rejectOutcome(error);
    else this.resolveOutcome(result as TResult);
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
