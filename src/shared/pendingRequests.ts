/**
 * Asking another thread, process or webview and waiting for its answer, written once: `settleOnce` for one
 * long call that several events may end (a child process or worker finishing, failing, exiting or being
 * cancelled), and `PendingRequests` for many requests each answered by a message carrying its id. Pure.
 */

/** Ends a settleOnce promise; only the first call counts. */
export interface Settler<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A promise that the first of several events settles. `start` wires the events to the settler and returns
 * what to undo (listeners, timers, the process) once it has settled, whichever event did it.
 */
export function settleOnce<T>(start: (settle: Settler<T>) => (() => void) | void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    // What to undo; known only once `start` returns, which may be after the first event settled it.
    const wired: { cleanup?: () => void } = {};
    const end = (action: () => void): void => {
      if (settled) return;
      settled = true;
      wired.cleanup?.();
      action();
    };
    wired.cleanup = start({ resolve: (value) => end(() => resolve(value)), reject: (error) => end(() => reject(error)) }) ?? undefined;
    if (settled) wired.cleanup?.();
  });
}

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

/**
 * Requests that each expect one answer: every request gets its own id, the answer carrying that id settles
 * it, and one still unanswered after `timeoutMs` rejects with a RequestTimeoutError (its late answer is
 * ignored).
 */
export class PendingRequests<Answer> {
  private nextId = 1;
  private readonly waiting = new Map<number, { settle: Settler<Answer>; timer: ReturnType<typeof setTimeout> | undefined }>();

  constructor(private readonly options: { timeoutMs?: number; what?: string } = {}) {}

  /** Requests still waiting for their answer. */
  get size(): number {
    return this.waiting.size;
  }

  /** Sends the request (`send` posts it with the id) and resolves with its answer. */
  request(send: (id: number) => void): Promise<Answer> {
    const id = this.nextId++;
    return settleOnce<Answer>((settle) => {
      const { timeoutMs } = this.options;
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => settle.reject(new RequestTimeoutError(`no answer to ${this.options.what ?? 'the request'} in ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiting.set(id, { settle, timer });
      send(id);
      return () => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiting.delete(id);
      };
    });
  }

  /** Settles the request with this id; false when none is waiting (answered, timed out or never sent). */
  answer(id: number, answer: Answer): boolean {
    const request = this.waiting.get(id);
    request?.settle.resolve(answer);
    return request !== undefined;
  }
}
