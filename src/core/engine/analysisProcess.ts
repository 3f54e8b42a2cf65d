/**
 * Entry point of the analysis child process (dist/analysisProcess.js). The extension host forks it so that
 * native inference, which blocks its thread, and any crash stay out of VS Code's process.
 */
import { EmotionLensError, errorMessage, isCancelled } from '../errors';
import { fixNamesProblem, useFixNames } from '../fixNames';
import { analyzeMedia } from './analyzeMedia';
import type { AnalysisRequest } from './analysisRequest';
import type { FromEngineMessage, ToEngineMessage } from './engineProtocol';

let running: AbortController | undefined;

function send(message: FromEngineMessage): void {
  process.send?.(message);
}

async function analyse(request: AnalysisRequest): Promise<void> {
  running = new AbortController();
  try {
    applyFixNames(request);
    const outcome = await analyzeMedia(request, { signal: running.signal, onProgress: (progress) => send({ type: 'progress', progress }) });
    send({ type: 'done', outcome });
  } catch (error) {
    if (isCancelled(error)) send({ type: 'cancelled' });
    else send({ type: 'failed', message: errorMessage(error), code: error instanceof EmotionLensError ? error.code : 'internal' });
  } finally {
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
      else void analyse(message.request);
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
