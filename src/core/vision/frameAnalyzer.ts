/**
 * One frame in, every face with its expression probabilities out (source pixel coordinates). Runs on
 * the calling thread: use FrameAnalyzerPool to keep inference off the main thread and use every core.
 */
import type { RawFrame } from '../media/mediaTypes';
import type { ResolvedModel } from '../models/modelResolver';
import { ExpressionClassifier } from './expressionClassifier';
import { FaceDetector } from './faceDetector';
import type { RgbImage } from './imageOps';
import type { AnalysedFace, DetectedFace, FrameAnalysis } from './visionTypes';

export interface FrameAnalyzerConfig {
  detector: ResolvedModel;
  /** More than one: their canonical-order probabilities are averaged. */
  classifiers: ResolvedModel[];
  minFaceScore: number;
  /** Smallest face side kept, in source pixels. */
  minFaceSize: number;
  flipAverage: boolean;
  /** ORT threads per inference (default 1). */
  intraOpThreads?: number;
}

/** Cumulative milliseconds per stage, for benchmarks and tuning. */
export interface StageTimings {
  frames: number;
  faces: number;
  preprocessMs: number;
  detectMs: number;
  decodeMs: number;
  alignMs: number;
  classifyMs: number;
}

export class FrameAnalyzer {
  private readonly counts = { frames: 0, faces: 0 };

  private constructor(
    private readonly config: FrameAnalyzerConfig,
    private readonly detector: FaceDetector,
    private readonly classifiers: ExpressionClassifier[],
  ) {}

  static async create(config: FrameAnalyzerConfig): Promise<FrameAnalyzer> {
    const settings = { intraOpThreads: config.intraOpThreads ?? 1 };
    const detector = await FaceDetector.create(config.detector, settings);
    const classifiers: ExpressionClassifier[] = [];
    try {
      for (const model of config.classifiers) classifiers.push(await ExpressionClassifier.create(model, settings));
    } catch (error) {
      await Promise.all([detector.close(), ...classifiers.map((c) => c.close())]);
      throw error;
    }
    return new FrameAnalyzer(config, detector, classifiers);
  }

  async analyze(frame: RawFrame): Promise<FrameAnalysis> {
    const scale = frame.scaleToSource > 0 ? frame.scaleToSource : 1;
    const detected = await this.detect(frame);
    const probs = await this.classifyFaces(frame, detected);
    this.counts.frames++;
    this.counts.faces += detected.length;
    const faces: AnalysedFace[] = detected.map((face, i) => ({
      box: [face.box[0] * scale, face.box[1] * scale, face.box[2] * scale, face.box[3] * scale],
      score: face.score,
      landmarks: face.landmarks.map((v) => v * scale),
      probs: probs[i] ?? [],
    }));
    return { index: frame.index, timeSec: frame.timeSec, faces };
  }

  /** Faces in the frame's own pixels, filtered by score and (source-pixel) size. */
  async detect(frame: RgbImage & { scaleToSource?: number }): Promise<DetectedFace[]> {
    const scale = frame.scaleToSource && frame.scaleToSource > 0 ? frame.scaleToSource : 1;
    return this.detector.detect(frame, { minScore: this.config.minFaceScore, minFaceSize: this.config.minFaceSize / scale });
  }

  /** Canonical-order probabilities per face, averaged over the configured classifiers. */
  async classifyFaces(image: RgbImage, faces: readonly DetectedFace[]): Promise<number[][]> {
    if (faces.length === 0 || this.classifiers.length === 0) return faces.map(() => []);
    const perModel: number[][][] = [];
    for (const classifier of this.classifiers) perModel.push(await classifier.classify(image, faces, this.config.flipAverage));
    return faces.map((_, i) => averageRows(perModel.map((rows) => rows[i] ?? [])));
  }

  timings(): StageTimings {
    const d = this.detector.timings;
    const sum = (pick: (c: ExpressionClassifier) => number) => this.classifiers.reduce((s, c) => s + pick(c), 0);
    return {
      frames: this.counts.frames,
      faces: this.counts.faces,
      preprocessMs: d.preprocessMs,
      detectMs: d.inferMs,
      decodeMs: d.decodeMs,
      alignMs: sum((c) => c.timings.alignMs),
      classifyMs: sum((c) => c.timings.inferMs),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.detector.close(), ...this.classifiers.map((c) => c.close())]);
  }
}

function averageRows(rows: number[][]): number[] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, c) => rows.reduce((s, r) => s + (r[c] ?? 0), 0) / rows.length);
}
