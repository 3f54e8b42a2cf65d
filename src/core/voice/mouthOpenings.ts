/**
 * How open each face's mouth is, frame by frame at the video's own rate (at most MOUTH_FPS), over the spans where
 * someone speaks: the face mesh model runs on every such frame for every tracked face (the frame workers; the jaw
 * drop, geometry/mouth.ts). The analysis samples 5 frames per second, too few to follow syllables (3-8 per
 * second). Each face's mesh region comes from the track's sampled detections (box and 5 points) interpolated to
 * the frame's time, so no detector runs here.
 */
import type { FfmpegTools, MediaProbe } from '../media/mediaTypes';
import { readFrames } from '../media/frameReader';
import type { FrameAnalyzerPool } from '../vision/frameAnalyzerPool';
import type { StageProfile } from '../profiling/stageProfile';
import { withinSpans } from './timeSpans';
import type { TimeSpan } from './timeSpans';

/** Densest rate mouths are measured at: twice the syllable band's top (8 Hz) and more, and no more mesh runs than needed. */
export const MOUTH_FPS = 30;
/** A track's detections are interpolated across gaps up to this long (samples are 0.2 s apart at 5 fps). */
const MAX_GAP_SEC = 0.6;
/** Frames this close to a speech span are measured too: the mouth moves before the sound starts. */
const SPAN_PAD_SEC = 0.5;


/** A sampled face of a track, in source pixels (box, and the detector's 5 points). */
export interface TrackSample {
  timeSec: number;
  faces: { trackId: number; box: readonly number[]; landmarks: readonly number[] }[];
}

/** Per measured frame time, each track's jaw drop (NaN where the track has no face then). */
export interface MouthSeries {
  times: number[];
  tracks: Map<number, number[]>;
  /** Worker milliseconds spent in the mesh model, and how many faces they measured. */
  meshMs: number;
  faceFrames: number;
}

export interface MouthOptions {
  maxSide: number;
  signal: AbortSignal;
  /** In flight at once (two per worker keep them busy). */
  maxInFlight: number;
  profile?: StageProfile;
}

/** Lip openings of every track over the speech spans (other frames are decoded but not measured). */
export async function measureMouthOpenings(tools: FfmpegTools, file: string, probe: MediaProbe, samples: readonly TrackSample[], spans: readonly TimeSpan[], pool: FrameAnalyzerPool, options: MouthOptions): Promise<MouthSeries> {
  const trackIds = [...new Set(samples.flatMap((s) => s.faces.map((f) => f.trackId)))].sort((a, b) => a - b);
  const series: MouthSeries = { times: [], tracks: new Map(trackIds.map((id) => [id, []])), meshMs: 0, faceFrames: 0 };
  const inFlight: Promise<void>[] = [];
  const sampleFps = probe.fps > 0 && probe.fps <= MOUTH_FPS ? 0 : MOUTH_FPS;
  for await (const frame of readFrames(tools, file, probe, { maxSide: options.maxSide, sampleFps, signal: options.signal, ...(options.profile ? { profile: options.profile } : {}) })) {
    if (!withinSpans(frame.timeSec, spans, SPAN_PAD_SEC)) continue;
    const row = series.times.length;
    series.times.push(frame.timeSec);
    const present: { trackId: number; box: number[]; landmarks: number[] }[] = [];
    for (const id of trackIds) {
      series.tracks.get(id)!.push(Number.NaN);
      const face = interpolatedFace(samples, id, frame.timeSec);
      if (face) present.push({ trackId: id, box: face.box.map((v) => v / frame.scaleToSource), landmarks: face.landmarks.map((v) => v / frame.scaleToSource) });
    }
    if (present.length === 0) continue;
    const pending = pool.mouthOpenings(frame, present.map(({ box, landmarks }) => ({ box: box as [number, number, number, number], landmarks }))).then(({ openings, ms }) => {
      series.meshMs += ms;
      series.faceFrames += present.length;
      present.forEach((p, i) => (series.tracks.get(p.trackId)![row] = openings[i]!));
    });
    pending.catch(() => undefined);
    inFlight.push(pending);
    if (inFlight.length >= options.maxInFlight) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return series;
}

/** The track's face at `timeSec`: its two nearest samples either side interpolated, or the nearest within a short gap. */
export function interpolatedFace(samples: readonly TrackSample[], trackId: number, timeSec: number): { box: number[]; landmarks: number[] } | undefined {
  // Samples are in time order: binary search for the first at or after timeSec, then look either side.
  let lo = 0, hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.timeSec < timeSec) lo = mid + 1;
    else hi = mid;
  }
  const before = findTrack(samples, trackId, lo - 1, -1, timeSec);
  const after = findTrack(samples, trackId, lo, 1, timeSec);
  if (before && after) {
    const span = after.timeSec - before.timeSec;
    const w = span > 0 ? (timeSec - before.timeSec) / span : 0;
    const mix = (a: readonly number[], b: readonly number[]) => a.map((v, i) => v + w * (b[i]! - v));
    return { box: mix(before.face.box, after.face.box), landmarks: mix(before.face.landmarks, after.face.landmarks) };
  }
  const only = before ?? after;
  return only && Math.abs(only.timeSec - timeSec) <= MAX_GAP_SEC / 2 ? { box: [...only.face.box], landmarks: [...only.face.landmarks] } : undefined;
}

function findTrack(samples: readonly TrackSample[], trackId: number, from: number, step: 1 | -1, timeSec: number): { timeSec: number; face: TrackSample['faces'][number] } | undefined {
  for (let i = from; i >= 0 && i < samples.length && Math.abs(samples[i]!.timeSec - timeSec) <= MAX_GAP_SEC; i += step) {
    const face = samples[i]!.faces.find((f) => f.trackId === trackId);
    if (face) return { timeSec: samples[i]!.timeSec, face };
  }
  return undefined;
}
