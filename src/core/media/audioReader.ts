// Streams a file's audio as mono s16 samples, chunk by chunk: at 16 kHz for the speech engines and the voice
// activity model, and for the voice measures at a rate near the file's own (voiceSampleRate).
import { EmotionLensError, errorMessage, throwIfAborted } from '../errors';
import { readStdoutChunks, spawnStreaming } from './childProcess';
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
  const { signal } = options;
  throwIfAborted(signal, file);
  const sampleRate = options.sampleRate ?? AUDIO_SAMPLE_RATE;
  const chunkSamples = Math.max(1, Math.floor(options.chunkSamples ?? sampleRate / 2));
  const chunkBytes = chunkSamples * 2;
  const args = [
    '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error',
    ...ffmpegInputArgs(file),
    '-map', '0:a:0?', '-vn', '-sn', '-dn',
    '-af', 'aresample=async=1:first_pts=0',
    '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', 'pipe:1',
  ];
  const { profile } = options;
  const proc = spawnStreaming(tools.ffmpeg, args, { signal, ...(profile ? { onCpuSeconds: (sec: number) => profile.add(STAGE.audioDecode, sec) } : {}) });
  let finished = false;
  try {
    let chunk = new Uint8Array(chunkBytes);
    let filled = 0;
    for await (const data of readStdoutChunks(proc)) {
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
    if (!finished) {
      proc.kill();
      await proc.exited.catch(() => undefined);
    }
  }
}
