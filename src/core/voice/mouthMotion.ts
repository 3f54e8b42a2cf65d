/**
 * How much each face's mouth moves, frame by frame at the video's own rate (at most 30 per second), over the
 * spans where someone speaks: the mean absolute change of brightness in a box around the mouth from one frame
 * to the next. The analysis samples 5 frames per second, too few to follow syllables (3-6 per second): on the
 * made-up conversations the mesh's mouth openness at 5 and 15 fps correlated with its own voice at r = 0.1 for one
 * speaker (docs/voice.md), while this motion at 30 fps follows it at r = 0.4-0.6. The mouth box comes from the
 * sampled faces' mouth corners (the detector's 5 points), held between samples.
 */
import type { FfmpegTools, MediaProbe } from '../media/mediaTypes';
import { readFrames } from '../media/frameReader';

/** Densest rate the motion is measured at: enough for syllables, and no more decoding than needed. */
export const MOTION_FPS = 30;
/** A sampled face stands for its track this long either side (samples are 0.2 s apart at 5 fps). */
const HOLD_SEC = 0.4;

export interface TimeSpan {
  startSec: number;
  endSec: number;
}

/** A sampled face: its track, and where its mouth corners are (source pixels). */
export interface MouthSample {
  timeSec: number;
  faces: { trackId: number; landmarks: readonly number[]; box: readonly number[] }[];
}

/** Per dense frame time, each track's mouth motion (NaN where the track has no face then). */
export interface MouthMotion {
  times: number[];
  tracks: Map<number, number[]>;
}

export interface MouthMotionOptions {
  maxSide: number;
  signal: AbortSignal;
}

/** Mouth motion of every track over the speech spans (frames outside them are decoded but not measured). */
export async function measureMouthMotion(tools: FfmpegTools, file: string, probe: MediaProbe, samples: readonly MouthSample[], spans: readonly TimeSpan[], options: MouthMotionOptions): Promise<MouthMotion> {
  const motion: MouthMotion = { times: [], tracks: new Map() };
  const trackIds = [...new Set(samples.flatMap((s) => s.faces.map((f) => f.trackId)))];
  for (const id of trackIds) motion.tracks.set(id, []);
  const inSpeech = (t: number) => spans.some((s) => t >= s.startSec - 0.2 && t <= s.endSec + 0.2);
  let previous: { data: Uint8Array; width: number } | undefined;
  for await (const frame of readFrames(tools, file, probe, { maxSide: options.maxSide, sampleFps: MOTION_FPS, signal: options.signal })) {
    const current = { data: frame.data, width: frame.width };
    if (previous && inSpeech(frame.timeSec)) {
      motion.times.push(frame.timeSec);
      for (const id of trackIds) {
        const box = mouthBox(samples, id, frame.timeSec, frame.scaleToSource, frame.width, frame.height);
        motion.tracks.get(id)!.push(box ? meanLumaChange(previous.data, current.data, frame.width, box) : Number.NaN);
      }
    }
    previous = current;
  }
  return motion;
}

/** Frame-pixel box [x0, y0, x1, y1) around the lips and jaw of the track's nearest sampled face, if one is near. */
export function mouthBox(samples: readonly MouthSample[], trackId: number, timeSec: number, scaleToSource: number, width: number, height: number): [number, number, number, number] | undefined {
  const face = nearestFace(samples, trackId, timeSec);
  if (!face) return undefined;
  const [rx, ry, lx, ly] = [face.landmarks[6]!, face.landmarks[7]!, face.landmarks[8]!, face.landmarks[9]!].map((v) => v / scaleToSource) as [number, number, number, number];
  const cx = (rx + lx) / 2, cy = (ry + ly) / 2;
  // The corners' distance sets the scale; a profile face's corners nearly meet, so a share of the box width bounds it.
  const span = Math.max(Math.hypot(lx - rx, ly - ry), (0.35 * face.box[2]!) / scaleToSource);
  const x0 = Math.max(0, Math.floor(cx - 0.9 * span)), x1 = Math.min(width, Math.ceil(cx + 0.9 * span));
  const y0 = Math.max(0, Math.floor(cy - 0.5 * span)), y1 = Math.min(height, Math.ceil(cy + 0.8 * span));
  return x1 - x0 >= 2 && y1 - y0 >= 2 ? [x0, y0, x1, y1] : undefined;
}

function nearestFace(samples: readonly MouthSample[], trackId: number, timeSec: number): MouthSample['faces'][number] | undefined {
  // Samples are in time order: binary search for the first at or after timeSec, then look either side.
  let lo = 0, hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.timeSec < timeSec) lo = mid + 1;
    else hi = mid;
  }
  let best: { face: MouthSample['faces'][number]; gap: number } | undefined;
  for (let i = lo - 1; i >= 0 && timeSec - samples[i]!.timeSec <= HOLD_SEC; i--) {
    const face = samples[i]!.faces.find((f) => f.trackId === trackId);
    if (face) {
      best = { face, gap: timeSec - samples[i]!.timeSec };
      break;
    }
  }
  for (let i = lo; i < samples.length && samples[i]!.timeSec - timeSec <= HOLD_SEC; i++) {
    const face = samples[i]!.faces.find((f) => f.trackId === trackId);
    if (face) {
      if (!best || samples[i]!.timeSec - timeSec < best.gap) best = { face, gap: 0 };
      break;
    }
  }
  return best?.face;
}

/** Mean absolute change of luma (BT.601 weights) inside the box between two RGB frames. */
export function meanLumaChange(before: Uint8Array, after: Uint8Array, width: number, box: readonly [number, number, number, number]): number {
  const [x0, y0, x1, y1] = box;
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * width + x) * 3;
      const luma = (a: Uint8Array) => 0.299 * a[p]! + 0.587 * a[p + 1]! + 0.114 * a[p + 2]!;
      sum += Math.abs(luma(after) - luma(before));
    }
  }
  return sum / ((x1 - x0) * (y1 - y0));
}
