/**
 * The geometry stage on still images and video frames as the product finds faces: the engine's image
 * decoding (sharp, longest side 1280) or ffmpeg frames, FrameAnalyzer.findFaces (YuNet with the padded
 * canvas for crops), then FaceGeometryEstimator. Shared by the AU evaluation and the ROI fit.
 */
import { spawnSync } from 'node:child_process';
import { defaultSettings, DEFAULT_DETECTOR_ID } from '../../src/core/engine/analysisRequest';
import type { FaceGeometryResult } from '../../src/core/geometry/faceGeometryEstimator';
import { FaceGeometryEstimator } from '../../src/core/geometry/faceGeometryEstimator';
import { FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_MODEL_ID } from '../../src/core/geometry/geometryModels';
import type { RawFrame } from '../../src/core/media/mediaTypes';
import { resolveModel } from '../../src/core/models/modelResolver';
import { FrameAnalyzer } from '../../src/core/vision/frameAnalyzer';
import { probeImageWithSharp, readImageWithSharp } from '../../src/core/vision/imageDecoding';
import type { DetectedFace } from '../../src/core/vision/visionTypes';

export interface GeometryRun {
  frame: RawFrame;
  faces: DetectedFace[];
  results: FaceGeometryResult[];
}

export class GeometryRunner {
  private constructor(readonly analyzer: FrameAnalyzer, readonly estimator: FaceGeometryEstimator) {}

  /** Models as the engine resolves them (models folder, then bundled-models/). */
  static async create(modelsDir = process.env.EMOTION_LENS_MODELS): Promise<GeometryRunner> {
    const options = { ...(modelsDir ? { modelsDir } : {}) };
    const analyzer = await FrameAnalyzer.create({
      detector: await resolveModel(DEFAULT_DETECTOR_ID, options),
      classifiers: [],
      minFaceScore: defaultSettings.minFaceScore,
      minFaceSize: defaultSettings.minFaceSize,
      flipAverage: false,
    });
    const estimator = await FaceGeometryEstimator.create({ mesh: await resolveModel(FACE_MESH_MODEL_ID, options), blendshapes: await resolveModel(FACE_BLENDSHAPES_MODEL_ID, options) });
    return new GeometryRunner(analyzer, estimator);
  }

  async image(file: string): Promise<GeometryRun> {
    const probe = await probeImageWithSharp(file);
    if (!probe) throw new Error(`${file}: not an image sharp reads`);
    return this.frame(await readImageWithSharp(file, probe, defaultSettings.maxAnalysisSide));
  }

  async frame(frame: RawFrame): Promise<GeometryRun> {
    const faces = await this.analyzer.findFaces(frame);
    return { frame, faces, results: await this.estimator.estimate(frame, faces) };
  }

  async close(): Promise<void> {
    await Promise.all([this.analyzer.close(), this.estimator.close()]);
  }
}

/** One video frame at `timeSec`, rgb24, through ffmpeg (optionally a filter graph that keeps the size, or gives `size`). */
export function videoFrame(file: string, timeSec: number, filter?: string, size?: { width: number; height: number }): RawFrame {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const [w0, h0] = probe.stdout.trim().split(',').map(Number);
  const width = size?.width ?? w0 ?? 0, height = size?.height ?? h0 ?? 0;
  const args = ['-v', 'error', '-ss', String(timeSec), '-i', file, ...(filter ? ['-vf', filter] : []), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
  const out = spawnSync('ffmpeg', args, { maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${out.stderr.toString().trim()}`);
  const data = new Uint8Array(out.stdout.buffer, out.stdout.byteOffset, out.stdout.byteLength).slice();
  if (data.length !== width * height * 3) throw new Error(`expected a ${width}x${height} frame of ${file}, got ${data.length} bytes`);
  return { index: 0, timeSec, width, height, data, scaleToSource: 1 };
}
