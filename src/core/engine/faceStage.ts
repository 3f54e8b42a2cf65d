import type { ModelRef } from '../../shared/annotationDocument';
import { throwIfAborted } from '../errors';
import { readFrames } from '../media/frameReader';
import type { FfmpegTools, MediaProbe } from '../media/mediaTypes';
import { resolveModel } from '../models/modelResolver';
import type { ResolvedModel } from '../models/modelResolver';
import { canonicalLabelsOf } from '../models/modelManifest';
import { FaceTracker } from '../tracking/faceTracker';
import type { TrackedFrame } from '../timeline/frameRecords';
import { FrameAnalyzerPool } from '../vision/frameAnalyzerPool';
import type { FrameAnalysis } from '../vision/visionTypes';
import type { AnalysisProgress, AnalysisRequest } from './analysisRequest';

export interface FaceStageResult {
  labels: string[];
  frames: TrackedFrame[];
  models: ModelRef[];
  warnings: string[];
}

interface StageHooks {
  signal: AbortSignal;
  onProgress: (progress: AnalysisProgress) => void;
}

/**
 * Samples frames, analyses them in worker threads and follows each face across frames. Frames stream
 * through: a bounded number are in flight, so memory does not grow with the video's length.
 */
export async function analyseFaces(
  tools: FfmpegTools,
  input: string,
  probe: MediaProbe,
  request: AnalysisRequest,
  hooks: StageHooks,
): Promise<FaceStageResult> {
  hooks.onProgress({ kind: 'stage', stage: 'models', message: 'Loading face models' });
  const { detector, classifiers } = await resolveFaceModels(request, hooks);
  const labels = canonicalLabelsOf(classifiers[0]!.entry);
  const pool = await FrameAnalyzerPool.create(
    {
      detector,
      classifiers,
      minFaceScore: request.settings.minFaceScore,
      minFaceSize: request.settings.minFaceSize,
      flipAverage: request.settings.flipAverage,
      intraOpThreads: 1,
    },
    { threads: request.threads },
  );
  try {
    hooks.onProgress({ kind: 'stage', stage: 'analyse', message: 'Analysing faces' });
    const frames = await trackFrames(tools, input, probe, request, pool, hooks);
    const warnings = frames.some((f) => f.faces.length > 0) ? [] : ['no face was found in any sampled frame'];
    return { labels, frames, models: modelRefs(detector, classifiers), warnings };
  } finally {
    await pool.close();
  }
}

async function resolveFaceModels(request: AnalysisRequest, hooks: StageHooks): Promise<{ detector: ResolvedModel; classifiers: ResolvedModel[] }> {
  const options = {
    modelsDir: request.models.modelsDir,
    cacheDir: request.models.cacheDir,
    allowDownload: request.models.allowDownload,
    signal: hooks.signal,
    onProgress: (p: { file: string; receivedBytes: number; totalBytes?: number }) => hooks.onProgress({ kind: 'download', ...p }),
  };
  const detector = await resolveModel(request.models.detectorId, options);
  const classifiers: ResolvedModel[] = [];
  for (const id of request.settings.expressionModels) classifiers.push(await resolveModel(id, options));
  return { detector, classifiers };
}

async function trackFrames(
  tools: FfmpegTools,
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
  const collect = (analysis: FrameAnalysis) => {
    tracked.push({ ...analysis, trackIds: tracker.assign(analysis.timeSec, analysis.faces.map((f) => f.box)) });
    hooks.onProgress({
      kind: 'faces',
      framesDone: tracked.length,
      framesTotal: Math.max(framesTotal, tracked.length),
      mediaSec: analysis.timeSec,
      durationSec: probe.durationSec,
    });
  };
  const frames = readFrames(tools, input, probe, { sampleFps: request.settings.sampleFps, maxSide: request.settings.maxAnalysisSide, signal: hooks.signal });
  for await (const frame of frames) {
    const pending = pool.analyze(frame);
    pending.catch(() => undefined);
    inFlight.push(pending);
    if (inFlight.length >= maxInFlight) collect(await inFlight.shift()!);
  }
  while (inFlight.length > 0) collect(await inFlight.shift()!);
  throwIfAborted(hooks.signal, input);
  return tracked;
}

function modelRefs(detector: ResolvedModel, classifiers: ResolvedModel[]): ModelRef[] {
  return [
    { role: 'faceDetector', id: detector.entry.id, sha256: detector.sha256 },
    ...classifiers.map((c): ModelRef => ({ role: 'expression', id: c.entry.id, sha256: c.sha256 })),
  ];
}
