// SpeechRecognizer over libvosk (koffi). Vosk reports absolute word times, so endpoints need no bookkeeping.
import { EmotionLensError } from '../errors';
import { parseVoskResult } from './recognizerResults';
import type { RecognitionResults, RecognizedWord, SpeechEngine, SpeechModelConfig, SpeechRecognizer } from './speechTypes';
import { SPEECH_SAMPLE_RATE } from './speechTypes';
import type { VoskLibrary, VoskRecognizerHandle } from './voskBinding';
import { loadVosk, openVoskModel } from './voskBinding';

/** Loads a Vosk model; each recognition gets a recogniser of its own over it. */
export function createVoskEngine(config: SpeechModelConfig, lib: VoskLibrary = loadVosk()): SpeechEngine {
  lib.setLogLevel(-1);
  const model = openVoskModel(lib, config.modelDir);
  const start = (): SpeechRecognizer => {
    const recognizer = lib.recognizerNew(model, SPEECH_SAMPLE_RATE);
    if (!recognizer) throw new EmotionLensError('speech-model', 'Vosk could not create a recogniser for this model', config.modelDir, 'Download the model again or choose another model folder.');
    lib.setWords(recognizer, true);
    return new VoskRecognizer(lib, recognizer, config.modelId);
  };
  // The first recogniser is made now, so a model Vosk cannot use fails at load time, not mid-batch.
  start().free();
  let freed = false;
  return {
    engine: 'vosk',
    modelId: config.modelId,
    startRecognition: start,
    free: () => {
      if (!freed) lib.modelFree(model);
      freed = true;
    },
  };
}

class VoskRecognizer implements SpeechRecognizer {
  readonly engine = 'vosk' as const;
  private readonly words: RecognizedWord[] = [];
  private readonly endpoints: number[] = [];
  private finished = false;
  private freed = false;

  constructor(
    private readonly lib: VoskLibrary,
    private readonly recognizer: VoskRecognizerHandle,
    readonly modelId: string,
  ) {}

  acceptPcm(samples: Int16Array): void {
    this.assertOpen();
    if (samples.length === 0) return;
    const status = this.lib.acceptWaveform(this.recognizer, samples);
    if (status < 0) throw new EmotionLensError('speech-model', 'Vosk rejected the audio', undefined, 'Check that the model matches 16 kHz audio.');
    if (status === 1) this.addUtterance(this.lib.result(this.recognizer), true);
  }

  finish(): void {
    this.assertOpen();
    this.finished = true;
    this.addUtterance(this.lib.finalResult(this.recognizer), false);
  }

  takeResults(): RecognitionResults {
    return { words: [...this.words], endpoints: [...this.endpoints] };
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.lib.recognizerFree(this.recognizer);
  }

  private addUtterance(json: string, isEndpoint: boolean): void {
    const words = parseVoskResult(json);
    this.words.push(...words);
    const last = words[words.length - 1];
    if (isEndpoint && last) this.endpoints.push(last.endSec);
  }

  private assertOpen(): void {
    if (this.freed || this.finished) throw new Error('Vosk recogniser used after finish() or free()');
  }
}
