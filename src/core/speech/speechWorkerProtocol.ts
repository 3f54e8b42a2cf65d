// Messages between transcribe() (caller thread) and the speech worker thread.
import type { ErrorCode } from '../errors';
import type { FixNames } from '../fixNames';
import type { RecognizedWord, SpeechEngineKind, SpeechModelConfig } from './speechTypes';

export interface SpeechWorkerData {
  config: SpeechModelConfig;
  /** The parent's fix names: a worker thread has its own module state, and its errors' hints need them. */
  fixNames?: FixNames;
}

export interface TranscriptionResult {
  engine: SpeechEngineKind;
  modelId: string;
  words: RecognizedWord[];
  /** Times (s) where the engine ended an utterance. */
  endpoints: number[];
}

export type ToSpeechWorker =
  /** Start recognising a new input (the model stays loaded between inputs). */
  | { type: 'begin' }
  | { type: 'pcm'; samples: Int16Array }
  /** The input is over: answer with `done`; the worker then waits for the next `begin`. */
  | { type: 'finish' }
  /**
   * Free the recogniser and exit. Terminating the worker while the engine is inside native code aborts the
   * whole process, so stopping goes through the queue: it runs right after the chunk in progress.
   */
  | { type: 'close' };

export type FromSpeechWorker =
  /** One `pcm` message was consumed (frees a queue slot); audio seconds recognised so far. */
  | { type: 'ack'; audioSecDone: number }
  | { type: 'done'; result: TranscriptionResult }
  | { type: 'error'; code: ErrorCode; message: string };
