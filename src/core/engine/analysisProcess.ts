/**
 * Entry point of the analysis child process (dist/analysisProcess.js). The extension host forks it so that
 * native inference, which blocks its thread, and any crash stay out of VS Code's process. One batch runs at a
 * time, through one AnalysisSession: models and workers are loaded once for all its inputs.
 */
import { EmotionLensError, errorMessage } from '../errors';
import { fixNamesProblem, useFixNames } from '../fixNames';
import type { AnalysisRequest } from './analysisRequest';
import { AnalysisSession } from './analysisSession';
import { runBatch } from './batchRun';
import type { FromEngineMessage, ToEngineMessage } from './engineProtocol';

let running: AbortController | undefined;

function send(message: FromEngineMessage): void {
  process.send?.(message);
}

async function analyse(requests: AnalysisRequest[], force: boolean, stopOn: string[] | undefined): Promise<void> {
  running = new AbortController();
  const session = new AnalysisSession();
  try {
    for (const request of requests) applyFixNames(request);
    const totals = await runBatch(requests, {
      session,
      signal: running.signal,
      force,
      threads: requests[0]?.threads ?? 1,
      ...(stopOn ? { stopOn } : {}),
      onEvent: (event) => send({ type: 'event', event }),
    });
    send({ type: 'finished', totals });
  } catch (error) {
    send({ type: 'failed', message: errorMessage(error), code: error instanceof EmotionLensError ? error.code : 'internal' });
  } finally {
    await session.close();
    running = undefined;
  }
}

/** The parent's names for fixes, checked first: they come from another process and end up in messages shown to the user. */
function applyFixNames(request: AnalysisRequest): void {
  if (request.fixNames === undefined) return;
  const problem = fixNamesProblem(request.fixNames);
  if (problem) throw new EmotionLensError('internal', `the analysis request's fixNames ${problem}`);
  useFixNames(request.fixNames);
}

process.on('message', (message: ToEngineMessage) => {
  switch (message.type) {
    case 'analyze':
      if (running) send({ type: 'failed', message: 'an analysis is already running in this process', code: 'internal' });
      else void analyse(message.requests, message.force, message.stopOn);
      break;
    case 'cancel':
      running?.abort();
      break;
    default: {
      const unknown: never = message;
      send({ type: 'failed', message: `unknown message ${JSON.stringify(unknown)}`, code: 'internal' });
    }
  }
});

// The parent went away (VS Code closed, CLI killed): stop, clean up, exit.
process.on('disconnect', () => {
  running?.abort();
  setTimeout(() => process.exit(0), 2000).unref();
});

send({ type: 'ready' });
