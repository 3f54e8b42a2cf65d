/** One recognised word, times in seconds from the start of the audio. */
export interface RecognizedWord {
  text: string;
  startSec: number;
  endSec: number;
  /** Recogniser confidence, 0..1 (1 when the engine gives none). */
  confidence: number;
}

export type SpeechEngineKind = 'vosk' | 'sherpa-onnx';

/** What a recogniser has produced so far. */
export interface RecognitionResults {
  words: RecognizedWord[];
  /** Times (s) where the engine ended an utterance: the end of its last word. */
  endpoints: number[];
}

/** A streaming recogniser: feed 16 kHz mono PCM, read words. Not thread-safe; one per worker. */
export interface SpeechRecognizer {
  readonly engine: SpeechEngineKind;
  readonly modelId: string;
  acceptPcm(samples: Int16Array): void;
  /** Flushes the last utterance; no more audio may be fed afterwards. */
  finish(): void;
  /** Everything recognised so far (cumulative, not just since the last call). */
  takeResults(): RecognitionResults;
  free(): void;
}

/**
 * A loaded speech model that recognises one input after another. Loading is the slow part (about 1 to 2 s for
 * the sherpa-onnx model on 2 busy cores): a batch of short clips loads it once per worker, not once per clip.
 */
export interface SpeechEngine {
  readonly engine: SpeechEngineKind;
  readonly modelId: string;
  /** A fresh recogniser for the next input; free() it when done (the engine stays loaded). */
  startRecognition(): SpeechRecognizer;
  free(): void;
}

export interface SpeechModelConfig {
  engine: SpeechEngineKind;
  modelDir: string;
  modelId: string;
}

/** Every engine here takes 16 kHz mono signed 16-bit PCM. */
export const SPEECH_SAMPLE_RATE = 16000;
