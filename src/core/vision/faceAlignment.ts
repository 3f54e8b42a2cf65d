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
  const left = Math.floor((side - cw) / 2), top = Math.floor((side - ch) / 2);
  const { data, width: w } = image;
  const { gain, offset: off, rPlane, bPlane } = map;
  const { width: W, height: H } = size;
  const plane = W * H;
  /** Channel c of square pixel (x, y): the crop's pixel, or black in the padding. */
  const pixel = (x: number, y: number, c: number): number => {
    const ix = x - left, iy = y - top;
    return ix < 0 || iy < 0 || ix >= cw || iy >= ch ? 0 : data[((cy + iy) * w + cx + ix) * 3 + c]!;
  };
  for (let v = 0; v < H; v++) {
    const sy = (v * side) / H, y0 = Math.floor(sy), y1 = Math.min(y0 + 1, side - 1), fy = sy - y0;
    for (let u = 0; u < W; u++) {
      const su = flip ? W - 1 - u : u;
      const sx = (su * side) / W, x0 = Math.floor(sx), x1 = Math.min(x0 + 1, side - 1), fx = sx - x0;
      const dst = offset + v * W + u;
      for (let c = 0; c < 3; c++) {
        const upper = pixel(x0, y0, c) + (pixel(x1, y0, c) - pixel(x0, y0, c)) * fx;
        const lower = pixel(x0, y1, c) + (pixel(x1, y1, c) - pixel(x0, y1, c)) * fx;
        const channelPlane = c === 0 ? rPlane : c === 2 ? bPlane : 1;
        out[dst + channelPlane * plane] = (upper + (lower - upper) * fy) * gain[c]! + off[c]!;
      }
    }
  }
}
