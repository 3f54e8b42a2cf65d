import { fork } from 'node:child_process';
import path from 'node:path';
import { CancelledError, EmotionLensError } from '../../errors';
import type { ErrorCode } from '../../errors';
import { fixNames } from '../../fixNames';
import { settleOnce } from '../../../shared/pendingRequests';
import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from '../analysisRequest';
import type { BatchEvent, BatchTotals } from '../batch/batchRun';
import { FIX_NAMES_ARGUMENT } from './engineProtocol';
import type { FromEngineMessage, ToEngineMessage } from './engineProtocol';

export interface ChildAnalysisOptions {
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
  /** The bundled child entry; defaults to analysisProcess.js beside this bundle. */
  processScript?: string;
  /** Node executable; in VS Code's Electron host the caller passes process.execPath and ELECTRON_RUN_AS_NODE. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** How long a cancelled child may take to clean up before it is killed. */
  cancelGraceMs?: number;
}

export interface ChildBatchOptions extends Omit<ChildAnalysisOptions, 'onProgress'> {
  onEvent?: (event: BatchEvent) => void;
  /** Analyse inputs whose document is up to date too. */
  force?: boolean;
  /** Error codes after which the batch stops (every later input would fail alike). */
  stopOn?: readonly string[];
}

/**
 * Runs one analysis in a child Node process, with the same contract as analyzeMedia: progress events,
 * cancellation by AbortSignal, a one-line error on failure. A crash or hang of the child is reported as an
 * error here and never takes the caller down.
 */
export async function analyzeInChildProcess(request: AnalysisRequest, options: ChildAnalysisOptions = {}): Promise<AnalysisOutcome> {
  let outcome: AnalysisOutcome | undefined;
  let failure: Error | undefined;
  const { onProgress, ...rest } = options;
  const totals = await analyzeBatchInChildProcess([request], {
    ...rest,
    force: true,
    onEvent: (event) => {
      if (event.kind === 'progress') onProgress?.(event.progress);
      else if (event.kind === 'done') outcome = event.outcome;
      else if (event.kind === 'failed') failure = new EmotionLensError(event.code as ErrorCode, event.message);
    },
  });
  if (outcome) return outcome;
  if (failure) throw failure;
  if (totals.cancelled) throw new CancelledError(request.input);
  throw new EmotionLensError('internal', 'the analysis process ended without a result', request.input);
}

/**
 * Runs a batch in one child Node process (one loaded engine for all its inputs) and reports each input's
 * events. Resolves with the batch's totals (cancelled ones included); rejects only when the child could not
 * run the batch at all: it crashed, hung after a cancel, or could not start.
 */
export function analyzeBatchInChildProcess(requests: AnalysisRequest[], options: ChildBatchOptions = {}): Promise<BatchTotals> {
  const first = requests[0]?.input;
  if (options.signal?.aborted) return Promise.resolve(cancelledTotals(requests.length));
  return settleOnce<BatchTotals>((settle) => {
    const script = options.processScript ?? path.join(__dirname, 'analysisProcess.js');
    // The child words its error hints as this process does (settings and commands in VS Code, flags in the CLI).
    const child = fork(script, [FIX_NAMES_ARGUMENT, JSON.stringify(fixNames())], {
      execPath: options.execPath,
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    const post = (message: ToEngineMessage) => child.connected && child.send(message);
    const onAbort = () => {
      post({ type: 'cancel' });
      // A child stuck in native code cannot hear the message: kill it after the grace period.
      killTimer = setTimeout(() => settle.resolve(cancelledTotals(requests.length)), options.cancelGraceMs ?? 3000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-2000)));
    child.on('message', (message: FromEngineMessage) => {
      switch (message.type) {
        case 'ready':
          post({ type: 'analyze', requests, force: options.force ?? false, ...(options.stopOn ? { stopOn: [...options.stopOn] } : {}) });
          break;
        case 'event':
          options.onEvent?.(message.event);
          break;
        case 'finished':
          settle.resolve(message.totals);
          break;
        case 'failed':
          settle.reject(new EmotionLensError(message.code as ErrorCode, message.message));
          break;
      }
    });
    child.on('error', (error) => settle.reject(new EmotionLensError('internal', `analysis process could not start (${error.message})`, first)));
    child.on('exit', (code, signal) => {
      if (options.signal?.aborted) settle.resolve(cancelledTotals(requests.length));
      else settle.reject(crashError(first ?? '', code, signal, stderrTail, false));
    });
    return () => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (child.connected) child.disconnect();
      if (child.exitCode === null) child.kill('SIGKILL');
    };
  });
}

/** Totals of a batch cancelled before the child could say what it had done. */
function cancelledTotals(count: number): BatchTotals {
  return { analysed: 0, skipped: 0, failed: 0, notStarted: count, interrupted: 0, cancelled: true, frames: 0 };
}

function crashError(input: string, code: number | null, signal: NodeJS.Signals | null, stderrTail: string, cancelled?: boolean): Error {
  if (cancelled) return new CancelledError(input);
  const last = stderrTail.trim().split('\n').pop() ?? '';
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return new EmotionLensError('internal', `the analysis process ${how}${last ? ` (${last.slice(0, 200)})` : ''}`, input, 'See the log for details and report it if it happens again.');
}

