import type { AnalysisRequest } from '../analysisRequest';
import type { BatchEvent, BatchTotals } from '../batch/batchRun';

/** The child's command-line argument before the JSON of the FixNames its error hints use (the parent's own). */
export const FIX_NAMES_ARGUMENT = '--fix-names';

/** Messages from the parent (extension host or CLI) to the analysis child process. */
export type ToEngineMessage =
  /**
   * Analyse these inputs as one batch (one loaded engine for all); the child runs one batch at a time.
   * `force` analyses inputs whose document is up to date too.
   */
  | { type: 'analyze'; requests: AnalysisRequest[]; force: boolean; stopOn?: string[] }
  /** Stop the batch; the child answers with `finished` (cancelled) once nothing is left on disk. */
  | { type: 'cancel' };

/** Messages from the analysis child process to its parent. */
export type FromEngineMessage =
  /** Sent once the child has loaded and can take a batch. */
  | { type: 'ready' }
  /** One input skipped, started, progressing, done or failed (a failed input never stops the batch by itself). */
  | { type: 'event'; event: BatchEvent }
  /** The batch is over: every input is done, skipped, failed or (cancelled) not analysed. */
  | { type: 'finished'; totals: BatchTotals }
  /** The batch could not run at all (a bad request, or fix names it refused at start): a one-line error and its code. */
  | { type: 'failed'; message: string; code: string };
