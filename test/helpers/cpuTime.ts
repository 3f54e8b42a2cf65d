// Timing a synchronous piece of work for a sanity bound: by the CPU time this process spent on it, which a
// loaded machine does not stretch (the wall time also counts the time spent waiting for a core).

export interface Timed<T> {
  value: T;
  /** CPU milliseconds of the whole process (user + system, every thread: garbage collection included). */
  cpuMs: number;
  wallMs: number;
}

export function timed<T>(work: () => T): Timed<T> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, cpuMs: (used.user + used.system) / 1000, wallMs };
}
