// Messages between "Learn from my corrections" (the extension host) and the adaptation worker thread, which
// reads the other documents and runs the fit: seconds of arithmetic on big sets, kept off the host's thread.
import type { AdaptationFit, CorrectedFace } from './learnAdaptation';

export interface AdaptationWorkerData {
  /** Label names, in the order every face's probabilities use (the open document's). */
  labels: string[];
  /** Corrected faces the caller already holds (open documents, with their unsaved corrections). */
  faces: CorrectedFace[];
  /** How many documents those faces came from. */
  documents: number;
  /** More documents to learn from, by absolute path: read, validated and checked for the same labels in the worker. */
  files: string[];
}

export interface AdaptationWorkerResult {
  fit: AdaptationFit;
  /** Documents whose corrections were used (the caller's and the files'). */
  documents: number;
  /** Files left out, each with why ("b.mp4.emotion.json: its labels differ (…)"). */
  skipped: string[];
}

export type FromAdaptationWorker =
  /** What the worker is doing: reading file `done` of `total`, or fitting. */
  | { type: 'progress'; text: string }
  | { type: 'done'; result: AdaptationWorkerResult }
  | { type: 'error'; message: string };
