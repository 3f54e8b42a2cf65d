/**
 * Pixel work that runs for every frame and face: packed RGB bytes in, Float32 NCHW model input out, with
 * the manifest's colour order and normalisation applied on the way (no intermediate images).
 */
import type { ModelInput } from '../models/modelManifest';

/** A packed rgb24 image (RawFrame satisfies it). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Output pixel (u, v) samples the image at (a*u + b*v + c, d*u + e*v + f). */
export type Affine = [a: number, b: number, c: number, d: number, e: number, f: number];

/** Per-channel `value * gain + offset` equivalent of (value * scale - mean) / std. */
export interface ChannelMap {
  gray: boolean;
  /** Index into the output planes for source R, G, B (BGR swaps 0 and 2). */
  rPlane: number;
  bPlane: number;
  gain: [number, number, number];
  offset: [number, number, number];
}

export function channelMap(input: ModelInput): ChannelMap {
  const { scale, mean, std } = input.normalization;
  const at = (list: number[], i: number, fallback: number) => list[i] ?? list[0] ?? fallback;
  const gain = [0, 1, 2].map((i) => scale / at(std, i, 1)) as [number, number, number];
  const offset = [0, 1, 2].map((i) => -at(mean, i, 0) / at(std, i, 1)) as [number, number, number];
  const bgr = input.colorOrder === 'BGR';
  return { gray: input.colorOrder === 'GRAY', rPlane: bgr ? 2 : 0, bPlane: bgr ? 0 : 2, gain, offset };
}

/** Input height and width from an [N, C, H, W] shape. */
export function inputSize(input: ModelInput): { width: number; height: number; channels: number } {
  const [, channels = 3, height = 0, width = 0] = input.shape;
  return { width, height, channels };
}

/** Fraction of R, G, B in the luma used by FER2013-style gray models. */
const LUMA_R = 0.2989;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

/**
 * Resizes whole frames into a fixed detector input (keep aspect ratio, pad right/bottom with zeros).
 * Keeps its tensor and column tables between calls: frames of one video all have the same size.
 */
export class Letterboxer {
  readonly tensor: Float32Array;
  private readonly width: number;
  private readonly height: number;
  private readonly map: ChannelMap;
  private lastKey = '';
  private x0 = new Int32Array(0);
  private x1 = new Int32Array(0);
  private wx = new Float32Array(0);
  private contentW = 0;
  private contentH = 0;
  private scale = 1;

  constructor(input: ModelInput) {
    const size = inputSize(input);
    this.width = size.width;
    this.height = size.height;
    this.map = channelMap(input);
    this.tensor = new Float32Array(size.channels * size.width * size.height);
  }

  /** Fills `tensor` from `image`; returns input pixels per image pixel. */
  run(image: RgbImage): number {
    this.prepare(image.width, image.height);
    if (this.scale === 1) this.copyExact(image);
    else this.resizeBilinear(image);
    return this.scale;
  }

  private prepare(w: number, h: number): void {
    const key = `${w}x${h}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.scale = Math.min(this.width / w, this.height / h);
    this.contentW = Math.min(this.width, Math.round(w * this.scale));
    this.contentH = Math.min(this.height, Math.round(h * this.scale));
    // Padding stays zero because later frames of the same size only write the content area.
    this.tensor.fill(0);
    this.x0 = new Int32Array(this.contentW);
    this.x1 = new Int32Array(this.contentW);
    this.wx = new Float32Array(this.contentW);
    for (let u = 0; u < this.contentW; u++) {
      const sx = Math.max(0, (u + 0.5) / this.scale - 0.5);
      const x0 = Math.min(w - 1, Math.floor(sx));
      this.x0[u] = x0 * 3;
      this.x1[u] = Math.min(w - 1, x0 + 1) * 3;
      this.wx[u] = sx - x0;
    }
  }

  private copyExact(image: RgbImage): void {
    const { data } = image;
    const plane = this.width * this.height;
    const { gray, rPlane, bPlane, gain, offset } = this.map;
    const t = this.tensor;
    const rOff = rPlane * plane, gOff = plane, bOff = bPlane * plane;
    const [g0, g1, g2] = gain, [o0, o1, o2] = offset;
    for (let y = 0; y < this.contentH; y++) {
      let src = y * image.width * 3;
      let dst = y * this.width;
      const end = dst + this.contentW;
      if (gray) {
        for (; dst < end; src += 3, dst++) t[dst] = (LUMA_R * data[src]! + LUMA_G * data[src + 1]! + LUMA_B * data[src + 2]!) * g0 + o0;
        continue;
      }
      for (; dst < end; src += 3, dst++) {
        t[rOff + dst] = data[src]! * g0 + o0;
        t[gOff + dst] = data[src + 1]! * g1 + o1;
        t[bOff + dst] = data[src + 2]! * g2 + o2;
      }
    }
  }

  private resizeBilinear(image: RgbImage): void {
    const { data, width: w, height: h } = image;
    const plane = this.width * this.height;
    const { gray, rPlane, bPlane, gain, offset } = this.map;
    const t = this.tensor;
    const { x0, x1, wx } = this;
    const row = w * 3;
    for (let v = 0; v < this.contentH; v++) {
      const sy = Math.max(0, (v + 0.5) / this.scale - 0.5);
      const y0 = Math.min(h - 1, Math.floor(sy));
      const fy = sy - y0;
      const r0 = y0 * row;
      const r1 = Math.min(h - 1, y0 + 1) * row;
      let dst = v * this.width;
      for (let u = 0; u < this.contentW; u++, dst++) {
        const a = x0[u]!, b = x1[u]!, fx = wx[u]!;
        const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        const R = data[r0 + a]! * w00 + data[r0 + b]! * w01 + data[r1 + a]! * w10 + data[r1 + b]! * w11;
        const G = data[r0 + a + 1]! * w00 + data[r0 + b + 1]! * w01 + data[r1 + a + 1]! * w10 + data[r1 + b + 1]! * w11;
        const B = data[r0 + a + 2]! * w00 + data[r0 + b + 2]! * w01 + data[r1 + a + 2]! * w10 + data[r1 + b + 2]! * w11;
        if (gray) {
          t[dst] = (LUMA_R * R + LUMA_G * G + LUMA_B * B) * gain[0] + offset[0];
        } else {
          t[rPlane * plane + dst] = R * gain[0] + offset[0];
          t[plane + dst] = G * gain[1] + offset[1];
          t[bPlane * plane + dst] = B * gain[2] + offset[2];
        }
      }
    }
  }
}

/**
 * Samples `image` through `affine` into one [C, H, W] slot of `out` starting at `offset` (bilinear,
 * black outside the image, as OpenCV's warpAffine). `flip` mirrors the result horizontally.
 */
export function warpAffineInto(
  image: RgbImage,
  affine: Affine,
  size: { width: number; height: number },
  map: ChannelMap,
  out: Float32Array,
  offset: number,
  flip = false,
): void {
  const { data, width: w, height: h } = image;
  const { width: W, height: H } = size;
  const plane = W * H;
  const [a, b, c, d, e, f] = affine;
  const { gray, rPlane, bPlane, gain, offset: off } = map;
  const row = w * 3;
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const su = flip ? W - 1 - u : u;
      const sx = a * su + b * v + c;
      const sy = d * su + e * v + f;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      let R = 0, G = 0, B = 0;
      // Each of the four neighbours contributes only when inside the image (constant 0 border).
      for (let k = 0; k < 4; k++) {
        const x = x0 + (k & 1), y = y0 + (k >> 1);
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const wgt = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
        if (wgt === 0) continue;
        const p = y * row + x * 3;
        R += data[p]! * wgt;
        G += data[p + 1]! * wgt;
        B += data[p + 2]! * wgt;
      }
      const dst = offset + v * W + u;
      if (gray) {
        out[dst] = (LUMA_R * R + LUMA_G * G + LUMA_B * B) * gain[0] + off[0];
      } else {
        out[dst + rPlane * plane] = R * gain[0] + off[0];
        out[dst + plane] = G * gain[1] + off[1];
        out[dst + bPlane * plane] = B * gain[2] + off[2];
      }
    }
  }
}
