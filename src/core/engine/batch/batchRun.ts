/**
 * A batch: many inputs through one AnalysisSession, several at a time so short inputs keep every core busy
 * and the next input is probed and opened while the current one is analysed. Inputs whose document is up to
 * date are skipped (unless forced), so a batch stopped by Ctrl-C, a crash or a cluster's time limit resumes
 * where it was; documents are written atomically, so there is never a half-written one to redo.
 */
import path from 'node:path';
import { EmotionLensError, errorMessage, isCancelled } from '../../errors';
import { isImagePath } from '../../media/inputFiles';
import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from '../analysisRequest';
import type { AnalysisSession } from '../analysisSession';
import { documentFreshness } from './upToDate';

export type BatchEvent =
  | { kind: 'skipped'; index: number; input: string; document: string }
  | { kind: 'started'; index: number; input: string }
  | { kind: 'progress'; index: number; progress: AnalysisProgress }
  | { kind: 'done'; index: number; outcome: AnalysisOutcome }
  | { kind: 'failed'; index: number; input: string; message: string; code: string };

export interface BatchOptions {
  session: AnalysisSession;
  signal: AbortSignal;
  /** Analyse inputs whose document is up to date too (their corrections are still carried over). */
  force?: boolean;
  /** Worker threads of the session's pool: sets how many inputs are in flight. */
  threads: number;
  onEvent: (event: BatchEvent) => void;
  /** Stop the batch after a failure with one of these codes (every later input would fail alike). */
  stopOn?: readonly string[];
}

export interface BatchTotals {
  analysed: number;
  skipped: number;
  failed: number;
  /** Inputs never started because the batch was cancelled or stopped. */
  notStarted: number;
  /** Inputs cancelled while they were being analysed (no document written for them). */
  interrupted: number;
  cancelled: boolean;
  /** Frames analysed over the batch (for frames per second). */
  frames: number;
}

/**
 * How much of the pool one input takes: a video keeps it busy on its own (frames stream in from one ffmpeg),
 * a still image is one frame, so many of them are in flight at once.
 */
function weightOf(input: string, threads: number): number {
  return isImagePath(input) ? 1 : 2 * threads;
}

/** Runs every request; resolves with the totals once all are done, skipped, failed or cancelled. */
export async function runBatch(requests: readonly AnalysisRequest[], options: BatchOptions): Promise<BatchTotals> {
  const totals: BatchTotals = { analysed: 0, skipped: 0, failed: 0, notStarted: 0, interrupted: 0, cancelled: false, frames: 0 };
  const capacity = 4 * Math.max(1, options.threads);
  const running = new Set<Promise<void>>();
  let load = 0;
  let stopped = false;
  let next = 0;
  for (; next < requests.length; next++) {
    if (options.signal.aborted || stopped) break;
    const request = requests[next]!;
    const weight = Math.min(capacity, weightOf(request.input, options.threads));
    while (load + weight > capacity && running.size > 0) await Promise.race(running);
    if (options.signal.aborted || stopped) break;
    load += weight;
    const task = runOne(next, request, options, totals).then((stop) => {
      if (stop) stopped = true;
    }).finally(() => {
      load -= weight;
      running.delete(task);
    });
    running.add(task);
  }
  await Promise.all(running);
  totals.notStarted = requests.length - next;
  totals.cancelled = options.signal.aborted;
  return totals;
}

/** One input: skip it, analyse it, or record its failure. Resolves true when the whole batch should stop. */
async function runOne(index: number, request: AnalysisRequest, options: BatchOptions, totals: BatchTotals): Promise<boolean> {
  const input = path.resolve(request.input);
  try {
    if (!options.force) {
      const freshness = await documentFreshness(request);
      if (freshness.upToDate) {
        totals.skipped++;
        options.onEvent({ kind: 'skipped', index, input, document: freshness.document });
        return false;
      }
    }
    if (options.signal.aborted) {
      totals.interrupted++;
      return false;
    }
    options.onEvent({ kind: 'started', index, input });
    const outcome = await options.session.analyze(request, { signal: options.signal, onProgress: (progress) => options.onEvent({ kind: 'progress', index, progress }) });
    totals.analysed++;
    totals.frames += outcome.frames;
    options.onEvent({ kind: 'done', index, outcome });
    return false;
  } catch (error) {
    if (isCancelled(error) || options.signal.aborted) {
      totals.interrupted++;
      return false;
    }
    const code = error instanceof EmotionLensError ? error.code : 'internal';
    totals.failed++;
    options.onEvent({ kind: 'failed', index, input, message: errorMessage(error), code });
    return options.stopOn?.includes(code) === true;
  }
}
