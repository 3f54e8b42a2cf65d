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
export const LUMA_R = 0.2989;
export const LUMA_G = 0.587;
export const LUMA_B = 0.114;

/**
 * Samples `image` through `affine` into one [C, H, W] slot of `out` starting at `offset` (bilinear,
 * black outside the image, as OpenCV's warpAffine; with `replicate`, the nearest edge pixel instead, as
 * BORDER_REPLICATE). `flip` mirrors the result horizontally.
 */
export function warpAffineInto(
  image: RgbImage,
  affine: Affine,
  size: { width: number; height: number },
  map: ChannelMap,
  out: Float32Array,
  offset: number,
  flip = false,
  replicate = false,
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
      if (x0 >= 0 && y0 >= 0 && x0 < w - 1 && y0 < h - 1) {
        // Inside the image (almost every pixel): the four taps directly, summed in the same order as below.
        const p = y0 * row + x0 * 3, q = p + row;
        const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        R = data[p]! * w00 + data[p + 3]! * w01 + data[q]! * w10 + data[q + 3]! * w11;
        G = data[p + 1]! * w00 + data[p + 4]! * w01 + data[q + 1]! * w10 + data[q + 4]! * w11;
        B = data[p + 2]! * w00 + data[p + 5]! * w01 + data[q + 2]! * w10 + data[q + 5]! * w11;
      } else for (let k = 0; k < 4; k++) {
        // Each of the four neighbours contributes only when inside the image (constant 0 border), or the nearest edge pixel (replicate).
        let x = x0 + (k & 1), y = y0 + (k >> 1);
        if (replicate) {
          x = x < 0 ? 0 : x >= w ? w - 1 : x;
          y = y < 0 ? 0 : y >= h ? h - 1 : y;
        } else if (x < 0 || y < 0 || x >= w || y >= h) continue;
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
