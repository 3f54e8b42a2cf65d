/** One place that opens ONNX models with the session options that are fastest and quiet on small CPUs. */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { EmotionLensError } from '../errors';
import { fixNames } from '../fixNames';
import type { GraphOptimization } from '../models/modelManifest';

export interface SessionSettings {
  /** Threads inside one inference; 1 is fastest for these small models on 2 cores. */
  intraOpThreads?: number;
  /** From the manifest entry: YuNet needs 'all' (3x faster), the int8 MobileFaceNet is ~20 % faster with 'basic'. */
  graphOptimization?: GraphOptimization;
}

/**
 * Opens `file`; with `adapt`, the file's bytes are rewritten in memory first (the file on disk, whose sha256
 * was verified, is never changed).
 */
export async function openSession(file: string, settings: SessionSettings = {}, adapt?: (model: Uint8Array) => Uint8Array): Promise<ort.InferenceSession> {
  try {
    const options = sessionOptions(settings);
    if (!adapt) return await ort.InferenceSession.create(file, options);
    const bytes = await readFile(file);
    return await ort.InferenceSession.create(adapt(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)), options);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 160) ?? '';
    throw new EmotionLensError(
      'model-corrupt',
      `cannot be loaded as an ONNX model (${reason})`,
      file,
      corruptModelHint(),
    );
  }
}

function corruptModelHint(): string {
  const { modelDownload } = fixNames();
  return modelDownload ? `Delete it and run ${modelDownload}, or replace it with a verified copy.` : 'Replace it with a verified copy.';
}

function sessionOptions(settings: SessionSettings): ort.InferenceSession.SessionOptions {
  return {
    logSeverityLevel: 3,
    intraOpNumThreads: settings.intraOpThreads ?? 1,
    // Measured with `npm run bench`: about 25 MB less peak RSS, same speed (the arena stays: off was slower).
    enableMemPattern: false,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: settings.graphOptimization ?? 'all',
    // Idle ORT threads otherwise spin and steal the cores ffmpeg and the other workers need.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** True when the model's first input dimension is symbolic, so several faces can run in one call. */
export function acceptsBatches(session: ort.InferenceSession, inputName: string): boolean {
  const index = session.inputNames.indexOf(inputName);
  const meta = session.inputMetadata[index];
  if (!meta || !meta.isTensor) return false;
  const first = meta.shape[0];
  return typeof first === 'string' || (typeof first === 'number' && first < 0);
}

export function floatTensor(data: Float32Array, dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

/** The float data of a named output; throws a clear error when the manifest names the wrong output. */
export function outputData(results: ort.InferenceSession.OnnxValueMapType, name: string, file: string): Float32Array {
  const value = results[name];
  if (!value || !(value.data instanceof Float32Array)) {
    throw new EmotionLensError('model-corrupt', `has no float output named "${name}" (outputs: ${Object.keys(results).join(', ')})`, file, 'Fix the output name in the model manifest.');
  }
  return value.data;
}
