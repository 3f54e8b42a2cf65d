/**
 * FrameAnalyzer in N worker threads: inference blocks a thread for its whole run, so frames are spread
 * over workers (each with its own ORT sessions) and many can be in flight. Frame buffers are transferred.
 */
import type { Worker } from 'node:worker_threads';
import { EmotionLensError } from '../errors';
import { fixNames } from '../fixNames';
import type { ErrorCode } from '../errors';
import type { RawFrame } from '../media/mediaTypes';
import { startWorker } from '../workers/workerEntry';
import { addTimings } from './frameAnalyzer';
import type { FrameAnalyzerConfig, StageTimings } from './frameAnalyzer';
import type { FromFrameWorker, FrameWorkerData, SerializedError, ToFrameWorker } from './frameWorkerProtocol';
import type { DetectedFace, FrameAnalysis } from './visionTypes';

export interface PoolOptions {
  /** Worker threads (default 2: measured fastest on 2 cores with 1 ORT thread each). */
  threads?: number;
}

export const DEFAULT_POOL_THREADS = 2;

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  /** Takes a frame's pixels back from the worker (analyze's recycle). */
  recycle?: (pixels: Uint8Array) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  dead: boolean;
}

export class FrameAnalyzerPool {
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;

  private constructor(private readonly slots: Slot[]) {
    for (const slot of slots) this.watch(slot);
  }

  static async create(config: FrameAnalyzerConfig, options: PoolOptions = {}): Promise<FrameAnalyzerPool> {
    const threads = Math.max(1, Math.floor(options.threads ?? DEFAULT_POOL_THREADS));
    const data: FrameWorkerData = { config, fixNames: { ...fixNames() } };
    const workers = Array.from({ length: threads }, () => startWorker('frameWorker', { workerData: data }));
    // Every worker finishes starting before any is stopped: terminating one while it is still creating its
    // sessions aborts the process (the same onnxruntime-node teardown hazard as in close()).
    const started = await Promise.allSettled(workers.map(waitReady));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    const slots = workers.map((worker) => ({ worker, pending: new Map<number, Pending>(), dead: false }));
    if (failed) {
      await Promise.all(slots.map((slot, i) => (started[i]!.status === 'fulfilled' ? closeWorker(slot, 5000) : waitExit(slot.worker, 5000))));
      throw failed.reason;
    }
    return new FrameAnalyzerPool(slots);
  }

  /** A worker crashed: every call fails from now on, and a new pool is needed. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  get threads(): number {
    return this.slots.length;
  }

  /**
   * Analyses `frame` on the least busy worker. `frame.data` is transferred: do not use it afterwards; with
   * `recycle`, the worker hands the pixels back (transferred again) when it is done, to be filled anew.
   */
  analyze(frame: RawFrame, recycle?: (pixels: Uint8Array) => void): Promise<FrameAnalysis> {
    const data = ownBuffer(frame.data);
    const message: ToFrameWorker = { type: 'analyze', id: this.nextId++, frame: { ...frame, data }, ...(recycle ? { returnPixels: true } : {}) };
    return this.send<FrameAnalysis>(message, [data.buffer as ArrayBuffer], recycle);
  }

  /** How open each given face's mouth is (the mesh's jaw drop; frame pixels) on the least busy worker; `frame.data` is transferred. */
  mouthOpenings(frame: RawFrame, faces: Pick<DetectedFace, 'box' | 'landmarks'>[]): Promise<{ openings: number[]; ms: number }> {
    const data = ownBuffer(frame.data);
    return this.send({ type: 'mouths', id: this.nextId++, frame: { ...frame, data }, faces }, [data.buffer as ArrayBuffer]);
  }

  /** Stage timings summed over all workers. */
  async timings(): Promise<StageTimings> {
    const all = await Promise.all(this.slots.map((slot) => this.sendTo<StageTimings>(slot, { type: 'timings', id: this.nextId++ })));
    return all.reduce(addTimings, { frames: 0, faces: 0, stagesMs: {} });
  }

  /** Milliseconds the workers' threads have been busy since they started (model loading included). */
  busyMs(): number {
    return this.slots.reduce((sum, slot) => sum + slot.worker.performance.eventLoopUtilization().active, 0);
  }

  /**
   * Stops every worker. Each finishes the frame it is on (a few milliseconds), releases its sessions and
   * exits by itself; only a worker that does not exit in time is terminated.
   */
  async close(graceMs = 5000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = new EmotionLensError('internal', 'Frame analysis stopped before this frame was done');
    for (const slot of this.slots) rejectAll(slot, closed);
    await Promise.all(this.slots.map((slot) => closeWorker(slot, graceMs)));
  }

  /** Test hook: makes one worker crash, to check that pending calls are rejected. */
  crashWorkerForTest(index = 0): void {
    this.slots[index]?.worker.postMessage({ type: 'crashForTest' } satisfies ToFrameWorker);
  }

  private send<T>(message: ToFrameWorker & { id: number }, transfer: ArrayBuffer[] = [], recycle?: (pixels: Uint8Array) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new EmotionLensError('internal', 'Frame analysis pool is closed'));
    const alive = this.slots.filter((s) => !s.dead);
    const slot = alive.reduce((best, s) => (s.pending.size < best.pending.size ? s : best), alive[0]!);
    return this.sendTo<T>(slot, message, transfer, recycle);
  }

  private sendTo<T>(slot: Slot, message: ToFrameWorker & { id: number }, transfer: ArrayBuffer[] = [], recycle?: (pixels: Uint8Array) => void): Promise<T> {
    if (slot.dead) return Promise.reject(this.failure ?? new EmotionLensError('internal', 'Frame analysis worker is gone'));
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(message.id, { resolve: resolve as (value: never) => void, reject, ...(recycle ? { recycle } : {}) });
      slot.worker.postMessage(message, transfer);
    });
  }

  private watch(slot: Slot): void {
    slot.worker.on('message', (message: FromFrameWorker) => {
      if (message.type === 'ready' || message.type === 'initError') return;
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (message.type === 'error') pending.reject(deserialize(message.error));
      else if (message.type === 'result') {
        if (message.pixels) pending.recycle?.(message.pixels);
        pending.resolve(message.analysis as never);
      } else if (message.type === 'mouths') pending.resolve({ openings: message.openings, ms: message.ms } as never);
      else pending.resolve(message.timings as never);
    });
    const crashed = (reason: string) => {
      if (slot.dead || this.closing) return;
      slot.dead = true;
      this.failure ??= new EmotionLensError('internal', `A frame analysis worker crashed (${reason})`, undefined, crashHint());
      rejectAll(slot, this.failure);
    };
    slot.worker.on('error', (error) => crashed(error.message.split('\n')[0] ?? 'error'));
    slot.worker.on('exit', (code) => crashed(`exit code ${code}`));
  }
}

function crashHint(): string {
  const { singleThread } = fixNames();
  return singleThread ? `Run again; if it repeats, try ${singleThread} and report the problem.` : 'Run again; if it repeats, report the problem.';
}

/** A worker that failed to start returns from its main function and exits by itself. */
function waitExit(worker: Worker, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function closeWorker(slot: Slot, graceMs: number): Promise<void> {
  if (slot.dead) return slot.worker.terminate().then(() => undefined);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => void slot.worker.terminate().then(() => resolve()), graceMs);
    slot.worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    slot.worker.postMessage({ type: 'close' } satisfies ToFrameWorker);
  });
}

function waitReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      done();
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (message: FromFrameWorker) => {
      if (message.type === 'ready') settle();
      else if (message.type === 'initError') settle(deserialize(message.error));
    };
    const onError = (error: Error) => settle(error);
    const onExit = (code: number) => settle(new EmotionLensError('internal', `A frame analysis worker exited while starting (code ${code})`));
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function rejectAll(slot: Slot, error: Error): void {
  for (const pending of slot.pending.values()) pending.reject(error);
  slot.pending.clear();
}

function deserialize(error: SerializedError): Error {
  if (error.code && error.problem !== undefined) return new EmotionLensError(error.code as ErrorCode, error.problem, error.file, error.hint);
  return new Error(error.message);
}

/** A view that owns its whole ArrayBuffer, so transferring it cannot detach memory someone else uses. */
function ownBuffer(data: Uint8Array): Uint8Array {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  return whole ? data : data.slice();
}
