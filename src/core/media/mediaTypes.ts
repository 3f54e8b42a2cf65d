import type { FrameBuffers } from './frameBuffers';
import type { StageProfile } from '../profiling/stageProfile';
/** Where ffmpeg and ffprobe were found, and which version they are. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** Version string as ffmpeg prints it, e.g. "5.1.9-0+deb12u1". */
  version: string;
}

/** What ffprobe says about an input, normalised. */
export interface MediaProbe {
  /** `audio`: no picture stream (cover art aside); no frames are read. */
  kind: 'video' | 'image' | 'audio';
  /** Seconds; 0 for a still image. */
  durationSec: number;
  /** Average frame rate; 0 for a still image. */
  fps: number;
  /** Displayed size (rotation applied). */
  width: number;
  height: number;
  /** Degrees clockwise the player rotates the coded frames (0, 90, 180, 270). */
  rotation: number;
  /**
   * Container start time in seconds: the first timestamp of the earliest stream (usually the first video
   * frame). RawFrame.timeSec and audio sample 0 both count from this instant.
   */
  startTimeSec: number;
  hasAudio: boolean;
  /** Empty for an audio file. */
  videoCodec: string;
  audioCodec?: string;
  /** The audio stream's own sample rate in Hz, when ffprobe says (the voice is measured near it: audioReader.ts). */
  audioSampleRate?: number;
  /** Where the video and audio streams end, in seconds from the media start, when the container says so. */
  videoEndSec?: number;
  audioEndSec?: number;
  /** Who decodes it: ffmpeg (the default), or sharp for the still images it reads. */
  decoder?: 'ffmpeg' | 'sharp';
  /** ffprobe's index of the analysed video stream (cover art in audio files is not one); readFrames maps it. */
  videoStreamIndex?: number;
  /** Expected number of sampled frames at the requested rate (for progress), or 0 if unknown. */
  estimatedFrames(sampleFps: number): number;
}

/** One decoded, sampled frame: tightly packed RGB, 3 bytes per pixel, rows top to bottom. */
export interface RawFrame {
  /** 0-based position in the sampled sequence. */
  index: number;
  /** Presentation time in seconds, measured from the media's start (MediaProbe.startTimeSec). */
  timeSec: number;
  width: number;
  height: number;
  data: Uint8Array;
  /** Source pixels per frame pixel (>= 1 when the frame was scaled down for analysis). */
  scaleToSource: number;
  /** A still image (not a video frame): a face crop with no face found is then analysed whole. */
  still?: boolean;
}

export interface FrameReadOptions {
  /** Frames per second to sample; 0 for every frame. */
  sampleFps: number;
  /** Longest side of the delivered frames; larger videos are scaled down by ffmpeg. */
  maxSide: number;
  signal?: AbortSignal;
  /** Counts ffmpeg's CPU time and this thread's reading of its frames (--profile). */
  profile?: StageProfile;
  /** Where frame buffers come from (default: a new one per frame). */
  buffers?: FrameBuffers;
}
