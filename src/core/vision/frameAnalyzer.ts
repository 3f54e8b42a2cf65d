/**
 * One frame in, every face with its expression probabilities out (source pixel coordinates). Runs on
 * the calling thread: use FrameAnalyzerPool to keep inference off the main thread and use every core.
 */
import type { FaceGeometryRecord } from '../../shared/faceGeometry';
import { geometryMeasured } from '../../shared/faceGeometry';
import { errorMessage } from '../errors';
import { FaceGeometryEstimator } from '../geometry/faceGeometryEstimator';
import type { FaceGeometryModels, FaceGeometryResult } from '../geometry/faceGeometryEstimator';
import { MESH_POINTS } from '../geometry/geometryModels';
import { failedGeometry, geometryRecord } from '../geometry/geometryRecord';
import type { RawFrame } from '../media/mediaTypes';
import type { ResolvedModel } from '../models/modelResolver';
import type { Box, EnsembleWeighting } from '../../shared/annotationDocument';
import { contextCanvas, fillsCrop, fromCanvas, isSmallFrame, looksLikeFaceCrop } from './detectionScales';
import { temper } from '../calibration/calibrationMath';
import { weightedAverage } from '../../shared/probabilityVectors';
import { ExpressionClassifier } from './expressionClassifier';
import { faceKind } from './faceKind';
import type { FaceKind } from './faceKind';
import { templateLandmarksForBox } from './faceAlignment';
import { FaceDetector } from './faceDetector';
import type { RgbImage } from './imageOps';
import type { AnalyzedFace, DetectedFace, FrameAnalysis } from './visionTypes';

export interface FrameAnalyzerConfig {
  detector: ResolvedModel;
  /** More than one: their canonical-order probabilities are averaged. */
  classifiers: ResolvedModel[];
  minFaceScore: number;
  /** Smallest face side kept, in source pixels. */
  minFaceSize: number;
  flipAverage: boolean;
  /** Each classifier's weight in the average (same order; default equal). */
  weights?: number[];
  /** Calibration temperature of the average (default 1). */
  ensembleTemperature?: number;
  /** Small still face crops (faceKind.ts) get these weights of the same classifiers and this temperature instead. */
  smallCrops?: EnsembleWeighting;
  /** false: every classifier gets a plain crop of the box instead of its 5-point alignment. */
  alignFaces?: boolean;
  /** ORT threads per inference (default 1). */
  intraOpThreads?: number;
  /** The face geometry models: every face also gets its mesh, head pose, gaze, blendshapes and AU estimates. */
  geometry?: FaceGeometryModels;
}

/** What a frame analyzer has done so far: frames, faces, and cumulative milliseconds per stage (--profile). */
export interface StageTimings {
  frames: number;
  faces: number;
  stagesMs: Record<string, number>;
}

/** Adds `more` into `sum` (workers' timings summed by the pool). */
export function addTimings(sum: StageTimings, more: StageTimings): StageTimings {
  sum.frames += more.frames;
  sum.faces += more.faces;
  for (const [stage, ms] of Object.entries(more.stagesMs)) sum.stagesMs[stage] = (sum.stagesMs[stage] ?? 0) + ms;
  return sum;
}

export class FrameAnalyzer {
  private readonly counts = { frames: 0, faces: 0, mouthFrames: 0, mouthFaces: 0 };

  private constructor(
    private readonly config: FrameAnalyzerConfig,
    private readonly detector: FaceDetector,
    private readonly classifiers: ExpressionClassifier[],
    private readonly geometry: FaceGeometryEstimator | undefined,
  ) {}

  static async create(config: FrameAnalyzerConfig): Promise<FrameAnalyzer> {
    const settings = { intraOpThreads: config.intraOpThreads ?? 1 };
    const detector = await FaceDetector.create(config.detector, settings);
    const classifiers: ExpressionClassifier[] = [];
    let geometry: FaceGeometryEstimator | undefined;
    try {
      for (const model of config.classifiers) classifiers.push(await ExpressionClassifier.create(model, settings, { alignFaces: config.alignFaces ?? true }));
      if (config.geometry) geometry = await FaceGeometryEstimator.create(config.geometry, settings);
    } catch (error) {
      await Promise.all([detector.close(), ...classifiers.map((c) => c.close())]);
      throw error;
    }
    return new FrameAnalyzer(config, detector, classifiers, geometry);
  }

  async analyze(frame: RawFrame): Promise<FrameAnalysis> {
    const scale = frame.scaleToSource > 0 ? frame.scaleToSource : 1;
    const detected = await this.findFaces(frame);
    const geometry = await this.measureGeometry(frame, detected, scale);
    const { probs, members } = await this.classifyFaces(frame, detected);
    this.counts.frames++;
    this.counts.faces += detected.length;
    const faces: AnalyzedFace[] = detected.map((face, i) => ({
      box: [face.box[0] * scale, face.box[1] * scale, face.box[2] * scale, face.box[3] * scale],
      score: face.score,
      landmarks: face.landmarks.map((v) => v * scale),
      probs: probs[i] ?? [],
      ...(members ? { memberProbs: members[i]! } : {}),
      ...(face.source ? { source: face.source } : {}),
      ...(geometry ? { geometry: geometry.records[i]! } : {}),
    }));
    return { index: frame.index, timeSec: frame.timeSec, faces, ...(geometry ? { meshes: geometry.meshes } : {}) };
  }

  /**
   * How open the mouth of each given face is (its jaw drop from the mesh, geometry/mouth.ts; frame pixels: box and 5 points, as the detector gives
   * them), NaN where the mesh finds no face: who is speaking measures it far more often than frames are analysed.
   */
  async mouthOpenings(frame: RawFrame, faces: readonly Pick<DetectedFace, 'box' | 'landmarks'>[]): Promise<number[]> {
    if (!this.geometry) throw new Error('face geometry is off: mouth openings need the face mesh models');
    if (faces.length === 0) return [];
    this.counts.mouthFrames++;
    this.counts.mouthFaces += faces.length;
    return this.geometry.mouthOpenings(frame, faces);
  }

  /**
   * Every face's geometry, all faces in one batch; a face it fails for gets the reason (its expression label
   * is still made). The meshes, in source pixels, go into one buffer (NaN for a failed face) that is
   * transferred to the main thread, not copied.
   */
  private async measureGeometry(image: RgbImage, faces: readonly DetectedFace[], scale: number): Promise<{ records: FaceGeometryRecord[]; meshes: Float32Array } | undefined> {
    if (!this.geometry || faces.length === 0) return undefined;
    let results: FaceGeometryResult[];
    try {
      results = await this.geometry.estimate(image, faces);
    } catch (error) {
      results = faces.map(() => ({ ok: false, reason: errorMessage(error) }));
    }
    const size = MESH_POINTS * 3;
    const meshes = new Float32Array(faces.length * size).fill(Number.NaN);
    const records = results.map((result, i) => {
      if (!result.ok) return failedGeometry(result.reason);
      const record = geometryRecord(result.geometry);
      if (geometryMeasured(record)) result.geometry.mesh.forEach((v, j) => (meshes[i * size + j] = v * scale));
      return record;
    });
    return { records, meshes };
  }

  /**
   * Every face of the frame, in its own pixels. A small frame (a face crop, a thumbnail) is searched first in
   * a padded canvas at the canvas's own size (detectionScales.ts: a tight crop stretched over the detector's
   * input fills it edge to edge), then as it is. A still image that looks like a face crop is classified as
   * the crop it is (`source: 'wholeImage'`): its one face, when that fills it, keeps the detector's score and
   * landmarks (for 5-point alignment) but takes the whole image as its box, the framing crop datasets are made
   * with; with no face found, score 0 and the landmarks of a plain resize.
   */
  async findFaces(frame: RgbImage & { scaleToSource?: number; still?: boolean }): Promise<DetectedFace[]> {
    const found = await this.detectAtScales(frame);
    if (!frame.still || !looksLikeFaceCrop(frame)) return found;
    const whole: Box = [0, 0, frame.width, frame.height];
    if (found.length === 0) return [{ box: whole, score: 0, landmarks: templateLandmarksForBox(whole), source: 'wholeImage' }];
    const [only] = found;
    return found.length === 1 && only && fillsCrop(only.box, frame) ? [{ ...only, box: whole, source: 'wholeImage' }] : found;
  }

  private async detectAtScales(frame: RgbImage & { scaleToSource?: number }): Promise<DetectedFace[]> {
    if (isSmallFrame(frame)) {
      const canvas = contextCanvas(frame);
      const side = Math.max(canvas.image.width, canvas.image.height);
      const found = await this.detect({ ...canvas.image, scaleToSource: (frame.scaleToSource ?? 1) / canvas.scale }, side);
      if (found.length > 0) return found.map((face) => fromCanvas(face, canvas));
    }
    return this.detect(frame);
  }

  /** Faces in the image's own pixels by one detector pass, filtered by score and (source-pixel) size. */
  async detect(frame: RgbImage & { scaleToSource?: number }, inputSide?: number): Promise<DetectedFace[]> {
    const scale = frame.scaleToSource && frame.scaleToSource > 0 ? frame.scaleToSource : 1;
    return this.detector.detect(frame, { minScore: this.config.minFaceScore, minFaceSize: this.config.minFaceSize / scale, ...(inputSide ? { inputSide } : {}) });
  }

  /**
   * Canonical-order probabilities per face, averaged over the configured classifiers with the weights of the
   * face's kind. With two or more classifiers every one runs on every face (even one that weighs nothing for it)
   * and each one's calibrated probabilities are returned too: the adaptation learns which of them to trust.
   */
  async classifyFaces(image: RgbImage & { still?: boolean }, faces: readonly DetectedFace[]): Promise<{ probs: number[][]; members?: number[][][] }> {
    if (faces.length === 0 || this.classifiers.length === 0) return { probs: faces.map(() => []) };
    const weightings = faces.map((face) => this.weightingOf(faceKind(image, face)));
    const recordMembers = this.classifiers.length > 1;
    const perModel: (number[] | undefined)[][] = [];
    for (const [m, classifier] of this.classifiers.entries()) {
      const wanted = faces.flatMap((face, i) => (recordMembers || weightings[i]!.weights[m]! > 0 ? [i] : []));
      const probs = wanted.length > 0 ? await classifier.classify(image, wanted.map((i) => faces[i]!), this.config.flipAverage) : [];
      const byFace: (number[] | undefined)[] = faces.map(() => undefined);
      wanted.forEach((i, k) => (byFace[i] = probs[k]));
      perModel.push(byFace);
    }
    const probs = faces.map((_, i) => {
      const { weights, temperature } = weightings[i]!;
      const used = perModel.flatMap((rows, m) => (rows[i] && weights[m]! > 0 ? [{ probs: rows[i], weight: weights[m]! }] : []));
      const average = weightedAverage(used.map((u) => u.probs), used.map((u) => u.weight));
      return temperature === 1 ? average : temper(average, temperature);
    });
    return recordMembers ? { probs, members: faces.map((_, i) => perModel.map((rows) => rows[i]!)) } : { probs };
  }

  /** The classifiers' weights and the average's temperature for a kind of face. */
  private weightingOf(kind: FaceKind): EnsembleWeighting {
    if (kind === 'smallCrop' && this.config.smallCrops) return this.config.smallCrops;
    const weights = this.config.weights ?? this.classifiers.map(() => 1);
    // Weights that are all zero count equally (weightedAverage's rule), so every classifier is then run.
    return { weights: weights.some((w) => w > 0) ? weights : weights.map(() => 1), temperature: this.config.ensembleTemperature ?? 1 };
  }

  timings(): StageTimings {
    const d = this.detector.timings;
    const stagesMs: Record<string, number> = {
      'detection: resize to the detector input': d.preprocessMs,
      'detection: YuNet': d.inferMs,
      'detection: decode and NMS': d.decodeMs,
    };
    for (const c of this.classifiers) {
      stagesMs['expression: face crops and alignment'] = (stagesMs['expression: face crops and alignment'] ?? 0) + c.timings.alignMs;
      stagesMs[`expression: ${c.model.entry.id}`] = c.timings.inferMs;
    }
    if (this.geometry) {
      const g = this.geometry.timings();
      stagesMs['geometry: crops'] = g.cropMs;
      stagesMs['geometry: face mesh'] = g.meshMs;
      stagesMs['geometry: blendshapes'] = g.blendshapesMs;
      stagesMs['geometry: pose, gaze and AUs'] = g.measuresMs;
    }
    return { frames: this.counts.frames, faces: this.counts.faces, stagesMs };
  }

  async close(): Promise<void> {
    await Promise.all([this.detector.close(), ...this.classifiers.map((c) => c.close()), this.geometry?.close()]);
  }
}
