/**
 * The two ONNX sessions of the geometry stage: FaceMesh V2 (ROI crop -> 478 landmarks + presence) and the
 * blendshape model (146 landmarks -> 52 scores), each run once for all faces of a frame (batched: the
 * converted graphs have a symbolic batch dimension).
 */
import { performance } from 'node:perf_hooks';
import type * as ort from 'onnxruntime-node';
import type { ResolvedModel } from '../models/modelResolver';
import type { RgbImage } from '../vision/imageOps';
import { channelMap, warpAffineInto } from '../vision/imageOps';
import type { SessionSettings } from '../vision/onnxSession';
import { expandPrelu } from '../vision/onnxPrelu';
import { floatTensor, openSession, outputData } from '../vision/onnxSession';
import type { FaceRoi } from './faceRoi';
import { projectLandmarks, roiAffine } from './faceRoi';
import { BLENDSHAPE_LANDMARKS, BLENDSHAPE_NAMES, MESH_POINTS } from './geometryModels';

export interface MeshOutput {
  /** 478 x (x, y, z): frame pixels, z on x's scale (negative towards the camera). */
  mesh: Float32Array;
  /** sigmoid of the presence logit: the model's confidence that the ROI holds a face. */
  presence: number;
}

/** RGB / 255, the FaceMesh V2 input normalisation (TFLite metadata: mean 0, std 255). */
const MESH_CHANNELS = channelMap({ name: 'image', shape: [1, 3, 1, 1], colorOrder: 'RGB', layout: 'NCHW', normalization: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] } });

export class FaceMeshModel {
  /** Cumulative milliseconds: the ROI crops, and the model itself (with reading its output back). */
  readonly timings = { cropMs: 0, inferMs: 0 };
  /** The model's input, kept from call to call: every value is written by the crops, so it is never cleared. */
  private input = new Float32Array(0);

  private constructor(private readonly session: ort.InferenceSession, private readonly file: string, readonly inputSize: number) {}

  static async create(model: ResolvedModel, settings: SessionSettings = {}): Promise<FaceMeshModel> {
    const file = model.paths[0];
    if (!file) throw new Error(`model ${model.entry.id} has no file`);
    // PRelu expanded as for the classifiers (onnxPrelu.ts): the same outputs, 7.1 instead of 8.1 ms CPU per face.
    const session = await openSession(file, { graphOptimization: model.entry.graphOptimization, ...settings }, expandPrelu);
    // The input side comes from the file: 256 for the published model, 192 for MediaPipe's test bundle.
    const meta = session.inputMetadata[0];
    const side = meta && meta.isTensor ? meta.shape[3] : undefined;
    if (typeof side !== 'number') throw new Error(`model ${model.entry.id}: the mesh input has no fixed size`);
    return new FaceMeshModel(session, file, side);
  }

  /** One ROI per face, all in one batch. */
  async run(image: RgbImage, rois: readonly FaceRoi[]): Promise<MeshOutput[]> {
    if (rois.length === 0) return [];
    const size = this.inputSize;
    const plane = 3 * size * size;
    const started = performance.now();
    if (this.input.length < rois.length * plane) this.input = new Float32Array(rois.length * plane);
    const input = this.input.subarray(0, rois.length * plane);
    rois.forEach((roi, i) => warpAffineInto(image, roiAffine(roi, size), { width: size, height: size }, MESH_CHANNELS, input, i * plane, false, true));
    const cropped = performance.now();
    const results = await this.session.run({ image: floatTensor(input, [rois.length, 3, size, size]) });
    const landmarks = outputData(results, 'landmarks', this.file);
    const presence = outputData(results, 'presence', this.file);
    this.timings.cropMs += cropped - started;
    this.timings.inferMs += performance.now() - cropped;
    return rois.map((roi, i) => ({
      mesh: projectLandmarks(landmarks.subarray(i * MESH_POINTS * 3, (i + 1) * MESH_POINTS * 3), roi, size),
      presence: 1 / (1 + Math.exp(-presence[i]!)),
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

export class BlendshapeModel {
  /** Cumulative milliseconds of the model (with gathering its 146 input points). */
  readonly timings = { inferMs: 0 };

  private constructor(private readonly session: ort.InferenceSession, private readonly file: string) {}

  static async create(model: ResolvedModel, settings: SessionSettings = {}): Promise<BlendshapeModel> {
    const file = model.paths[0];
    if (!file) throw new Error(`model ${model.entry.id} has no file`);
    return new BlendshapeModel(await openSession(file, { graphOptimization: model.entry.graphOptimization, ...settings }), file);
  }

  /** 52 scores per mesh (frame pixels in, as MediaPipe feeds x · width, y · height). */
  async run(meshes: readonly Float32Array[]): Promise<Float32Array[]> {
    if (meshes.length === 0) return [];
    const started = performance.now();
    const n = BLENDSHAPE_LANDMARKS.length;
    const points = new Float32Array(meshes.length * n * 2);
    meshes.forEach((mesh, f) => {
      BLENDSHAPE_LANDMARKS.forEach((id, i) => {
        points[(f * n + i) * 2] = mesh[3 * id]!;
        points[(f * n + i) * 2 + 1] = mesh[3 * id + 1]!;
      });
    });
    const scores = outputData(await this.session.run({ points: floatTensor(points, [meshes.length, n, 2]) }), 'blendshapes', this.file);
    const count = BLENDSHAPE_NAMES.length;
    this.timings.inferMs += performance.now() - started;
    return meshes.map((_, f) => scores.slice(f * count, (f + 1) * count));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
