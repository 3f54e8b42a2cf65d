/**
 * Runs async jobs one at a time. The detector and classifiers reuse one input buffer per model, and ORT
 * may read it after `run()` has yielded, so concurrent calls must not overlap.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
