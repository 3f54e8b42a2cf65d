/**
 * SpeechRecognizer over a sherpa-onnx streaming transducer (configuration from the model's MODEL.md).
 * The stream is reset only at endpoints once a segment is long: resetting at every pause costs accuracy
 * (the decoder's 2-token context is lost: jfk.wav went from 1 to 3 errors in 22 words).
 */
import { OnlineRecognizer } from 'sherpa-onnx-node';
import type { OnlineRecognizerResult, OnlineStream } from 'sherpa-onnx-node';
import { EmotionLensError } from '../errors';
import { fixNames } from '../fixNames';
import { wordsFromTokens } from './recognizerResults';
import { checkTransducerFiles } from './sherpaModelCheck';
import { findTransducerFiles } from '../models/speechModelSelection';
import type { RecognitionResults, RecognizedWord, SpeechEngine, SpeechModelConfig, SpeechRecognizer } from './speechTypes';
import { SPEECH_SAMPLE_RATE } from './speechTypes';

/** Audio is fed in pieces this long so endpoints are seen promptly. */
const FEED_SAMPLES = SPEECH_SAMPLE_RATE / 10;
/** Silence appended before inputFinished(): without it the last word is often dropped. */
const TAIL_PADDING_SAMPLES = SPEECH_SAMPLE_RATE / 2;
/** Zero samples in a row (10 ms, one feature hop) that count as digital silence. */
const MIN_SILENT_RUN = SPEECH_SAMPLE_RATE / 100;
/** Reset the stream at the first endpoint after a segment this long (bounds beam-search memory and time). */
const RESET_AFTER_SEC = 15;

/** Loads the model (after checking its files: damaged ones would abort the process inside sherpa-onnx). */
export async function createSherpaEngine(config: SpeechModelConfig): Promise<SpeechEngine> {
  const files = findTransducerFiles(config.modelDir);
  if (!files) {
    throw new EmotionLensError('speech-model', 'not a sherpa-onnx transducer folder (needs encoder*.onnx, decoder*.onnx, joiner*.onnx and tokens.txt)', config.modelDir, `Point ${fixNames().speechModelFolder} at a complete model folder.`);
  }
  await checkTransducerFiles(files);
  let recognizer: OnlineRecognizer;
  try {
    recognizer = new OnlineRecognizer({
      featConfig: { sampleRate: SPEECH_SAMPLE_RATE, featureDim: 80 },
      modelConfig: { transducer: { encoder: files.encoder, decoder: files.decoder, joiner: files.joiner }, tokens: files.tokens, numThreads: 1, provider: 'cpu', debug: 0 },
      decodingMethod: 'modified_beam_search',
      maxActivePaths: 4,
      enableEndpoint: true,
      rule1MinTrailingSilence: 1.2,
      rule2MinTrailingSilence: 0.6,
      rule3MinUtteranceLength: 20,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new EmotionLensError('speech-model', `sherpa-onnx could not load the model (${detail})`, config.modelDir, 'Check the model files or download them again.');
  }
  return {
    engine: 'sherpa-onnx',
    modelId: config.modelId,
    startRecognition: () => new SherpaRecognizer(recognizer, config.modelId),
    // The addon frees native objects when they are garbage-collected: dropping the engine is enough.
    free: () => undefined,
  };
}

class SherpaRecognizer implements SpeechRecognizer {
  readonly engine = 'sherpa-onnx' as const;
  private readonly stream: OnlineStream;
  private readonly converter = new SilenceDither();
  /** Audio is fed in fixed pieces whatever the caller's chunking, so results do not depend on it. */
  private readonly pending = new Int16Array(FEED_SAMPLES);
  private pendingLength = 0;
  /** Words of segments already reset away. */
  private readonly committed: RecognizedWord[] = [];
  private readonly endpoints: number[] = [];
  private samplesFed = 0;
  private inEndpoint = false;
  private finished = false;
  private freed = false;

  constructor(
    private readonly recognizer: OnlineRecognizer,
    readonly modelId: string,
  ) {
    this.stream = recognizer.createStream();
  }

  acceptPcm(samples: Int16Array): void {
    this.assertOpen();
    let offset = 0;
    while (offset < samples.length) {
      const n = Math.min(FEED_SAMPLES - this.pendingLength, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + n), this.pendingLength);
      this.pendingLength += n;
      offset += n;
      if (this.pendingLength === FEED_SAMPLES) this.feedPending();
    }
  }

  finish(): void {
    this.assertOpen();
    this.finished = true;
    if (this.pendingLength > 0) this.feedPending();
    this.stream.acceptWaveform({ samples: this.converter.convert(new Int16Array(TAIL_PADDING_SAMPLES)), sampleRate: SPEECH_SAMPLE_RATE });
    this.stream.inputFinished();
    this.decodeReady();
  }

  takeResults(): RecognitionResults {
    const current = this.freed ? [] : this.segmentWords(this.recognizer.getResult(this.stream));
    return { words: [...this.committed, ...current], endpoints: [...this.endpoints] };
  }

  free(): void {
    // The addon frees native objects when they are garbage-collected; drop our references.
    this.freed = true;
  }

  private feedPending(): void {
    const piece = this.pending.subarray(0, this.pendingLength);
    this.stream.acceptWaveform({ samples: this.converter.convert(piece), sampleRate: SPEECH_SAMPLE_RATE });
    this.samplesFed += piece.length;
    this.pendingLength = 0;
    this.decodeReady();
    this.checkEndpoint();
  }

  private decodeReady(): void {
    while (this.recognizer.isReady(this.stream)) this.recognizer.decode(this.stream);
  }

  /** Records an endpoint at each pause the engine detects; resets the stream only when the segment is long. */
  private checkEndpoint(): void {
    if (!this.recognizer.isEndpoint(this.stream)) {
      this.inEndpoint = false;
      return;
    }
    const result = this.recognizer.getResult(this.stream);
    const segmentStart = result.start_time ?? 0;
    const words = this.segmentWords(result);
    if (!this.inEndpoint) {
      const last = words[words.length - 1];
      const previous = this.endpoints[this.endpoints.length - 1] ?? -1;
      if (last && last.endSec > previous) this.endpoints.push(last.endSec);
      this.inEndpoint = true;
    }
    if (this.audioSec() - segmentStart >= RESET_AFTER_SEC) {
      this.committed.push(...words);
      this.recognizer.reset(this.stream);
    }
  }

  private segmentWords(result: OnlineRecognizerResult): RecognizedWord[] {
    return wordsFromTokens(result, result.start_time ?? 0, this.audioSec());
  }

  private audioSec(): number {
    return this.samplesFed / SPEECH_SAMPLE_RATE;
  }

  private assertOpen(): void {
    if (this.freed || this.finished) throw new Error('sherpa-onnx recogniser used after finish() or free()');
  }
}

/**
 * Int16 to [-1, 1] floats. Runs of exact digital silence (a silent audio track) make this model hallucinate
 * "and", "the"; those runs get 1-LSB noise (Kaldi's fbank dithers by default, sherpa-onnx-node cannot be told
 * to). Real audio is left untouched: even 1-LSB dither everywhere flips jfk.wav's "your" to "you are".
 */
class SilenceDither {
  private zeroRun = 0;
  private seed = 0x2545f491;

  convert(samples: Int16Array): Float32Array {
    const out = new Float32Array(samples.length);
    let i = 0;
    while (i < samples.length) {
      const value = samples[i] ?? 0;
      if (value !== 0) {
        out[i++] = value / 32768;
        this.zeroRun = 0;
        continue;
      }
      let end = i;
      while (end < samples.length && samples[end] === 0) end++;
      this.zeroRun += end - i;
      const dither = this.zeroRun >= MIN_SILENT_RUN;
      for (; i < end; i++) out[i] = dither ? this.noise() / 32768 : 0;
    }
    return out;
  }

  /** Triangular noise in (-1, 1) LSB from a seeded xorshift: runs are reproducible. */
  private noise(): number {
    return this.uniform() - this.uniform();
  }

  private uniform(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 4294967296;
  }
}
