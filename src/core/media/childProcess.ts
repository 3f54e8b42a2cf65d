// A small typed wrapper over child_process.spawn: argument arrays only (never a shell), abort that
// really ends the process, and the tail of stderr kept for one-line error messages.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { processCpuSeconds } from '../profiling/stageProfile';

export interface ProcessExit {
  /** Exit code, or null when the process was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last few KB of stderr (lines taken by onStderrLine left out). */
  stderrTail: string;
}

export interface ProcessRunResult extends ProcessExit {
  /** Everything the process wrote to stdout, when collectStdout was set; empty otherwise. */
  stdout: Buffer;
  /** True when the signal fired and the process was killed for it. */
  aborted: boolean;
}

export interface ProcessOptions {
  signal?: AbortSignal;
  /** How many bytes of stderr to keep for error messages (default 4096). */
  stderrTailBytes?: number;
  /** Milliseconds between SIGTERM and SIGKILL after an abort (default 1000). */
  killGraceMs?: number;
  /** Sees every complete stderr line; returning true keeps the line out of stderrTail. */
  onStderrLine?: (line: string) => boolean | void;
  /** Called once stderr has ended and its last line has been seen (the process is exiting). */
  onStderrEnd?: () => void;
  /** Environment of the process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Told the CPU seconds the process used, once it has ended (Linux; polled, since an exited process is gone). */
  onCpuSeconds?: (seconds: number) => void;
  /** Further output pipes, as the process's file descriptors 3, 4, ... (ffmpeg's `pipe:3`): StreamingProcess.outputs. */
  extraOutputs?: number;
}

export interface RunOptions extends ProcessOptions {
  /** Collect stdout into ProcessRunResult.stdout (default false: stdout is discarded). */
  collectStdout?: boolean;
  /** Fail instead of growing without bound when stdout exceeds this many bytes (default 64 MiB). */
  maxStdoutBytes?: number;
}

export interface StreamingProcess {
  /** The process's stdout as a stream; read it (or destroy it) or the process blocks. */
  stdout: Readable;
  /** The extra output pipes (file descriptors 3, 4, ...); each must be read as well. */
  outputs: Readable[];
  pid: number | undefined;
  /** Resolves once the process has exited and its pipes closed; rejects if it could not be started. */
  exited: Promise<ProcessExit>;
  /** Ends the process now (SIGTERM, then SIGKILL after the grace period) and stops reading it. */
  kill(): void;
  /** True once kill() ran, directly or through the abort signal. */
  readonly killed: boolean;
  stderrTail(): string;
}

const defaultTailBytes = 4096;
const defaultGraceMs = 1000;

/** Starts a program with stdout as a stream (backpressure: the process waits while stdout is not read). */
export function spawnStreaming(program: string, args: readonly string[], options: ProcessOptions = {}): StreamingProcess {
  const extra = Array.from({ length: options.extraOutputs ?? 0 }, () => 'pipe' as const);
  // Typed as the three standard pipes: the extra ones (outputs) are read from child.stdio.
  const child = spawn(program, [...args], { stdio: ['ignore', 'pipe', 'pipe', ...extra], shell: false, windowsHide: true, env: options.env }) as ChildProcessByStdio<null, Readable, Readable>;
  const outputs = child.stdio.slice(3) as Readable[];
  const tail = new StderrTail(options.stderrTailBytes ?? defaultTailBytes, options.onStderrLine);
  child.stderr.on('data', (chunk: Buffer) => tail.add(chunk));
  child.stderr.once('close', () => {
    tail.flush();
    options.onStderrEnd?.();
  });

  let killed = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    child.stdout.destroy();
    for (const output of outputs) output.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    graceTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? defaultGraceMs);
    graceTimer.unref();
  };
  const onAbort = (): void => kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) kill();

  const cpu = options.onCpuSeconds ? watchCpu(child.pid) : undefined;
  child.stdout.once('end', () => cpu?.sample());
  const exited = waitForClose(child, tail).finally(() => {
    if (graceTimer) clearTimeout(graceTimer);
    options.signal?.removeEventListener('abort', onAbort);
    if (cpu) options.onCpuSeconds?.(cpu.stop());
  });
  // Callers may read stdout to its end before awaiting exited; never let a spawn error go unhandled meanwhile.
  exited.catch(() => undefined);

  return {
    stdout: child.stdout,
    outputs,
    pid: child.pid,
    exited,
    kill,
    get killed() {
      return killed;
    },
    stderrTail: () => tail.text(),
  };
}

/** stdout's (or another output's) chunks as they come (pulled, so backpressure holds); a stream destroyed by kill() just ends. */
export async function* readStdoutChunks(proc: StreamingProcess, stream: Readable = proc.stdout): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if (!proc.killed) throw error;
  }
}

/** Runs a program to its end; resolves with its exit status (a non-zero exit is not an error here). */
export async function runProcess(program: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessRunResult> {
  const proc = spawnStreaming(program, args, options);
  const maxBytes = options.maxStdoutBytes ?? 64 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  proc.stdout.on('data', (chunk: Buffer) => {
    if (!options.collectStdout) return;
    size += chunk.length;
    if (size > maxBytes) proc.kill();
    else chunks.push(chunk);
  });
  proc.stdout.on('error', () => undefined);
  const exit = await proc.exited;
  if (size > maxBytes) throw new Error(`${program} wrote more than ${maxBytes} bytes to stdout`);
  return { ...exit, stdout: Buffer.concat(chunks), aborted: options.signal?.aborted === true && proc.killed };
}

/** Samples a process's CPU time while it runs (every 100 ms, and on demand): the last sample is its total. */
function watchCpu(pid: number | undefined): { sample(): void; stop(): number } {
  let seconds = 0;
  const sample = (): void => {
    seconds = Math.max(seconds, processCpuSeconds(pid) ?? 0);
  };
  const timer = setInterval(sample, 100);
  timer.unref();
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      return seconds;
    },
  };
}

function waitForClose(child: ChildProcessByStdio<null, Readable, Readable>, tail: StderrTail): Promise<ProcessExit> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      tail.flush();
      resolve({ code, signal, stderrTail: tail.text() });
    });
  });
}

/** Keeps the last bytes of stderr, split into lines so a line filter can drop chatty ones. */
class StderrTail {
  private kept = '';
  private partial = '';

  constructor(
    private readonly maxBytes: number,
    private readonly onLine?: (line: string) => boolean | void,
  ) {}

  add(chunk: Buffer): void {
    const lines = (this.partial + chunk.toString('utf8')).split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    // A process that never ends its line must not grow this buffer without bound.
    if (this.partial.length > this.maxBytes) this.partial = this.partial.slice(-this.maxBytes);
  }

  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  text(): string {
    return this.kept;
  }

  private line(line: string): void {
    if (this.onLine?.(line) === true) return;
    this.kept += `${line}\n`;
    if (this.kept.length > this.maxBytes) this.kept = this.kept.slice(-this.maxBytes);
  }
}
