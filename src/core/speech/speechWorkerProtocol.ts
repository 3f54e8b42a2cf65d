// Messages between transcribe() (caller thread) and the speech worker thread.
import type { FromPcmWorker, ToPcmWorker } from '../workers/pcmWorkerSession';
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

export type ToSpeechWorker = ToPcmWorker;

export type FromSpeechWorker = FromPcmWorker<TranscriptionResult>;
