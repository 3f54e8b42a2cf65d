import { performance } from 'node:perf_hooks';
import type { ModelRef } from '../../../shared/annotationDocument';
import { geometryMeasured } from '../../../shared/faceGeometry';
import type { MeshSidecarWriter } from '../../document/meshSidecar';
import { throwIfAborted } from '../../errors';
import { FrameBuffers } from '../../media/frameBuffers';
import { readFrames } from '../../media/frameReader';
import { readImageWithSharp } from '../../vision/imageDecoding';
import type { FfmpegTools, MediaProbe, RawFrame } from '../../media/mediaTypes';
import { FaceTracker } from '../../tracking/faceTracker';
import type { TrackedFrame } from '../../timeline/frameRecords';
import type { FrameAnalyzerPool } from '../../vision/frameAnalyzerPool';
import type { FrameAnalysis } from '../../vision/visionTypes';
import { STAGE } from '../../profiling/stageProfile';
import type { StageProfile } from '../../profiling/stageProfile';
import type { AnalysisProgress, AnalysisRequest } from '../analysisRequest';
import type { FaceEngine } from './pipelineResources';

export interface FaceStageResult {
  labels: string[];
  frames: TrackedFrame[];
  models: ModelRef[];
  warnings: string[];
  /** Whether the faces' geometry was measured (absent: no face engine ran, as for a speech recording). */
  geometry?: FaceEngine['geometry'];
}

interface StageHooks {
  signal: AbortSignal;
  onProgress: (progress: AnalysisProgress) => void;
  profile?: StageProfile;
  /** Where the faces' meshes go as frames come (the document's sidecar); they are not kept in memory. */
  meshes?: MeshSidecarWriter;
}

/**
 * Samples frames, analyses them on the session's worker pool and follows each face across frames. Frames
 * stream through: a bounded number are in flight, so memory does not grow with the video's length.
 */
export async function analyzeFaces(
  tools: () => Promise<FfmpegTools>,
  input: string,
  probe: MediaProbe,
  request: AnalysisRequest,
  engine: FaceEngine,
  hooks: StageHooks,
): Promise<FaceStageResult> {
  hooks.onProgress({ kind: 'stage', stage: 'analyse', message: 'Analysing faces' });
  const frames = await trackFrames(tools, input, probe, request, engine.pool, hooks);
  const warnings = frames.some((f) => f.faces.length > 0) ? [] : ['no face was found in any sampled frame'];
  if (engine.geometry.status === 'unavailable') warnings.push(`face geometry unavailable: ${engine.geometry.reason}`);
  return { labels: engine.labels, frames, models: engine.models, warnings, geometry: engine.geometry };
}

async function trackFrames(
  tools: () => Promise<FfmpegTools>,
  input: string,
  probe: MediaProbe,
  request: AnalysisRequest,
  pool: FrameAnalyzerPool,
  hooks: StageHooks,
): Promise<TrackedFrame[]> {
  const tracker = new FaceTracker();
  const framesTotal = probe.estimatedFrames(request.settings.sampleFps);
  const tracked: TrackedFrame[] = [];
  // Two frames per worker keep every worker busy while the next frame is decoded.
  const maxInFlight = Math.max(2, request.threads * 2);
  const inFlight: Promise<FrameAnalysis>[] = [];
  const assign = (analysis: FrameAnalysis): number[] => tracker.assign(analysis.timeSec, analysis.faces.map((f) => f.box));
  const collect = async ({ meshes, ...analysis }: FrameAnalysis) => {
    const trackIds = hooks.profile ? hooks.profile.time(STAGE.tracking, () => assign(analysis)) : assign(analysis);
    if (meshes && hooks.meshes) await writeMeshes(hooks.meshes, { ...analysis, trackIds }, meshes, hooks.profile);
    tracked.push({ ...analysis, trackIds });
    hooks.onProgress({
      kind: 'faces',
      framesDone: tracked.length,
      framesTotal: Math.max(framesTotal, tracked.length),
      mediaSec: analysis.timeSec,
      durationSec: probe.durationSec,
    });
  };
  // The frames of one video are of one size: their buffers go to the workers and come back to be filled again.
  const buffers = new FrameBuffers(maxInFlight + 2);
  for await (const frame of sampledFrames(tools, input, probe, request, hooks, buffers)) {
    const pending = pool.analyze(frame, (pixels) => buffers.give(pixels));
    pending.catch(() => undefined);
    inFlight.push(pending);
    if (inFlight.length >= maxInFlight) await collect(await inFlight.shift()!);
  }
  while (inFlight.length > 0) await collect(await inFlight.shift()!);
  throwIfAborted(hooks.signal, input);
  return tracked;
}

/** The meshes of a frame's faces that have geometry, into the sidecar (a failed face has none). */
async function writeMeshes(sidecar: MeshSidecarWriter, frame: TrackedFrame, meshes: Float32Array, profile: StageProfile | undefined): Promise<void> {
  const started = performance.now();
  const size = meshes.length / Math.max(1, frame.faces.length);
  for (let i = 0; i < frame.faces.length; i++) {
    if (geometryMeasured(frame.faces[i]!.geometry)) await sidecar.add(frame.index, frame.timeSec, frame.trackIds[i]!, meshes.subarray(i * size, (i + 1) * size));
  }
  profile?.add(STAGE.meshSidecar, (performance.now() - started) / 1000);
}

/** The frames to analyse: one decoded in-process for a still image sharp reads, else sampled by ffmpeg. */
async function* sampledFrames(tools: () => Promise<FfmpegTools>, input: string, probe: MediaProbe, request: AnalysisRequest, hooks: StageHooks, buffers: FrameBuffers): AsyncGenerator<RawFrame> {
  const maxSide = request.settings.maxAnalysisSide;
  if (probe.decoder === 'sharp') {
    yield await readImageWithSharp(input, probe, maxSide);
    return;
  }
  const { signal, profile } = hooks;
  yield* readFrames(await tools(), input, probe, { sampleFps: request.settings.sampleFps, maxSide, signal, buffers, ...(profile ? { profile } : {}) });
}
