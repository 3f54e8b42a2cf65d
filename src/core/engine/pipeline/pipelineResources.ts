/**
 * What the pipeline needs from whoever owns the loaded models and the worker threads (an AnalysisSession):
 * handed in with each input, so the pipeline never reaches back to its owner.
 */
import type { ModelRef } from '../../../shared/annotationDocument';
import type { SpeechWorkerPool } from '../../speech/transcribe';
import type { FrameAnalyzerPool } from '../../vision/frameAnalyzerPool';
import type { VoiceWorkerPool } from '../../voice/measureVoice';
import type { StageProfile } from '../../profiling/stageProfile';
import type { AnalysisProgress, AnalysisRequest } from '../analysisRequest';

/** The face side of the engine for one configuration: the verified models and the worker pool running them. */
export interface FaceEngine {
  labels: string[];
  models: ModelRef[];
  pool: FrameAnalyzerPool;
  /** Whether its workers measure face geometry, and if not, why. */
  geometry: { status: 'ok' } | { status: 'disabled' | 'unavailable'; reason: string };
}

/** The voice activity model to use, resolved once per session (absent: the energy rule). */
export interface VadModel {
  path?: string;
  ref?: ModelRef;
  /** Why the model is not used, for the document's warnings. */
  warning?: string;
}

export interface PipelineResources {
  /** Speech workers with their model loaded, reused from input to input. */
  readonly speechWorkers: SpeechWorkerPool;
  /** Voice workers (pitch tracker and VAD network loaded), reused from input to input. */
  readonly voiceWorkers: VoiceWorkerPool;
  /** Busy time per stage, when the caller profiles (--profile); the pipeline adds its own stages. */
  readonly profile?: StageProfile;
  /** The voice activity model for the request's model folders. */
  vadModel(request: AnalysisRequest): Promise<VadModel>;
  /**
   * Starts the face engine for the request now, if it is not started yet, so that its workers load their models
   * while the input is probed; useFaceEngine then takes it. A start that fails is reported by useFaceEngine.
   */
  prepareFaceEngine(request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void): void;
  /** Runs `use` with the face engine for the request's models and detector settings (started on first use). */
  useFaceEngine<T>(request: AnalysisRequest, onProgress: (progress: AnalysisProgress) => void, signal: AbortSignal, use: (engine: FaceEngine) => Promise<T>): Promise<T>;
}
