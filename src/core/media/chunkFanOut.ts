/**
 * One stream of chunks read once and handed to several consumers (the audio goes to the speech recogniser
 * and to the voice measurement from one ffmpeg). The source is read only as fast as the slowest consumer
 * allows: a branch waits while another one has `maxQueued` chunks it has not taken yet, so memory stays
 * bounded over an hour of audio. A consumer that stops early (its iterator returned) is dropped and no
 * longer holds the others back; the source is closed when every consumer has stopped.
 */
export function fanOut<T>(source: AsyncIterable<T>, count: number, copy: (chunk: T) => T, maxQueued = 16): AsyncIterable<T>[] {
  const hub = new FanOutHub(source[Symbol.asyncIterator](), count, copy, maxQueued);
  return Array.from({ length: count }, (_, i) => ({ [Symbol.asyncIterator]: () => hub.branch(i) }));
}

class FanOutHub<T> {
  private readonly queues: T[][];
  private readonly active: boolean[];
  private done = false;
  private failure: { error: unknown } | undefined;
  private pulling: Promise<void> | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly source: AsyncIterator<T>,
    count: number,
    private readonly copy: (chunk: T) => T,
    private readonly maxQueued: number,
  ) {
    this.queues = Array.from({ length: count }, () => []);
    this.active = Array.from({ length: count }, () => true);
  }

  branch(i: number): AsyncIterator<T> {
    return {
      next: () => this.next(i),
      return: async () => {
        this.stop(i);
        return { done: true, value: undefined };
      },
    };
  }

  private async next(i: number): Promise<IteratorResult<T>> {
    for (;;) {
      if (!this.active[i]) return { done: true, value: undefined };
      const queued = this.queues[i]!.shift();
      if (queued !== undefined) {
        this.wake();
        return { done: false, value: queued };
      }
      if (this.failure) throw this.failure.error;
      if (this.done) return { done: true, value: undefined };
      if (this.pulling) await this.pulling;
      else if (this.othersFull(i)) await new Promise<void>((resolve) => this.waiters.push(resolve));
      else await (this.pulling = this.pull());
    }
  }

  /** Reads one chunk from the source into every active branch's queue (a copy for all but the first). */
  private async pull(): Promise<void> {
    try {
      const result = await this.source.next();
      if (result.done) this.done = true;
      else {
        let first = true;
        this.queues.forEach((queue, j) => {
          if (!this.active[j]) return;
          queue.push(first ? result.value : this.copy(result.value));
          first = false;
        });
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.pulling = undefined;
      this.wake();
    }
  }

  private othersFull(i: number): boolean {
    return this.queues.some((queue, j) => j !== i && this.active[j] && queue.length >= this.maxQueued);
  }

  private stop(i: number): void {
    if (!this.active[i]) return;
    this.active[i] = false;
    this.queues[i]!.length = 0;
    this.wake();
    if (this.active.every((a) => !a) && !this.done) {
      this.done = true;
      void this.source.return?.(undefined);
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
