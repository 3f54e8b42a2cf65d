/**
 * Entry point of the analysis child process (dist/analysisProcess.js). The extension host forks it so that
 * native inference, which blocks its thread, and any crash stay out of VS Code's process. One batch runs at a
 * time, through one AnalysisSession: models and workers are loaded once for all its inputs. Its error hints
 * use the wording of the process that started it, given once as an argument (as worker threads take theirs).
 */
import { EmotionLensError, errorMessage } from '../../errors';
import { fixNamesProblem, useFixNames } from '../../fixNames';
import type { FixNames } from '../../fixNames';
import type { AnalysisRequest } from '../analysisRequest';
import { AnalysisSession } from '../analysisSession';
import { runBatch } from '../batch/batchRun';
import { FIX_NAMES_ARGUMENT } from './engineProtocol';
import type { FromEngineMessage, ToEngineMessage } from './engineProtocol';

let running: AbortController | undefined;

function send(message: FromEngineMessage): void {
  process.send?.(message);
}

async function analyse(requests: AnalysisRequest[], force: boolean, stopOn: string[] | undefined): Promise<void> {
  running = new AbortController();
  const session = new AnalysisSession();
  try {
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

/**
 * Takes the parent's names for fixes, checked first: they come from another process and end up in messages
 * shown to the user. Returns why they are refused, or undefined (none given: the CLI's names stay).
 */
function useParentFixNames(argument: string | undefined): string | undefined {
  if (argument === undefined) return undefined;
  let names: unknown;
  try {
    names = JSON.parse(argument);
  } catch {
    return 'are not JSON';
  }
  const problem = fixNamesProblem(names);
  if (problem === undefined) useFixNames(names as FixNames);
  return problem;
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

const wordingAt = process.argv.indexOf(FIX_NAMES_ARGUMENT);
const refused = useParentFixNames(wordingAt >= 0 ? process.argv[wordingAt + 1] : undefined);
if (refused) send({ type: 'failed', message: `the analysis process's fixNames ${refused}`, code: 'internal' });
else send({ type: 'ready' });
