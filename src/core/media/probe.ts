// Asks ffprobe what an input is, and turns its JSON into the few facts the analysis needs.
import { promises as fs } from 'node:fs';
import { CancelledError, EmotionLensError, errorMessage } from '../errors';
import { runProcess } from './childProcess';
import { ffmpegInputArgs, ffmpegReason } from './ffmpegInput';
import { ffmpegInstallHint } from './ffmpegTools';
import type { FfmpegTools, MediaProbe } from './mediaTypes';

interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  start_time?: string;
  duration?: string;
  nb_frames?: string;
  sample_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

interface ProbeJson {
  streams?: ProbeStream[];
  format?: { format_name?: string; start_time?: string; duration?: string };
}

const unreadableHint = 'Check that it is a complete video or image file; re-export or re-download it';
const imageCodecs = new Set(['mjpeg', 'png', 'bmp', 'webp', 'tiff', 'jpeg2000', 'jpegls', 'gif', 'qoi', 'pam', 'ppm', 'pgm', 'pbm']);

/** Probes one input; every failure is a one-line EmotionLensError naming the file and what to do. */
export async function probeMedia(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<MediaProbe> {
  await checkFile(file);
  const args = ['-hide_banner', '-v', 'error', '-show_streams', '-show_format', '-of', 'json', ...ffmpegInputArgs(file)];
  const result = await runProcess(tools.ffprobe, args, { signal, collectStdout: true }).catch((error: unknown) => {
    throw new EmotionLensError('ffmpeg-missing', `could not run ffprobe (${errorMessage(error)})`, tools.ffprobe, ffmpegInstallHint());
  });
  if (result.aborted || signal?.aborted) throw new CancelledError(file);
  if (result.code !== 0) {
    throw new EmotionLensError('input-unreadable', `is not a video or image ffmpeg can read (${ffmpegReason(result.stderrTail, file)})`, file, unreadableHint);
  }
  let json: ProbeJson;
  try {
    json = JSON.parse(result.stdout.toString('utf8')) as ProbeJson;
  } catch {
    throw new EmotionLensError('input-unreadable', 'ffprobe gave no readable description', file, unreadableHint);
  }
  return describe(json, file);
}

async function checkFile(file: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new EmotionLensError('input-unreadable', 'cannot be read (permission denied)', file, 'Check the file permissions');
    throw new EmotionLensError('input-missing', 'not found', file, 'Check the path');
  }
  if (stat.isDirectory()) throw new EmotionLensError('input-unsupported', 'is a folder, not a video or image file', file, 'Pass a file, or pass the folder as an input to analyse every video in it');
  if (!stat.isFile()) throw new EmotionLensError('input-unsupported', 'is not a regular file', file, 'Pass a video or image file');
  if (stat.size === 0) throw new EmotionLensError('input-unreadable', 'is empty (0 bytes)', file, 'Copy or export the file again');
}

function describe(json: ProbeJson, file: string): MediaProbe {
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video && audio) return describeAudio(json, streams, audio);
  if (!video) {
    throw new EmotionLensError('no-video-stream', 'has neither a video nor an audio stream; Emotion Lens analyses video, images and speech recordings', file);
  }
  const codedWidth = video.width ?? 0;
  const codedHeight = video.height ?? 0;
  if (codedWidth <= 0 || codedHeight <= 0) {
    throw new EmotionLensError('input-unreadable', 'has a video stream without a picture size', file, unreadableHint);
  }
  const rotation = rotationOf(video);
  const squareWidth = Math.round(codedWidth * pixelAspect(video.sample_aspect_ratio));
  const turned = rotation === 90 || rotation === 270;
  const common = {
    width: turned ? codedHeight : squareWidth,
    height: turned ? squareWidth : codedHeight,
    rotation,
    hasAudio: audio !== undefined,
    videoCodec: video.codec_name ?? 'unknown',
    audioCodec: audio?.codec_name,
    ...sampleRateOf(audio),
    videoStreamIndex: video.index,
  };

  if (isStillImage(json, video)) {
    return { ...common, kind: 'image', durationSec: 0, fps: 0, startTimeSec: 0, hasAudio: false, audioCodec: undefined, estimatedFrames: () => 1 };
  }

  const startTimeSec = num(json.format?.start_time) ?? num(video.start_time) ?? 0;
  const durationSec = mediaDuration(json, streams, startTimeSec);
  const videoDurationSec = num(video.duration) ?? durationSec;
  const videoEndSec = streamEnd(video, startTimeSec);
  const audioEndSec = audio && streamEnd(audio, startTimeSec);
  const nbFrames = num(video.nb_frames);
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate) || (nbFrames && videoDurationSec > 0 ? nbFrames / videoDurationSec : 0);
  const everyFrame = nbFrames ?? Math.round(videoDurationSec * fps);
  return {
    ...common,
    kind: 'video',
    durationSec,
    fps,
    startTimeSec,
    ...(videoEndSec !== undefined ? { videoEndSec } : {}),
    ...(audioEndSec !== undefined ? { audioEndSec } : {}),
    estimatedFrames(sampleFps: number): number {
      if (!(everyFrame > 0)) return 0;
      if (!(sampleFps > 0) || sampleFps >= fps) return everyFrame;
      return Math.min(everyFrame, Math.ceil(videoDurationSec * sampleFps));
    },
  };
}

/** The audio stream's sample rate, when ffprobe gives one. */
function sampleRateOf(audio: ProbeStream | undefined): { audioSampleRate?: number } {
  const rate = num(audio?.sample_rate);
  return rate !== undefined && rate > 0 ? { audioSampleRate: rate } : {};
}

/** A recording with no picture (cover art does not count): the voice and the words are analysed, no faces. */
function describeAudio(json: ProbeJson, streams: ProbeStream[], audio: ProbeStream): MediaProbe {
  const startTimeSec = num(json.format?.start_time) ?? num(audio.start_time) ?? 0;
  const audioEndSec = streamEnd(audio, startTimeSec);
  return {
    kind: 'audio',
    durationSec: mediaDuration(json, streams, startTimeSec),
    fps: 0,
    width: 0,
    height: 0,
    rotation: 0,
    startTimeSec,
    hasAudio: true,
    videoCodec: '',
    audioCodec: audio.codec_name,
    ...sampleRateOf(audio),
    ...(audioEndSec !== undefined ? { audioEndSec } : {}),
    estimatedFrames: () => 0,
  };
}

/** Degrees clockwise, from the display matrix (counter-clockwise in ffprobe) or the legacy `rotate` tag. */
function rotationOf(video: ProbeStream): number {
  const matrix = video.side_data_list?.find((d) => typeof d.rotation === 'number');
  const clockwise = matrix?.rotation !== undefined ? -matrix.rotation : (num(video.tags?.rotate) ?? 0);
  const normalised = ((Math.round(clockwise / 90) * 90) % 360 + 360) % 360;
  return normalised;
}

function isStillImage(json: ProbeJson, video: ProbeStream): boolean {
  const formats = (json.format?.format_name ?? '').split(',');
  if (formats.some((f) => f === 'image2' || f === 'image2pipe' || f.endsWith('_pipe'))) return true;
  const frames = num(video.nb_frames);
  return imageCodecs.has(video.codec_name ?? '') && video.codec_name !== 'gif' && (frames === undefined || frames <= 1) && !num(json.format?.duration);
}

/** Time from the media's start to the end of its last audio/video stream (format.duration counts from 0 in mp4). */
function mediaDuration(json: ProbeJson, streams: ProbeStream[], startTimeSec: number): number {
  const ends = streams
    .filter((s) => (s.codec_type === 'video' && s.disposition?.attached_pic !== 1) || s.codec_type === 'audio')
    .map((s) => streamEnd(s, startTimeSec))
    .filter((end): end is number => end !== undefined);
  if (ends.length > 0) return Math.max(0, ...ends);
  return num(json.format?.duration) ?? 0;
}

/** Where a stream ends, in seconds from the media start; undefined when the container gives no duration. */
function streamEnd(stream: ProbeStream, startTimeSec: number): number | undefined {
  const duration = num(stream.duration);
  return duration === undefined ? undefined : (num(stream.start_time) ?? startTimeSec) + duration - startTimeSec;
}

function pixelAspect(sar: string | undefined): number {
  const value = rate(sar?.replace(':', '/'));
  return value > 0 ? value : 1;
}

function rate(text: string | undefined): number {
  if (!text) return 0;
  const [n, d] = text.split('/').map(Number);
  if (n === undefined || !Number.isFinite(n)) return 0;
  if (d === undefined) return n;
  return d > 0 && Number.isFinite(d) ? n / d : 0;
}

function num(text: string | undefined): number | undefined {
  if (text === undefined || text === 'N/A') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
