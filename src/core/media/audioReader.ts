// Streams a file's audio as mono s16 samples, chunk by chunk: at 16 kHz for the speech engines and the voice
// activity model, and for the voice measures at a rate near the file's own (voiceSampleRate).
import { EmotionLensError, errorMessage, throwIfAborted } from '../errors';
import type { Readable } from 'node:stream';
import { spawnStreaming } from './childProcess';
import type { StreamingProcess } from './childProcess';
import { ffmpegInputArgs, ffmpegReason } from './ffmpegInput';
import { ffmpegInstallHint } from './ffmpegTools';
import type { FfmpegTools } from './mediaTypes';
import { STAGE } from '../profiling/stageProfile';
import type { StageProfile } from '../profiling/stageProfile';

export const AUDIO_SAMPLE_RATE = 16000;
/** The highest rate the voice is measured at: Praat's jitter, shimmer and HNR need the band above 8 kHz, not above 24. */
export const MAX_VOICE_SAMPLE_RATE = 48000;

export interface AudioReadOptions {
  signal?: AbortSignal;
  /** Samples per yielded chunk (default half a second); the last chunk may be shorter. */
  chunkSamples?: number;
  /** Default AUDIO_SAMPLE_RATE. */
  sampleRate?: number;
  /** Counts ffmpeg's CPU time (--profile). */
  profile?: StageProfile;
}

/**
 * The rate the voice is measured at for audio recorded at `nativeRate`: its own, as Praat measures it (jitter,
 * shimmer and HNR change when a recording is resampled), at most 48 kHz (nothing of the voice lies above 24 kHz);
 * 16 kHz when the rate is unknown. The voice activity model gets its own 16 kHz copy (voice/resampler.ts).
 */
export function voiceSampleRate(nativeRate: number | undefined): number {
  if (!(nativeRate !== undefined && nativeRate > 0)) return AUDIO_SAMPLE_RATE;
  return Math.min(MAX_VOICE_SAMPLE_RATE, Math.round(nativeRate));
}

/** The file's audio at 16 kHz (readAudio's default), what the speech engines take. */
export function readAudio16k(tools: FfmpegTools, file: string, options: Omit<AudioReadOptions, 'sampleRate'> = {}): AsyncGenerator<Int16Array> {
  return readAudio(tools, file, { ...options, sampleRate: AUDIO_SAMPLE_RATE });
}

/**
 * Sample 0 is the media's start (the same origin as RawFrame.timeSec): aresample pads silence when the
 * audio starts after the video and trims audio before the start, and fills gaps, so sample i is at i / rate s.
 * A file without audio yields nothing.
 */
export async function* readAudio(tools: FfmpegTools, file: string, options: AudioReadOptions = {}): AsyncGenerator<Int16Array> {
  const [only] = readAudioAtRates(tools, file, [options.sampleRate ?? AUDIO_SAMPLE_RATE], options);
  yield* only!;
}

/**
 * The file's audio at several rates from one ffmpeg (one start, one decode): each rate is an output of its own
 * (pipe:1, pipe:3, ...) with readAudio's filter, so each gives the same samples a readAudio at that rate gives.
 * The streams are read independently; one whose reader stops early, or is closed (return()) without ever
 * being read, is drained so the others go on, and the process is ended once every reader has stopped.
 */
export function readAudioAtRates(tools: FfmpegTools, file: string, rates: readonly number[], options: Omit<AudioReadOptions, 'sampleRate'> = {}): AsyncGenerator<Int16Array>[] {
  const shared = new SharedAudioRead(tools, file, rates, options);
  return rates.map((rate, i) => releasedUnread(shared.read(i, rate), () => shared.release(i)));
}

/** The generator, with return() before the first next() calling `release` (a generator never started runs no finally). */
function releasedUnread(generator: AsyncGenerator<Int16Array>, release: () => void): AsyncGenerator<Int16Array> {
  let started = false;
  const wrapped: AsyncGenerator<Int16Array> = {
    next: (...args) => {
      started = true;
      return generator.next(...args);
    },
    return: (value) => {
      if (!started) release();
      return generator.return(value);
    },
    throw: (error) => generator.throw(error),
    [Symbol.asyncIterator]: () => wrapped,
  };
  return wrapped;
}

class SharedAudioRead {
  private proc: StreamingProcess | undefined;
  private readonly active: boolean[];

  constructor(
    private readonly tools: FfmpegTools,
    private readonly file: string,
    private readonly rates: readonly number[],
    private readonly options: Omit<AudioReadOptions, 'sampleRate'>,
  ) {
    this.active = rates.map(() => true);
  }

  async *read(index: number, sampleRate: number): AsyncGenerator<Int16Array> {
    const { signal } = this.options;
    const { file, tools } = this;
    throwIfAborted(signal, file);
    const chunkSamples = Math.max(1, Math.floor(this.options.chunkSamples ?? sampleRate / 2));
    const chunkBytes = chunkSamples * 2;
    const proc = this.start();
    const stream = this.outputOf(proc, index);
    let finished = false;
    try {
      let chunk = new Uint8Array(chunkBytes);
      let filled = 0;
      // Not destroyed when this reader stops early: another output of the same process may still be read.
      for await (const data of chunksOf(proc, stream)) {
        let offset = 0;
        while (offset < data.length) {
          const n = Math.min(chunkBytes - filled, data.length - offset);
          chunk.set(data.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled < chunkBytes) continue;
          yield new Int16Array(chunk.buffer, 0, chunkSamples);
          throwIfAborted(signal, file);
          chunk = new Uint8Array(chunkBytes);
          filled = 0;
        }
      }
      throwIfAborted(signal, file);
      const exit = await proc.exited.catch((error: unknown) => {
        throw new EmotionLensError('ffmpeg-missing', `could not run ffmpeg (${errorMessage(error)})`, tools.ffmpeg, ffmpegInstallHint());
      });
      throwIfAborted(signal, file);
      if (exit.code !== 0) {
        if (/does not contain any stream|matches no streams/i.test(exit.stderrTail)) {
          finished = true;
          return;
        }
        throw new EmotionLensError('input-unreadable', `ffmpeg could not decode the audio (${ffmpegReason(exit.stderrTail, file)})`, file, 'Check that the file is complete; re-export or re-download it');
      }
      const samples = Math.floor(filled / 2);
      if (samples > 0) yield new Int16Array(chunk.buffer, 0, samples);
      finished = true;
    } finally {
      this.active[index] = false;
      if (!finished) await this.abandon(stream);
    }
  }

  /** A reader closed before it read anything: its output is drained (once the process runs) or the process ended. */
  release(index: number): void {
    if (!this.active[index]) return;
    this.active[index] = false;
    if (this.proc) void this.abandon(this.outputOf(this.proc, index));
  }

  private outputOf(proc: StreamingProcess, index: number): Readable {
    return index === 0 ? proc.stdout : proc.outputs[index - 1]!;
  }

  /** Starts ffmpeg on the first read: one output per rate. */
  private start(): StreamingProcess {
    if (this.proc) return this.proc;
    const output = (rate: number, i: number): string[] => [
      '-map', '0:a:0?', '-vn', '-sn', '-dn',
      '-af', 'aresample=async=1:first_pts=0',
      '-ac', '1', '-ar', String(rate), '-f', 's16le', i === 0 ? 'pipe:1' : `pipe:${i + 2}`,
    ];
    const args = ['-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error', ...ffmpegInputArgs(this.file), ...this.rates.flatMap(output)];
    const { profile, signal } = this.options;
    this.proc = spawnStreaming(this.tools.ffmpeg, args, {
      signal,
      extraOutputs: this.rates.length - 1,
      ...(profile ? { onCpuSeconds: (sec: number) => profile.add(STAGE.audioDecode, sec) } : {}),
    });
    // Outputs whose reader was closed before the process started are drained from the start.
    this.active.forEach((active, i) => active || this.outputOf(this.proc!, i).resume());
    return this.proc;
  }

  /** A reader stopped early: its output is drained while another is still read, else the process is ended. */
  private async abandon(stream: Readable): Promise<void> {
    const proc = this.proc!;
    if (this.active.some(Boolean)) {
      stream.resume();
      return;
    }
    proc.kill();
    await proc.exited.catch(() => undefined);
  }
}

/** A stream's chunks as they come (pulled, so backpressure holds), the stream left open when the loop stops early. */
async function* chunksOf(proc: StreamingProcess, stream: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
  } catch (error) {
    if (!proc.killed) throw error;
  }
}
