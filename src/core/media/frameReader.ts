// Streams sampled video frames from ffmpeg as raw RGB through a pipe: no temp files, and never more than
// a couple of frames in memory, because ffmpeg waits whenever the consumer does (pipe backpressure).
import { EmotionLensError, errorMessage, throwIfAborted } from '../errors';
import { readStdoutChunks, spawnStreaming } from './childProcess';
import { ffmpegInputArgs, ffmpegReason } from './ffmpegInput';
import { ffmpegInstallHint } from './ffmpegTools';
import type { FfmpegTools, FrameReadOptions, MediaProbe, RawFrame } from './mediaTypes';
import { STAGE } from '../profiling/stageProfile';

export interface FrameSize {
  width: number;
  height: number;
  /** Source pixels per delivered pixel (>= 1). */
  scaleToSource: number;
}

/** The delivered size: the displayed size, scaled down (aspect kept) so the longest side fits maxSide. */
export function frameSizeFor(probe: Pick<MediaProbe, 'width' | 'height'>, maxSide: number): FrameSize {
  const longest = Math.max(probe.width, probe.height);
  if (!(maxSide > 0) || longest <= maxSide) return { width: probe.width, height: probe.height, scaleToSource: 1 };
  const factor = maxSide / longest;
  const width = Math.max(1, Math.round(probe.width * factor));
  const height = Math.max(1, Math.round(probe.height * factor));
  return { width, height, scaleToSource: longest / Math.max(width, height) };
}

/**
 * The ffmpeg filter chain. Sampling keeps the first real frame of each 1/sampleFps bin (the `fps` filter
 * would re-time or duplicate frames); showinfo then reports each kept frame's own timestamp on stderr.
 */
export function frameFilter(size: FrameSize, sampleFps: number): string {
  const filters: string[] = [];
  if (sampleFps > 0) {
    const bin = (v: string): string => `floor(${v}*${sampleFps}+1e-6)`;
    filters.push(`select='if(isnan(prev_selected_t),1,gte(${bin('t')}-${bin('prev_selected_t')},1))'`);
  }
  filters.push(`scale=${size.width}:${size.height}:flags=area`, 'format=rgb24', 'showinfo=checksum=0');
  return filters.join(',');
}

/** Decoded frames in presentation order; timeSec is each frame's real time from the media start. */
export async function* readFrames(tools: FfmpegTools, file: string, probe: MediaProbe, options: FrameReadOptions): AsyncGenerator<RawFrame> {
  const { signal, profile } = options;
  const newFrame = (bytes: number): Uint8Array => options.buffers?.take(bytes) ?? new Uint8Array(bytes);
  throwIfAborted(signal, file);
  const size = frameSizeFor(probe, options.maxSide);
  const frameBytes = size.width * size.height * 3;
  const still = probe.kind === 'image';
  const times = new FrameTimes();
  const args = frameReaderArgs(file, probe, size, still ? 0 : options.sampleFps);
  const proc = spawnStreaming(tools.ffmpeg, args, {
    signal,
    onStderrLine: (line) => times.parse(line),
    onStderrEnd: () => times.end(),
    // Colour codes (forced by some users' environments) would break parsing the showinfo lines.
    env: { ...process.env, AV_LOG_FORCE_NOCOLOR: '1' },
    ...(profile ? { onCpuSeconds: (sec: number) => profile.add(STAGE.videoDecode, sec) } : {}),
  });

  let index = 0;
  let lastTime = -Infinity;
  let finished = false;
  try {
    let frame = newFrame(frameBytes);
    let filled = 0;
    for await (const chunk of readStdoutChunks(proc)) {
      let busyFrom = performance.now();
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        frame.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled < frameBytes) continue;
        profile?.add(STAGE.frameRead, (performance.now() - busyFrom) / 1000);
        const timeSec = await times.next();
        throwIfAborted(signal, file);
        if (timeSec === undefined) throw new EmotionLensError('internal', `ffmpeg reported no timestamp for frame ${index}`, file);
        // A frame without a timestamp (rare, broken files) is placed one source frame after the previous one.
        lastTime = Number.isFinite(timeSec) ? timeSec : Math.max(0, lastTime + 1 / (probe.fps || 25));
        yield { index, timeSec: still ? 0 : lastTime, width: size.width, height: size.height, data: frame, scaleToSource: size.scaleToSource, ...(still ? { still } : {}) };
        throwIfAborted(signal, file);
        busyFrom = performance.now();
        index += 1;
        frame = newFrame(frameBytes);
        filled = 0;
      }
      profile?.add(STAGE.frameRead, (performance.now() - busyFrom) / 1000);
    }
    throwIfAborted(signal, file);
    const exit = await proc.exited.catch((error: unknown) => {
      throw new EmotionLensError('ffmpeg-missing', `could not run ffmpeg (${errorMessage(error)})`, tools.ffmpeg, ffmpegInstallHint());
    });
    throwIfAborted(signal, file);
    if (exit.code !== 0) throw undecodable('ffmpeg could not decode the video', exit.stderrTail, file);
    if (index === 0) throw undecodable('no frame could be decoded', exit.stderrTail, file);
    finished = true;
  } finally {
    if (!finished) {
      proc.kill();
      await proc.exited.catch(() => undefined);
    }
  }
}

function frameReaderArgs(file: string, probe: MediaProbe, size: FrameSize, sampleFps: number): string[] {
  const stream = probe.videoStreamIndex !== undefined ? `0:${probe.videoStreamIndex}` : '0:v:0';
  return [
    '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'info',
    ...ffmpegInputArgs(file),
    '-map', stream, '-an', '-sn', '-dn',
    '-vf', frameFilter(size, sampleFps),
    // Passthrough: every selected frame once, with its own timestamp (no duplicates or drops for a frame rate).
    '-fps_mode', 'passthrough',
    ...(probe.kind === 'image' ? ['-frames:v', '1'] : []),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

function undecodable(problem: string, stderrTail: string, file: string): EmotionLensError {
  return new EmotionLensError('input-unreadable', `${problem} (${ffmpegReason(stderrTail, file)})`, file, 'Check that the file is complete; re-export or re-download it');
}

/**
 * Frame timestamps from showinfo's stderr lines, in output order. The time is computed from the integer pts
 * and the time base, since showinfo's pts_time keeps only 6 significant digits (10 ms after 1000 s).
 */
class FrameTimes {
  private readonly queue: number[] = [];
  private timeBase = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  /** Returns true for showinfo lines, so they stay out of the stderr kept for error messages. */
  parse(line: string): boolean {
    if (!line.includes('Parsed_showinfo')) return false;
    const config = /config in time_base: (\d+)\/(\d+)/.exec(line);
    if (config) this.timeBase = Number(config[1]) / Number(config[2]);
    const frame = /\bn:\s*\d+\s+pts:\s*(-?\d+|NOPTS)\s+pts_time:\s*(\S+)/.exec(line);
    if (frame) this.push(this.timeOf(frame[1] ?? '', frame[2] ?? ''));
    return true;
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  async next(): Promise<number | undefined> {
    while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.queue.shift();
  }

  private timeOf(pts: string, ptsTime: string): number {
    const exact = Number(pts) * this.timeBase;
    if (this.timeBase > 0 && Number.isFinite(exact)) return exact;
    const printed = Number(ptsTime);
    return Number.isFinite(printed) ? printed : Number.NaN;
  }

  private push(time: number): void {
    this.queue.push(time);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
