/** Messages between FrameAnalyzerPool and its frame worker threads. */
import type { FixNames } from '../fixNames';
import type { RawFrame } from '../media/mediaTypes';
import type { FrameAnalyzerConfig, StageTimings } from './frameAnalyzer';
import type { DetectedFace, FrameAnalysis } from './visionTypes';

export interface FrameWorkerData {
  config: FrameAnalyzerConfig;
  /** The parent's fix names: a worker thread has its own module state, and its errors' hints need them. */
  fixNames?: FixNames;
}

/** An error crossing the thread boundary; EmotionLensError fields survive so the message stays actionable. */
export interface SerializedError {
  message: string;
  code?: string;
  problem?: string;
  file?: string;
  hint?: string;
}

export type ToFrameWorker =
  /** With returnPixels, the frame's pixels come back with the result (transferred) to be filled again. */
  | { type: 'analyze'; id: number; frame: RawFrame; returnPixels?: boolean }
  | { type: 'timings'; id: number }
  /** How open the mouths of given faces (frame pixels) are in a frame: the mesh's jaw drop, for who is speaking. */
  | { type: 'mouths'; id: number; frame: RawFrame; faces: Pick<DetectedFace, 'box' | 'landmarks'>[] }
  /**
   * Finish the frame in progress, drop queued ones, release the ORT sessions and exit. Terminating a worker
   * in the middle of an inference aborts the whole process (onnxruntime-node throws across the teardown).
   */
  | { type: 'close' }
  /** Makes the worker throw outside any handler: lets tests check how the pool handles a crash. */
  | { type: 'crashForTest' };

export type FromFrameWorker =
  | { type: 'ready' }
  | { type: 'initError'; error: SerializedError }
  | { type: 'result'; id: number; analysis: FrameAnalysis; pixels?: Uint8Array }
  | { type: 'timings'; id: number; timings: StageTimings }
  /** One opening per face asked (NaN: no face there), and the worker's milliseconds on it. */
  | { type: 'mouths'; id: number; openings: number[]; ms: number }
  | { type: 'error'; id: number; error: SerializedError };
