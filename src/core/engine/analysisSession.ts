/**
 * One loaded engine for many inputs. A batch (the CLI on a folder, "Analyze all videos in folder", a SLURM
 * task) resolves and verifies its models once and starts one pool of frame workers, each with its ONNX
 * sessions, and every input analysed through the session shares them, several inputs at a time, and the
 * speech workers with their model loaded. Starting them per input cost one to two seconds each: most of the
 * time of a short clip or a face image.
 */
import type { ModelRef } from '../../shared/annotationDocument';
import { CancelledError, errorMessage, isCancelled } from '../errors';
import type { FaceGeometryModels } from '../geometry/faceGeometryEstimator';
import { FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_MODEL_ID } from '../geometry/geometryModels';
import { canonicalLabelsOf } from '../models/modelManifest';
import { resolveModel } from '../models/modelResolver';
import type { ResolvedModel } from '../models/modelResolver';
import { SpeechWorkerPool } from '../speech/transcribe';
import { VoiceWorkerPool } from '../voice/measureVoice';
import { FrameAnalyzerPool } from '../vision/frameAnalyzerPool';
import { profileReport, profileStart, STAGE, StageProfile } from '../profiling/stageProfile';
import type { ProfileReport, ProfileStart } from '../profiling/stageProfile';
import { VAD_MODEL_ID } from './analysisRequest';
import type { AnalysisOutcome, AnalysisProgress, AnalysisRequest } from './analysisRequest';
import { analyzeMedia } from './pipeline/analyzeMedia';
import type { AnalysisHooks } from './pipeline/analyzeMedia';
import type { FaceEngine, PipelineResources, VadModel } from './pipeline/pipelineResources';
import { limitMallocArenas, releaseFreedMemory } from '../vision/nativeMemory';

/** Freed native memory is given back at most this often (malloc_trim walks every arena). */
const RELEASE_EVERY_MS = 1000;

interface PooledEngine {
  engine: Promise<FaceEngine>;
  /** Inputs using it now: a configuration no longer wanted is closed once none is. */
  users: number;
}

export interface SessionOptions {
  /** Measure where the time goes (`--profile`): see profile(). */
  profile?: boolean;
}

export class AnalysisSession implements PipelineResources {
  /** Speech workers with their model loaded, reused from input to input. */
  readonly speechWorkers = new SpeechWorkerPool();
  /** Voice workers (pitch tracker and VAD network loaded), reused from input to input. */
  readonly voiceWorkers = new VoiceWorkerPool();
  /** Busy time per stage, when profiling: the pipeline adds what the main thread and ffmpeg do. */
  readonly profile: StageProfile | undefined;
  private readonly profileFrom: ProfileStart | undefined;
  /** Face engines' worker timings, kept when their pool is closed before the report. */
  private readonly closedEngineProfile = new StageProfile();
  private readonly vadModels = new Map<string, Promise<VadModel>>();
  private readonly engines = new Map<string, PooledEngine>();
  /** Ends model downloads still running when the session closes (an engine outlives the input that started it). */
  private readonly lifetime = new AbortController();
  private closed = false;
  private started = 0;
  private releasedAt = 0;

  constructor(options: SessionOptions = {}) {
    // Before the session's worker threads start, so they share malloc arenas: a batch's memory stays flat.
    limitMallocArenas();
    if (options.profile) {
      this.profile = new StageProfile();
      this.profileFrom = profileStart();
    }
  }

  /** Face engines (model sets and worker pools) started so far: one per configuration, unless a pool crashed. */
  get enginesStarted(): number {
    return this.started;
  }

  /** Analyses one input through the pipeline, with the session's models and workers. */
  analyze(request: AnalysisRequest, hooks: AnalysisHooks = {}): Promise<AnalysisOutcome> {
    if (this.closed) return Promise.reject(new Error('the analysis session is closed'));
    return analyzeMedia(request, this, hooks).finally(() => this.releaseFreed());
  }

  /** What an input's analysis freed goes back to the system, so a long batch does not grow. */
  private releaseFreed(): void {
    const now = performance.now();
    if (now - this.releasedAt < RELEASE_EVERY_MS) return;
    this.releasedAt = now;
    releaseFreedMemory();
  }

  /**
   * The face engine for the request's models and detector settings, created on first use. A pool whose
   * worker crashed is replaced for the next input rather than failing every input after it.
   */
  async useFaceEngine<T>(request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void, signal: AbortSignal, use: (engine: FaceEngine) => Promise<T>): Promise<T> {
    const key = engineKey(request);
    let pooled = this.engines.get(key);
    if (pooled && (await pooled.engine.then((e) => e.pool.failed, () => true))) {
      this.engines.delete(key);
      void this.closeEngine(pooled.engine);
      pooled = undefined;
    }
    pooled ??= this.startEngine(key, request, onProgress);
    pooled.users++;
    try {
      return await use(await untilAborted(pooled.engine, signal));
    } finally {
      pooled.users--;
      this.closeUnused(key);
    }
  }

  prepareFaceEngine(request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void): void {
    if (this.closed) return;
    const key = engineKey(request);
    if (!this.engines.has(key)) this.startEngine(key, request, onProgress);
  }

  private startEngine(key: string, request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void): PooledEngine {
    const pooled: PooledEngine = { engine: createFaceEngine(request, onProgress, this.lifetime.signal), users: 0 };
    this.started++;
    this.engines.set(key, pooled);
    // A failed start (a missing model) is not kept: the user may fix it and the next input tries again.
    pooled.engine.catch(() => this.engines.get(key) === pooled && this.engines.delete(key));
    return pooled;
  }

  /** The voice activity model for the request's model folders, resolved and verified once per session. */
  vadModel(request: AnalysisRequest): Promise<VadModel> {
    const key = JSON.stringify([request.models.modelsDir, request.models.cacheDir, request.models.allowDownload]);
    let found = this.vadModels.get(key);
    if (!found) {
      found = resolveVadModel(request, this.lifetime.signal);
      this.vadModels.set(key, found);
    }
    return found;
  }

  /**
   * Where the session's time went so far (only when created with `profile`): every stage's busy seconds over
   * all threads and ffmpeg, and how busy each core was. Take it before close().
   */
  async profileReport(): Promise<ProfileReport | undefined> {
    if (!this.profile || !this.profileFrom) return undefined;
    const stages = new StageProfile();
    for (const { stage, seconds } of [...this.profile.entries(), ...this.closedEngineProfile.entries()]) stages.add(stage, seconds);
    for (const pooled of this.engines.values()) await addEngineTimings(stages, pooled.engine);
    stages.add(STAGE.voice, this.voiceWorkers.busyMs() / 1000);
    stages.add(STAGE.speech, this.speechWorkers.busyMs() / 1000);
    return profileReport(stages, this.profileFrom);
  }

  /** Stops every worker; waits for them to finish the frame they are on. */
  async close(): Promise<void> {
    this.closed = true;
    this.lifetime.abort();
    this.speechWorkers.close();
    this.voiceWorkers.close();
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map((pooled) => this.closeEngine(pooled.engine)));
  }

  /** Keeps the newest configuration only: a batch normally has one, and each pool holds a worker per core. */
  private closeUnused(current: string): void {
    for (const [key, pooled] of this.engines) {
      if (key === current || pooled.users > 0) continue;
      this.engines.delete(key);
      void this.closeEngine(pooled.engine);
    }
  }

  private async closeEngine(engine: Promise<FaceEngine>): Promise<void> {
    if (this.profile && !this.closed) await addEngineTimings(this.closedEngineProfile, engine);
    await closeEngine(engine);
  }
}

/** A face engine's stage timings, and what its workers did besides (messages, model loading). */
async function addEngineTimings(profile: StageProfile, engine: Promise<FaceEngine>): Promise<void> {
  const started = await engine.catch(() => undefined);
  if (!started || started.pool.failed) return;
  const timings = await started.pool.timings().catch(() => undefined);
  if (!timings) return;
  profile.addMs(timings.stagesMs);
  const measured = Object.values(timings.stagesMs).reduce((sum, ms) => sum + ms, 0);
  profile.add(STAGE.frameWorkerOther, (started.pool.busyMs() - measured) / 1000);
}

/**
 * Analyses one input in a session of its own (models loaded and workers started for this input alone).
 * Batches use one AnalysisSession for all their inputs instead.
 */
export async function analyzeOnce(request: AnalysisRequest, hooks: AnalysisHooks = {}): Promise<AnalysisOutcome> {
  const session = new AnalysisSession();
  try {
    return await session.analyze(request, hooks);
  } finally {
    await session.close();
  }
}

/** The promise, or a CancelledError as soon as the signal fires (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The Silero VAD model, or (when it cannot be had) the energy rule with a warning saying why and what to do. */
async function resolveVadModel(request: AnalysisRequest, signal: AbortSignal): Promise<VadModel> {
  try {
    const model = await resolveModel(VAD_MODEL_ID, { modelsDir: request.models.modelsDir, cacheDir: request.models.cacheDir, allowDownload: request.models.allowDownload, signal });
    return { path: model.paths[0]!, ref: { role: 'vad', id: model.entry.id, sha256: model.sha256 } };
  } catch (error) {
    return { warning: `voice: speech was found by the energy and voicing rule, as the Silero VAD model is not usable (${errorMessage(error)})` };
  }
}

/** Everything that changes what the face workers load or compute. */
function engineKey(request: AnalysisRequest): string {
  const { settings, models, threads } = request;
  return JSON.stringify([
    models.detectorId, models.modelsDir, models.cacheDir, settings.expressionModels, settings.expressionWeights, settings.ensembleTemperature,
    settings.smallCrops ?? null, settings.alignFaces, settings.minFaceScore, settings.minFaceSize, settings.flipAverage, settings.geometry, threads,
  ]);
}

async function createFaceEngine(request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void, signal: AbortSignal): Promise<FaceEngine> {
  onProgress({ kind: 'stage', stage: 'models', message: 'Loading face models' });
  const { detector, classifiers, geometry } = await resolveFaceModels(request, onProgress, signal);
  const pool = await FrameAnalyzerPool.create(
    {
      detector,
      classifiers,
      minFaceScore: request.settings.minFaceScore,
      minFaceSize: request.settings.minFaceSize,
      flipAverage: request.settings.flipAverage,
      weights: request.settings.expressionWeights,
      ensembleTemperature: request.settings.ensembleTemperature,
      ...(request.settings.smallCrops ? { smallCrops: request.settings.smallCrops } : {}),
      alignFaces: request.settings.alignFaces,
      intraOpThreads: 1,
      ...('models' in geometry ? { geometry: geometry.models } : {}),
    },
    { threads: request.threads },
  );
  const geometryModels = 'models' in geometry ? [geometry.models.mesh, geometry.models.blendshapes] : [];
  return {
    labels: canonicalLabelsOf(classifiers[0]!.entry),
    models: [...modelRefs(detector, classifiers), ...geometryModels.map((m): ModelRef => ({ role: m.entry.role, id: m.entry.id, sha256: m.sha256 }))],
    pool,
    geometry: 'models' in geometry ? { status: 'ok' } : geometry,
  };
}

async function closeEngine(engine: Promise<FaceEngine>): Promise<void> {
  const started = await engine.catch(() => undefined);
  await started?.pool.close();
}

interface FaceModels {
  detector: ResolvedModel;
  classifiers: ResolvedModel[];
  /** The geometry models, or why the geometry is not measured. */
  geometry: { models: FaceGeometryModels } | Exclude<FaceEngine['geometry'], { status: 'ok' }>;
}

async function resolveFaceModels(request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void, signal: AbortSignal): Promise<FaceModels> {
  const options = {
    modelsDir: request.models.modelsDir,
    cacheDir: request.models.cacheDir,
    allowDownload: request.models.allowDownload,
    signal,
    onProgress: (p: { file: string; receivedBytes: number; totalBytes?: number }) => onProgress({ kind: 'download', ...p }),
  };
  const detector = await resolveModel(request.models.detectorId, options);
  const classifiers: ResolvedModel[] = [];
  for (const id of request.settings.expressionModels) classifiers.push(await resolveModel(id, options));
  return { detector, classifiers, geometry: request.settings.geometry ? await resolveGeometryModels(options) : { status: 'disabled', reason: 'turned off (--no-geometry, or the emotionLens.geometry setting)' } };
}

/** Without its models the geometry is left out, with the reason, and the expression labels are still made. */
async function resolveGeometryModels(options: Parameters<typeof resolveModel>[1]): Promise<FaceModels['geometry']> {
  try {
    return { models: { mesh: await resolveModel(FACE_MESH_MODEL_ID, options), blendshapes: await resolveModel(FACE_BLENDSHAPES_MODEL_ID, options) } };
  } catch (error) {
    if (isCancelled(error)) throw error;
    return { status: 'unavailable', reason: `its models are not usable (${errorMessage(error)}); analyse with --no-geometry to skip it` };
  }
}

function modelRefs(detector: ResolvedModel, classifiers: ResolvedModel[]): ModelRef[] {
  return [
    { role: 'faceDetector', id: detector.entry.id, sha256: detector.sha256 },
    ...classifiers.map((c): ModelRef => ({ role: 'expression', id: c.entry.id, sha256: c.sha256, ...(c.entry.calibration ? { temperature: c.entry.calibration.temperature } : {}) })),
  ];
}
