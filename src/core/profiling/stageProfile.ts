/**
 * Where an analysis spends its time, for `emotion-lens analyze --profile` and `npm run bench`: CPU seconds
 * per stage, summed over every thread and process that did the work (ffmpeg, the frame, voice and speech
 * workers, the main thread), and how busy each core was. ffmpeg's CPU time is read from /proc (Linux).
 * Node.js 20 has no per-thread CPU clock, so each thread's stages are timed by the clock while it works and
 * then scaled to the CPU time the process really used: with more threads than cores, a working thread also
 * waits for a core, and that wait is not CPU.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EventLoopUtilization } from 'node:perf_hooks';

/** Stage names shared by the places that measure them and the table that prints them. */
export const STAGE = {
  videoDecode: 'decode video (ffmpeg)',
  audioDecode: 'decode audio (ffmpeg)',
  frameRead: 'read frames from ffmpeg (main thread)',
  tracking: 'tracking (main thread)',
  document: 'timeline and document assembly (main thread)',
  meshSidecar: 'geometry: mesh sidecar, Parquet (main thread)',
  mainOther: 'main thread: other (pipe reads, probe, hashing, writing, batch)',
  otherThreads: 'other threads (file hashing, image decoding, I/O)',
  frameWorkerOther: 'frame workers: other (messages, model loading)',
  voice: 'voice: VAD and measures (worker)',
  speech: 'speech recognition (worker)',
} as const;

/** Busy seconds per stage; add() from anywhere the work is measured. */
export class StageProfile {
  private readonly busy = new Map<string, number>();

  add(stage: string, seconds: number): void {
    if (!(seconds > 0)) return;
    this.busy.set(stage, (this.busy.get(stage) ?? 0) + seconds);
  }

  /** Adds every stage of a record (milliseconds, as worker timings come). */
  addMs(stagesMs: Readonly<Record<string, number>>): void {
    for (const [stage, ms] of Object.entries(stagesMs)) this.add(stage, ms / 1000);
  }

  /** Runs synchronous work and counts its time to the stage. */
  time<T>(stage: string, run: () => T): T {
    const started = performance.now();
    try {
      return run();
    } finally {
      this.add(stage, (performance.now() - started) / 1000);
    }
  }

  seconds(stage: string): number {
    return this.busy.get(stage) ?? 0;
  }

  /** Every stage, largest first. */
  entries(): { stage: string; seconds: number }[] {
    return [...this.busy].map(([stage, seconds]) => ({ stage, seconds })).sort((a, b) => b.seconds - a.seconds);
  }
}

export interface ProfileReport {
  wallSec: number;
  /** CPU seconds per stage, largest first. */
  stages: { stage: string; seconds: number }[];
  /** CPU seconds this process used (every thread) and ffmpeg used, as measured; the stages add up to their sum. */
  processCpuSec: number;
  ffmpegCpuSec: number;
  /** Share of each core's time that was busy (any process on the machine), 0-1, over the wall time. */
  coreBusy: number[];
  /** Peak resident memory of this process and its worker threads (ffmpeg not included), MB. */
  peakRssMb: number;
}

/** A point to measure from: time, the main thread's event loop, and the cores. */
export interface ProfileStart {
  at: number;
  mainLoop: EventLoopUtilization;
  cpu: NodeJS.CpuUsage;
  cores: CoreTimes[];
}

interface CoreTimes {
  busy: number;
  total: number;
}

export function profileStart(): ProfileStart {
  return { at: performance.now(), mainLoop: performance.eventLoopUtilization(), cpu: process.cpuUsage(), cores: coreTimes() };
}

const FFMPEG_STAGES: readonly string[] = [STAGE.videoDecode, STAGE.audioDecode];

/**
 * The report since `start`: the stages measured plus what the main thread did beyond them (its event-loop
 * busy time not accounted to a main-thread stage), the threads' times scaled to the process's CPU time (see
 * above), and CPU the process used beyond every thread's busy time (libuv's pool) as other threads.
 */
export function profileReport(profile: StageProfile, start: ProfileStart): ProfileReport {
  const mainBusy = performance.eventLoopUtilization(start.mainLoop).active / 1000;
  const mainMeasured = [STAGE.frameRead, STAGE.tracking, STAGE.document].reduce((sum, stage) => sum + profile.seconds(stage), 0);
  const threads = new StageProfile();
  for (const { stage, seconds } of profile.entries()) if (!FFMPEG_STAGES.includes(stage)) threads.add(stage, seconds);
  threads.add(STAGE.mainOther, mainBusy - mainMeasured);
  const threadBusy = threads.entries().reduce((sum, s) => sum + s.seconds, 0);
  const used = process.cpuUsage(start.cpu);
  const processCpuSec = (used.user + used.system) / 1e6;
  const scale = threadBusy > processCpuSec && threadBusy > 0 ? processCpuSec / threadBusy : 1;
  const report = new StageProfile();
  for (const { stage, seconds } of threads.entries()) report.add(stage, seconds * scale);
  report.add(STAGE.otherThreads, processCpuSec - threadBusy * scale);
  for (const stage of FFMPEG_STAGES) report.add(stage, profile.seconds(stage));
  const now = coreTimes();
  return {
    wallSec: (performance.now() - start.at) / 1000,
    stages: report.entries(),
    processCpuSec,
    ffmpegCpuSec: FFMPEG_STAGES.reduce((sum, stage) => sum + profile.seconds(stage), 0),
    coreBusy: now.map((core, i) => {
      const before = start.cores[i] ?? { busy: 0, total: 0 };
      const total = core.total - before.total;
      return total > 0 ? (core.busy - before.busy) / total : 0;
    }),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function coreTimes(): CoreTimes[] {
  return os.cpus().map(({ times }) => {
    const busy = times.user + times.nice + times.sys + times.irq;
    return { busy, total: busy + times.idle };
  });
}

/** Kernel clock ticks per second for /proc times (USER_HZ: 100 on every Linux Node.js runs on). */
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system, all its threads) a running process has used so far, from /proc/<pid>/stat;
 * undefined where there is no /proc or the process is gone. Read just before a child exits, it is its total.
 */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
