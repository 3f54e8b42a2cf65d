/**
 * The geometry stage for one frame: from each detected face (YuNet box + 5 points) to its face mesh,
 * iBUG-68 points, head pose, gaze, 52 blendshapes, action-unit estimates and mouth measures. Both models
 * run once per frame for all its faces (batched); a face whose geometry cannot be computed gets a reason
 * instead, and never stops the others.
 */
import { performance } from 'node:perf_hooks';
import type { ResolvedModel } from '../models/modelResolver';
import type { RgbImage } from '../vision/imageOps';
import type { SessionSettings } from '../vision/onnxSession';
import { SerialQueue } from '../vision/serialQueue';
import type { DetectedFace } from '../vision/visionTypes';
import type { ActionUnit } from './actionUnits';
import { estimateActionUnits } from './actionUnitModels';
import { BlendshapeModel, FaceMeshModel } from './faceMeshModels';
import type { FaceRoi } from './faceRoi';
import { roiFromYunet } from './faceRoi';
import type { Gaze } from './gaze';
import { estimateGaze } from './gaze';
import type { CanonicalFace } from './geometryModels';
import { BLENDSHAPE_NAMES, FACE_BLENDSHAPES_MODEL_ID, FACE_MESH_MODEL_ID, loadCanonicalFace } from './geometryModels';
import type { HeadPose } from './headPose';
import { estimateHeadPose } from './headPose';
import { ibug68FromMesh } from './ibug68';
import type { MouthMeasures } from './mouth';
import { jawDrop, mouthMeasures } from './mouth';

/** MediaPipe drops a face whose presence is below this (min_face_presence_confidence). */
export const MIN_FACE_PRESENCE = 0.5;
const JAW_OPEN = BLENDSHAPE_NAMES.indexOf('jawOpen');

export interface FaceGeometryModels {
  /** mediapipe_face_mesh_v2: the mesh ONNX, then canonical_face_v2.json. */
  mesh: ResolvedModel;
  /** mediapipe_face_blendshapes_v2. */
  blendshapes: ResolvedModel;
}

export interface FaceGeometry {
  /** The rotated square the mesh model read. */
  roi: FaceRoi;
  /** The mesh model's face-presence probability (0-1): a quality score; below MIN_FACE_PRESENCE the ROI likely holds no face. */
  presence: number;
  /** 478 x (x, y, z): x, y in frame pixels; z relative depth on x's scale, negative towards the camera (MediaPipe's z x image width). */
  mesh: Float32Array;
  /** The same 478 points in the head's own frame, cm, pose removed (MediaPipe's metric landmarks; irises included). */
  metricMesh: Float32Array;
  /** iBUG-68 points, x0, y0, ..., x67, y67 in frame pixels (ibug68.ts). */
  landmarks68: number[];
  pose: HeadPose;
  gaze: Gaze;
  /** 52 scores in BLENDSHAPE_NAMES order (index 0 `_neutral` is to be ignored). */
  blendshapes: Float32Array;
  /** AU estimates, 0-1, by AU number (actionUnitModels.ts says which come from blendshapes and which from a fitted model). */
  actionUnits: Record<ActionUnit, number>;
  mouth: MouthMeasures;
}

export type FaceGeometryResult = { ok: true; geometry: FaceGeometry } | { ok: false; reason: string };

/** Cumulative milliseconds per step (--profile). */
export interface GeometryTimings {
  cropMs: number;
  meshMs: number;
  blendshapesMs: number;
  /** Head pose, gaze, AU estimates, mouth and the 68 points: everything after the two models. */
  measuresMs: number;
}

export class FaceGeometryEstimator {
  private readonly queue = new SerialQueue();
  private measuresMs = 0;

  private constructor(private readonly mesh: FaceMeshModel, private readonly blendshapes: BlendshapeModel, private readonly canonical: CanonicalFace) {}

  static async create(models: FaceGeometryModels, settings: SessionSettings = {}): Promise<FaceGeometryEstimator> {
    if (models.mesh.entry.id !== FACE_MESH_MODEL_ID && models.mesh.entry.role !== 'faceMesh') throw new Error(`model ${models.mesh.entry.id} is not a face mesh model`);
    if (models.blendshapes.entry.role !== 'blendshapes' && models.blendshapes.entry.id !== FACE_BLENDSHAPES_MODEL_ID) throw new Error(`model ${models.blendshapes.entry.id} is not a blendshape model`);
    const canonicalFile = models.mesh.paths[1];
    if (!canonicalFile) throw new Error(`model ${models.mesh.entry.id} has no canonical face file`);
    const canonical = loadCanonicalFace(canonicalFile);
    const mesh = await FaceMeshModel.create(models.mesh, settings);
    try {
      return new FaceGeometryEstimator(mesh, await BlendshapeModel.create(models.blendshapes, settings), canonical);
    } catch (error) {
      await mesh.close();
      throw error;
    }
  }

  timings(): GeometryTimings {
    return { cropMs: this.mesh.timings.cropMs, meshMs: this.mesh.timings.inferMs, blendshapesMs: this.blendshapes.timings.inferMs, measuresMs: this.measuresMs };
  }

  /** The mesh model's input side (256 for the published model). */
  get inputSize(): number {
    return this.mesh.inputSize;
  }

  /** Geometry for every face of `image` (YuNet faces: the ROI comes from their 5 points, faceRoi.ts). */
  estimate(image: RgbImage, faces: readonly Pick<DetectedFace, 'box' | 'landmarks'>[]): Promise<FaceGeometryResult[]> {
    return this.estimateRois(image, faces.map((f) => roiFromYunet(f)));
  }

  /** Geometry for given ROIs (MediaPipe's own ROI in the golden tests; the previous frame's mesh ROI when tracking). */
  estimateRois(image: RgbImage, rois: readonly FaceRoi[]): Promise<FaceGeometryResult[]> {
    return this.queue.run(async () => {
      const meshes = await this.mesh.run(image, rois);
      const scores = await this.blendshapes.run(meshes.map((m) => m.mesh));
      const started = performance.now();
      const results = meshes.map((m, i) => this.assemble(image, rois[i]!, m.mesh, m.presence, scores[i]!));
      this.measuresMs += performance.now() - started;
      return results;
    });
  }

  /**
   * Each face's jaw drop (mouth.ts), NaN where the mesh model sees no face: the mesh model alone, no blendshapes,
   * pose or AUs. On the single-face dev clips it followed the voice better than the jawOpen blendshape and the
   * mesh's lip gaps (r 0.69 and 0.52 against 0.58 and 0.49 for jawOpen; docs/voice.md).
   */
  mouthOpenings(image: RgbImage, faces: readonly Pick<DetectedFace, 'box' | 'landmarks'>[]): Promise<number[]> {
    return this.queue.run(async () => {
      const meshes = await this.mesh.run(image, faces.map((f) => roiFromYunet(f)));
      return meshes.map((m) => (m.presence >= MIN_FACE_PRESENCE ? jawDrop(m.mesh) : Number.NaN));
    });
  }

  private assemble(image: RgbImage, roi: FaceRoi, mesh: Float32Array, presence: number, blendshapes: Float32Array): FaceGeometryResult {
    try {
      const normalised = Float64Array.from(mesh, (v, i) => (i % 3 === 1 ? v / image.height : v / image.width));
      const metric = estimateHeadPose(normalised, image.width, image.height, this.canonical);
      const geometry: FaceGeometry = {
        roi,
        presence,
        mesh,
        metricMesh: Float32Array.from(metric.headFrame),
        landmarks68: ibug68FromMesh(mesh),
        pose: metric.pose,
        gaze: estimateGaze(metric.headFrame, metric.rotation),
        blendshapes,
        actionUnits: estimateActionUnits(blendshapes, metric.headFrame),
        mouth: mouthMeasures(metric.headFrame, blendshapes[JAW_OPEN]!),
      };
      return { ok: true, geometry };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.mesh.close(), this.blendshapes.close()]);
  }
}
