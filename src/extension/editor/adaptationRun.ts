/**
 * "Learn from my corrections" without VS Code: which documents a folder holds, the worker thread that fits
 * the adaptation (cancellable: the thread is terminated), and what the reviewer is told afterwards. The
 * command (learnFromCorrectionsCommand.ts) only asks, shows progress and applies the result.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DOCUMENT_SUFFIX } from '../../shared/annotationDocument';
import type { AdaptationWorkerData, AdaptationWorkerResult, FromAdaptationWorker } from '../../core/adaptation/adaptationWorkerProtocol';
import type { AdaptationFit } from '../../core/adaptation/learnAdaptation';
import { startWorker } from '../../core/workers/workerEntry';
import { settleOnce } from '../../shared/pendingRequests';
import { formatShare, plural } from '../../shared/textFormat';
import { expectedEffectText } from '../../shared/adaptationAdvice';

/** The annotation documents directly in `folder` (not below it), sorted, as absolute paths. */
export async function folderDocuments(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(DOCUMENT_SUFFIX)).map((e) => path.join(folder, e.name)).sort();
}

export class AdaptationCancelledError extends Error {
  override readonly name = 'AdaptationCancelledError';
}

/** Runs the fit in its own thread; `signal` terminates it (rejecting with AdaptationCancelledError). */
export function learnInWorker(data: AdaptationWorkerData, options: { signal?: AbortSignal; onProgress?: (text: string) => void } = {}): Promise<AdaptationWorkerResult> {
  if (options.signal?.aborted) return Promise.reject(new AdaptationCancelledError('cancelled'));
  return settleOnce<AdaptationWorkerResult>((settle) => {
    const worker = startWorker('adaptationWorker', { workerData: data });
    const onAbort = (): void => {
      settle.reject(new AdaptationCancelledError('cancelled'));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromAdaptationWorker) => {
      switch (message.type) {
        case 'progress':
          options.onProgress?.(message.text);
          return;
        case 'done':
          settle.resolve(message.result);
          return;
        case 'error':
          settle.reject(new Error(message.message));
      }
    });
    worker.on('error', (error) => settle.reject(error));
    worker.on('exit', (code) => settle.reject(new Error(`the adaptation worker stopped (exit code ${code}) before it finished`)));
    return () => options.signal?.removeEventListener('abort', onAbort);
  });
}

/** The skipped files in one sentence (the first three named), or ''. */
export function skippedText(skipped: readonly string[]): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, 3).join('; ');
  return ` Skipped ${skipped.length === 1 ? 'one document' : `${skipped.length} documents`}: ${shown}${skipped.length > 3 ? `; and ${skipped.length - 3} more (see the log)` : ''}.`;
}

/** Why nothing was applied, with what it was learnt from. */
export function refusalMessage(fit: AdaptationFit, documents: number, skipped: readonly string[]): string {
  return `Not adapted: ${fit.refusal}. (${plural(fit.corrections, 'correction')} in ${plural(documents, 'document')}.)${skippedText(skipped)}`;
}

/** What was applied: "Learnt from N corrections (M documents): cross-validated accuracy model X % -> adapted Y %; K labels change". */
export function learntMessage(fit: AdaptationFit, documents: number, changedLabels: number, skipped: readonly string[]): string {
  const change = `${plural(changedLabels, 'label')} change`;
  return `Learnt from ${fit.corrections.toLocaleString('en')} corrections (${plural(documents, 'document')}): cross-validated accuracy model ${formatShare(fit.baseAccuracy)} → adapted ${formatShare(fit.adaptedAccuracy)}, ${expectedEffectText(fit)}; ${change}.${skippedText(skipped)}`;
}
