/**
 * A still of one face, for the review panel when the video cannot play in the webview (a codec VS Code's
 * player lacks): ffmpeg decodes the sampled frame and crops around the face box. The argument builder is pure
 * and unit-tested; the runner spawns ffmpeg with an argument array and a deadline.
 */
import type { Box } from '../../shared/annotationDocument';
import { ffmpegInputArgs, ffmpegReason } from '../../core/media/ffmpegInput';
import { runProcess } from '../../core/media/childProcess';

/** Context around the face box, so a reviewer sees the expression in its setting (1 = the box alone). */
const CONTEXT_SCALE = 1.8;
/** A still is one frame; anything slower than this is a stuck decoder. */
const STILL_TIMEOUT_MS = 15_000;
const MAX_STILL_BYTES = 2 * 1024 * 1024;

export interface StillRequest {
  /** Absolute path of the video. */
  video: string;
  /** The frame's time from the media start (ffmpeg's input seek counts from the start time too). */
  timeSec: number;
  /** The face box in the displayed frame, and that frame's size. */
  box: Box;
  frameWidth: number;
  frameHeight: number;
  /** Longer side of the still, in pixels. */
  size: number;
}

/** The crop rectangle: the box grown by CONTEXT_SCALE around its centre, squared, kept inside the frame. */
export function stillCrop(box: Box, frameWidth: number, frameHeight: number): { x: number; y: number; width: number; height: number } {
  const [bx, by, bw, bh] = box;
  const side = Math.max(2, Math.min(Math.max(bw, bh) * CONTEXT_SCALE, frameWidth, frameHeight));
  const cx = bx + bw / 2;
  const cy = by + bh / 2;
  const width = Math.floor(Math.min(side, frameWidth) / 2) * 2;
  const height = Math.floor(Math.min(side, frameHeight) / 2) * 2;
  const x = Math.round(Math.min(Math.max(cx - width / 2, 0), frameWidth - width));
  const y = Math.round(Math.min(Math.max(cy - height / 2, 0), frameHeight - height));
  return { x, y, width, height };
}

export function stillArgs(request: StillRequest): string[] {
  const crop = stillCrop(request.box, request.frameWidth, request.frameHeight);
  const size = Math.round(request.size);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-ss', request.timeSec.toFixed(3),
    ...ffmpegInputArgs(request.video),
    '-frames:v', '1', '-an', '-sn',
    '-vf', `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},scale=${size}:${size}:force_original_aspect_ratio=decrease`,
    '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '4', 'pipe:1',
  ];
}

/** The still as a `data:image/jpeg` URI (the webview's CSP allows data: images, nothing remote). */
export async function extractStill(ffmpeg: string, request: StillRequest): Promise<string> {
  const result = await runProcess(ffmpeg, stillArgs(request), { collectStdout: true, maxStdoutBytes: MAX_STILL_BYTES, signal: AbortSignal.timeout(STILL_TIMEOUT_MS) });
  if (result.aborted) throw new Error(`ffmpeg took more than ${STILL_TIMEOUT_MS / 1000} s for one frame`);
  if (result.code !== 0 || result.stdout.length === 0) throw new Error(`ffmpeg could not decode the frame (${ffmpegReason(result.stderrTail, request.video)})`);
  return `data:image/jpeg;base64,${result.stdout.toString('base64')}`;
}
