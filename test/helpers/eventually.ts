// Waiting for the state a test expects instead of for a stretch of time: on a loaded machine (CI shares two
// cores with whatever else runs) every step takes longer by an amount nobody can predict, so a fixed sleep
// is either too short (a flake) or wasted time.
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a wait for a state keeps trying: generous, so that only something really wrong runs into it. */
export const STATE_TIMEOUT_MS = 30_000;

export interface EventuallyOptions {
  timeoutMs?: number;
  /** Pause between tries. */
  intervalMs?: number;
}

/**
 * Runs `check` (an assertion, sync or async) until it passes and returns what it returned. Past the
 * deadline the last failure is thrown as it was, so the message still says what was wrong.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? STATE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) {
        if (error instanceof Error) error.message += ` (still so after ${timeoutMs / 1000} s)`;
        throw error;
      }
    }
    await sleep(options.intervalMs ?? 50);
  }
}

/** Waits until `done` holds; past the deadline throws `failure`. */
export async function waitUntil(done: () => boolean | Promise<boolean>, failure: string, options: EventuallyOptions = {}): Promise<void> {
  await eventually(async () => {
    if (!(await done())) throw new Error(failure);
  }, options);
}
