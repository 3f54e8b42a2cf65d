/**
 * YuNet face detection: letterbox the frame into the input (fixed 640x640, or with a dynamic manifest
 * input the frame's own aspect ratio, e.g. 640x384 for 16:9), run the model, decode its three anchor-free
 * heads (strides 8/16/32) into boxes with 5 landmarks, undo the letterbox scale, then NMS.
 */
import type * as ort from 'onnxruntime-node';
import type { Box } from '../../shared/annotationDocument';
import type { ModelInput } from '../models/modelManifest';
import type { ResolvedModel } from '../models/modelResolver';
import type { RgbImage } from './imageOps';
import { Letterboxer } from './letterbox';
import { symbolicSpatialInput } from './onnxShapes';
import { floatTensor, openSession } from './onnxSession';
import type { SessionSettings } from './onnxSession';
import { SerialQueue } from './serialQueue';
import type { DetectedFace } from './visionTypes';

export const YUNET_STRIDES = [8, 16, 32] as const;
export const DEFAULT_MIN_FACE_SCORE = 0.6;
export const NMS_IOU = 0.3;

export interface DetectOptions {
  /** Minimum detector score (default 0.6). */
  minScore?: number;
  /** Minimum face side (the shorter of width and height) in frame pixels. */
  minFaceSize?: number;
  /** With a dynamic input: fit the image into this longest side instead of the manifest's maxSide. */
  inputSide?: number;
}

/** Raw YuNet outputs, keyed cls_8, obj_8, bbox_8, kps_8, ... */
export type YunetOutputs = Record<string, ArrayLike<number> | undefined>;

/**
 * Decodes YuNet heads into faces in *input* pixels divided by `scale` (i.e. frame pixels), sorted by score.
 * `inputWidth` x `inputHeight` is the network input size.
 */
export function decodeYunet(outputs: YunetOutputs, inputWidth: number, inputHeight: number, scale: number, minScore: number): DetectedFace[] {
  const faces: DetectedFace[] = [];
  for (const stride of YUNET_STRIDES) {
    const cls = outputs[`cls_${stride}`], obj = outputs[`obj_${stride}`];
    const bbox = outputs[`bbox_${stride}`], kps = outputs[`kps_${stride}`];
    if (!cls || !obj || !bbox || !kps) throw new Error(`YuNet output for stride ${stride} is missing`);
    const cols = Math.floor(inputWidth / stride);
    const rows = Math.floor(inputHeight / stride);
    // A grid that does not match the heads would silently misplace every face.
    if (cls.length !== rows * cols) throw new Error(`YuNet stride ${stride} has ${cls.length} cells, expected ${cols}x${rows} for a ${inputWidth}x${inputHeight} input`);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const idx = r * cols + c;
        const score = Math.sqrt(clamp01(cls[idx] ?? 0) * clamp01(obj[idx] ?? 0));
        if (score < minScore) continue;
        const cx = (c + (bbox[idx * 4] ?? 0)) * stride;
        const cy = (r + (bbox[idx * 4 + 1] ?? 0)) * stride;
        const w = Math.exp(bbox[idx * 4 + 2] ?? 0) * stride;
        const h = Math.exp(bbox[idx * 4 + 3] ?? 0) * stride;
        const landmarks: number[] = [];
        for (let n = 0; n < 5; n++) {
          landmarks.push((((kps[idx * 10 + 2 * n] ?? 0) + c) * stride) / scale, (((kps[idx * 10 + 2 * n + 1] ?? 0) + r) * stride) / scale);
        }
        faces.push({ box: [(cx - w / 2) / scale, (cy - h / 2) / scale, w / scale, h / scale], score, landmarks });
      }
    }
  }
  return faces.sort((a, b) => b.score - a.score);
}

/** Greedy non-maximum suppression: keeps the best face of every group overlapping by more than `iou`. */
export function nonMaxSuppression(faces: DetectedFace[], iou = NMS_IOU): DetectedFace[] {
  const sorted = [...faces].sort((a, b) => b.score - a.score);
  const kept: DetectedFace[] = [];
  for (const face of sorted) {
    if (kept.every((k) => boxIou(k.box, face.box) <= iou)) kept.push(face);
  }
  return kept;
}

export function boxIou(a: Box, b: Box): number {
  const x1 = Math.max(a[0], b[0]), y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]), y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export interface DetectorTimings {
  preprocessMs: number;
  inferMs: number;
  decodeMs: number;
}

export class FaceDetector {
  /** Cumulative time per stage since creation. */
  readonly timings: DetectorTimings = { preprocessMs: 0, inferMs: 0, decodeMs: 0 };
  private readonly letterbox: Letterboxer;
  private readonly input: ModelInput;
  private readonly queue = new SerialQueue();

  private constructor(model: ResolvedModel, private readonly session: ort.InferenceSession) {
    if (!model.entry.input) throw new Error(`model ${model.entry.id} has no input description`);
    this.input = model.entry.input;
    this.letterbox = new Letterboxer(this.input);
  }

  static async create(model: ResolvedModel, settings: SessionSettings = {}): Promise<FaceDetector> {
    if (model.entry.decoder !== 'yunet') throw new Error(`model ${model.entry.id}: unsupported detector decoder ${String(model.entry.decoder)}`);
    const file = model.paths[0];
    if (!file) throw new Error(`model ${model.entry.id} has no file`);
    const input = model.entry.input;
    // A dynamic input runs the verified file with its declared fixed H/W made symbolic (in memory only).
    const adapt = input?.spatial?.kind === 'dynamic' ? (bytes: Uint8Array) => symbolicSpatialInput(bytes, input.name) : undefined;
    return new FaceDetector(model, await openSession(file, { graphOptimization: model.entry.graphOptimization, ...settings }, adapt));
  }

  /** Every face in `image`, in its pixel coordinates, best first. */
  detect(image: RgbImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
    return this.queue.run(() => this.detectNow(image, options));
  }

  private async detectNow(image: RgbImage, options: DetectOptions): Promise<DetectedFace[]> {
    const t0 = performance.now();
    const scale = this.letterbox.run(image, options.inputSide);
    const t1 = performance.now();
    const results = await this.session.run({ [this.input.name]: floatTensor(this.letterbox.tensor, this.letterbox.dims) });
    const t2 = performance.now();
    const outputs: YunetOutputs = {};
    for (const [name, value] of Object.entries(results)) outputs[name] = value.data as Float32Array;
    const { width, height } = this.letterbox;
    const minSize = options.minFaceSize ?? 0;
    const faces = nonMaxSuppression(decodeYunet(outputs, width, height, scale, options.minScore ?? DEFAULT_MIN_FACE_SCORE))
      .filter((f) => Math.min(f.box[2], f.box[3]) >= minSize);
    const t3 = performance.now();
    this.timings.preprocessMs += t1 - t0;
    this.timings.inferMs += t2 - t1;
    this.timings.decodeMs += t3 - t2;
    return faces;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
