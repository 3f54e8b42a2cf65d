/**
 * Turns a detected face into a classifier's input: either a 5-point similarity alignment to the ArcFace
 * template (what MobileFaceNet was trained on) or a square crop around the detector box.
 */
import type { Box } from '../../shared/annotationDocument';
import type { ModelEntry } from '../models/modelManifest';
import type { Affine, ChannelMap, RgbImage } from './imageOps';
import { inputSize, warpAffineInto } from './imageOps';
import type { DetectedFace } from './visionTypes';

/** ArcFace 112x112 template: right eye, left eye (image left first), nose, right and left mouth corners. */
export const ARCFACE_TEMPLATE_112: readonly number[] = [
  38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041,
];

/** x' = a*x - b*y + tx, y' = b*x + a*y + ty (rotation + uniform scale + translation). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Least-squares similarity taking points `src` to `dst` (flat x,y lists of equal length; Umeyama without reflection). */
export function estimateSimilarity(src: readonly number[], dst: readonly number[]): Similarity {
  const n = Math.min(src.length, dst.length) >> 1;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[2 * i]!; sy += src[2 * i + 1]!;
    dx += dst[2 * i]!; dy += dst[2 * i + 1]!;
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const px = src[2 * i]! - sx, py = src[2 * i + 1]! - sy;
    const qx = dst[2 * i]! - dx, qy = dst[2 * i + 1]! - dy;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  const a = norm > 0 ? dot / norm : 1;
  const b = norm > 0 ? cross / norm : 0;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function applySimilarity(t: Similarity, x: number, y: number): [number, number] {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const k = t.a * t.a + t.b * t.b;
  const a = t.a / k, b = -t.b / k;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/** The ArcFace template scaled to a width x height input. */
export function scaledTemplate(width: number, height: number): number[] {
  return ARCFACE_TEMPLATE_112.map((v, i) => v * (i % 2 === 0 ? width : height) / 112);
}

/** Landmarks that make the arcface5 alignment equal a plain resize of `box` (used when no face was detected). */
export function templateLandmarksForBox(box: Box): number[] {
  const [x, y, w, h] = box;
  return ARCFACE_TEMPLATE_112.map((v, i) => (i % 2 === 0 ? x + (v * w) / 112 : y + (v * h) / 112));
}

/** Output pixel -> frame pixel mapping that produces the classifier's input for `face`. */
export function alignmentAffine(face: DetectedFace, model: Pick<ModelEntry, 'alignment' | 'boxMargin' | 'input'>): Affine {
  if (!model.input) throw new Error('alignment needs a model input description');
  const { width, height } = inputSize(model.input);
  if (model.alignment === 'arcface5' && face.landmarks.length >= 10) {
    const inv = invertSimilarity(estimateSimilarity(face.landmarks, scaledTemplate(width, height)));
    return [inv.a, -inv.b, inv.tx, inv.b, inv.a, inv.ty];
  }
  const [x, y, w, h] = face.box;
  const side = Math.max(w, h) * (1 + 2 * (model.boxMargin ?? 0));
  const left = x + w / 2 - side / 2;
  const top = y + h / 2 - side / 2;
  // Pixel centres map to pixel centres, so the crop is not shifted by half a pixel.
  const sxu = side / width, syv = side / height;
  return [sxu, 0, left + 0.5 * sxu - 0.5, 0, syv, top + 0.5 * syv - 0.5];
}

/** Writes the aligned (and optionally mirrored) face into `out` at `offset` with the model's normalisation. */
export function alignFaceInto(
  image: RgbImage,
  face: DetectedFace,
  model: Pick<ModelEntry, 'alignment' | 'boxMargin' | 'input'>,
  map: ChannelMap,
  out: Float32Array,
  offset: number,
  flip = false,
): void {
  if (!model.input) throw new Error('alignment needs a model input description');
  if (model.alignment === 'paddedBox') paddedBoxInto(image, face.box, inputSize(model.input), map, out, offset, flip);
  else warpAffineInto(image, alignmentAffine(face, model), inputSize(model.input), map, out, offset, flip);
}

/** The whole-pixel crop face-api takes of a box: clipped to the image, then every value rounded down. */
export function paddedBoxCrop(box: Box, imageWidth: number, imageHeight: number): Box {
  const x = Math.max(box[0], 0), y = Math.max(box[1], 0);
  const width = Math.min(box[0] + box[2] - x, imageWidth - x);
  const height = Math.min(box[1] + box[3] - y, imageHeight - y);
  return [Math.floor(x), Math.floor(y), Math.floor(width), Math.floor(height)];
}

/**
 * One axis of face-api's resize of the padded square: output index i samples square coordinate i * side / n
 * (TF's legacy mapping), neighbours floor and floor + 1 clamped to the square; each as the image offset of
 * that crop line (`offsetOf`), or -1 where the square is black padding. `mirror` reverses the output order.
 */
function paddedAxis(n: number, side: number, pad: number, length: number, offsetOf: (i: number) => number, mirror: boolean): { first: Int32Array; second: Int32Array; weight: Float64Array } {
  const first = new Int32Array(n), second = new Int32Array(n), weight = new Float64Array(n);
  const at = (q: number): number => (q - pad < 0 || q - pad >= length ? -1 : offsetOf(q - pad));
  for (let i = 0; i < n; i++) {
    const s = ((mirror ? n - 1 - i : i) * side) / n;
    const q0 = Math.floor(s);
    first[i] = at(q0);
    second[i] = at(Math.min(q0 + 1, side - 1));
    weight[i] = s - q0;
  }
  return { first, second, weight };
}

/**
 * face-api's preprocessing (what its expression network was trained with), from our detector's box: the box
 * cropped as face-api crops it, padded to a square with black (centred, an odd line after it), and that
 * square resized to the input by TensorFlow's legacy bilinear mapping (output pixel x samples x * S / size,
 * the right/bottom neighbour clamped to the square), so crop edges blend with the black border as in
 * face-api. Exact to float rounding: scripts/models/faceApiExpressionOnnx.ts documents face-api's own steps.
 */
export function paddedBoxInto(
  image: RgbImage,
  box: Box,
  size: { width: number; height: number },
  map: ChannelMap,
  out: Float32Array,
  offset: number,
  flip = false,
): void {
  const [cx, cy, cw, ch] = paddedBoxCrop(box, image.width, image.height);
  const side = Math.max(cw, ch, 1);
  const { data, width: w } = image;
  const { gain, offset: off, rPlane, bPlane } = map;
  const { width: W, height: H } = size;
  const plane = W * H;
  // Per output column and row: the two square pixels sampled, as image offsets (-1 in the black padding).
  const cols = paddedAxis(W, side, Math.floor((side - cw) / 2), cw, (i) => (cx + i) * 3, flip);
  const rows = paddedAxis(H, side, Math.floor((side - ch) / 2), ch, (i) => (cy + i) * w * 3, false);
  const planes = [rPlane * plane, plane, bPlane * plane];
  for (let v = 0; v < H; v++) {
    const r0 = rows.first[v]!, r1 = rows.second[v]!, fy = rows.weight[v]!;
    for (let u = 0; u < W; u++) {
      const c0 = cols.first[u]!, c1 = cols.second[u]!, fx = cols.weight[u]!;
      const dst = offset + v * W + u;
      for (let c = 0; c < 3; c++) {
        const p00 = r0 < 0 || c0 < 0 ? 0 : data[r0 + c0 + c]!, p01 = r0 < 0 || c1 < 0 ? 0 : data[r0 + c1 + c]!;
        const p10 = r1 < 0 || c0 < 0 ? 0 : data[r1 + c0 + c]!, p11 = r1 < 0 || c1 < 0 ? 0 : data[r1 + c1 + c]!;
        const upper = p00 + (p01 - p00) * fx;
        const lower = p10 + (p11 - p10) * fx;
        out[dst + planes[c]!] = (upper + (lower - upper) * fy) * gain[c]! + off[c]!;
      }
    }
  }
}
