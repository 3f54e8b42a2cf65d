import { fork } from 'node:child_process';
import path from 'node:path';
import { CancelledError, EmotionLensError } from '../errors';
import type { ErrorCode } from '../errors';
import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from './analysisRequest';
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

/**
 * Runs one analysis in a child Node process, with the same contract as analyzeMedia: progress events,
 * cancellation by AbortSignal, a one-line error on failure. A crash or hang of the child is reported as an
 * error here and never takes the caller down.
 */
export function analyzeInChildProcess(request: AnalysisRequest, options: ChildAnalysisOptions = {}): Promise<AnalysisOutcome> {
  return new Promise<AnalysisOutcome>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError(request.input));
    const script = options.processScript ?? path.join(__dirname, 'analysisProcess.js');
    const child = fork(script, [], {
      execPath: options.execPath,
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let settled = false;
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (child.connected) child.disconnect();
      if (child.exitCode === null) child.kill('SIGKILL');
      action();
    };
    const post = (message: ToEngineMessage) => child.connected && child.send(message);
    const onAbort = () => {
      post({ type: 'cancel' });
      // A child stuck in native code cannot hear the message: kill it after the grace period.
      killTimer = setTimeout(() => finish(() => reject(new CancelledError(request.input))), options.cancelGraceMs ?? 3000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-2000)));
    child.on('message', (message: FromEngineMessage) => {
      switch (message.type) {
        case 'ready':
          post({ type: 'analyze', request });
          break;
        case 'progress':
          options.onProgress?.(message.progress);
          break;
        case 'done':
          finish(() => resolve(message.outcome));
          break;
        case 'failed':
          finish(() => reject(new EmotionLensError(message.code as ErrorCode, message.message)));
          break;
        case 'cancelled':
          finish(() => reject(new CancelledError(request.input)));
          break;
      }
    });
    child.on('error', (error) => finish(() => reject(new EmotionLensError('internal', `analysis process could not start (${error.message})`, request.input))));
    child.on('exit', (code, signal) => finish(() => reject(crashError(request.input, code, signal, stderrTail, options.signal?.aborted))));
  });
}

function crashError(input: string, code: number | null, signal: NodeJS.Signals | null, stderrTail: string, cancelled?: boolean): Error {
  if (cancelled) return new CancelledError(input);
  const last = stderrTail.trim().split('\n').pop() ?? '';
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return new EmotionLensError('internal', `the analysis process ${how}${last ? ` (${last.slice(0, 200)})` : ''}`, input, 'See the log for details and report it if it happens again.');
}

