import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from './analysisRequest';

/** Messages from the parent (extension host or CLI) to the analysis child process. */
export type ToEngineMessage =
  /** Start analysing one input; the child runs one analysis at a time (its `fixNames` are checked, then applied). */
  | { type: 'analyze'; request: AnalysisRequest }
  /** Stop the running analysis; the child answers with `cancelled` once nothing is left on disk. */
  | { type: 'cancel' };

/** Messages from the analysis child process to its parent. */
export type FromEngineMessage =
  /** Sent once the child has loaded and can take a request. */
  | { type: 'ready' }
  | { type: 'progress'; progress: AnalysisProgress }
  | { type: 'done'; outcome: AnalysisOutcome }
  /** A user-facing one-line error (the file and what to do) and its code. */
  | { type: 'failed'; message: string; code: string }
  | { type: 'cancelled' };
