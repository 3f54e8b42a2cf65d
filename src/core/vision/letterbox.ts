/**
 * Whole frames into a detector input: keep the aspect ratio, pad right/bottom with zeros, write the Float32
 * NCHW tensor with the manifest's colour order and normalisation in the same pass. Exact integer
 * downscales (1280x720 -> 640x360) average k x k blocks with integer sums; other ratios use bilinear.
 */
import type { ModelInput } from '../models/modelManifest';
import { channelMap, inputSize, LUMA_B, LUMA_G, LUMA_R } from './imageOps';
import type { ChannelMap, RgbImage } from './imageOps';

/** Where one frame size lands in the detector input. */
export interface LetterboxGeometry {
  /** Tensor width and height (the network input size). */
  inputWidth: number;
  inputHeight: number;
  /** The resized frame, at the top left of the tensor. */
  contentWidth: number;
  contentHeight: number;
  /** Input pixels per frame pixel. */
  scale: number;
}

/**
 * Fixed inputs: the frame fitted into shape's H x W. Dynamic inputs: fitted into maxSide x maxSide, then
 * each side rounded up to a multiple of `multipleOf` (1280x720 -> 640x360 content in a 640x384 input).
 */
export function letterboxGeometry(input: ModelInput, width: number, height: number, maxSideOverride?: number): LetterboxGeometry {
  const spatial = input.spatial;
  if (spatial?.kind === 'dynamic') {
    const maxSide = maxSideOverride ?? spatial.maxSide;
    const scale = maxSide / Math.max(width, height);
    const contentWidth = Math.max(1, Math.min(maxSide, Math.round(width * scale)));
    const contentHeight = Math.max(1, Math.min(maxSide, Math.round(height * scale)));
    const up = (n: number) => Math.ceil(n / spatial.multipleOf) * spatial.multipleOf;
    return { inputWidth: up(contentWidth), inputHeight: up(contentHeight), contentWidth, contentHeight, scale };
  }
  const size = inputSize(input);
  const scale = Math.min(size.width / width, size.height / height);
  return {
    inputWidth: size.width,
    inputHeight: size.height,
    contentWidth: Math.min(size.width, Math.round(width * scale)),
    contentHeight: Math.min(size.height, Math.round(height * scale)),
    scale,
  };
}

/** The integer k when the content is exactly the frame shrunk k times (k >= 2), else 0. */
export function integerDownscale(g: LetterboxGeometry, width: number, height: number): number {
  const k = Math.round(width / g.contentWidth);
  const exact = k >= 2 && width === k * g.contentWidth && height === k * g.contentHeight && Math.abs(g.scale * k - 1) < 1e-9;
  return exact ? k : 0;
}

/**
 * Keeps one tensor per frame size (frames of one video all have the same size), so the zero padding is
 * written once and only the content area is rewritten per frame.
 */
export class Letterboxer {
  private data: Float32Array;
  private readonly map: ChannelMap;
  private readonly channels: number;
  private lastKey = '';
  private geometry: LetterboxGeometry;
  private factor = 0;

  constructor(private readonly input: ModelInput) {
    const size = inputSize(input);
    this.channels = size.channels;
    this.map = channelMap(input);
    this.geometry = { inputWidth: size.width, inputHeight: size.height, contentWidth: 0, contentHeight: 0, scale: 1 };
    this.data = new Float32Array(size.channels * size.width * size.height);
  }

  /** The input tensor's data, valid until the next run with a different frame size. */
  get tensor(): Float32Array {
    return this.data;
  }

  /** [1, C, H, W] of the current tensor. */
  get dims(): number[] {
    return [1, this.channels, this.geometry.inputHeight, this.geometry.inputWidth];
  }

  get width(): number {
    return this.geometry.inputWidth;
  }

  get height(): number {
    return this.geometry.inputHeight;
  }

  /**
   * Fills `tensor` from `image`; returns input pixels per image pixel. A dynamic input may be given a smaller
   * longest side than the manifest's (a small canvas need not be enlarged to it).
   */
  run(image: RgbImage, maxSide?: number): number {
    this.prepare(image.width, image.height, maxSide);
    const g = this.geometry;
    if (g.scale === 1) copyInto(image, g, this.map, this.data);
    else if (this.factor > 0) boxDownscaleInto(image, this.factor, g, this.map, this.data);
    else resizeBilinearInto(image, g, this.map, this.data);
    return g.scale;
  }

  private prepare(w: number, h: number, maxSide: number | undefined): void {
    const key = `${w}x${h}@${maxSide ?? ''}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.geometry = letterboxGeometry(this.input, w, h, maxSide);
    this.factor = integerDownscale(this.geometry, w, h);
    const length = this.channels * this.geometry.inputWidth * this.geometry.inputHeight;
    // Padding stays zero because later frames of the same size only write the content area.
    if (this.data.length === length) this.data.fill(0);
    else this.data = new Float32Array(length);
  }
}

/** 1:1 copy of the frame into the content area. */
export function copyInto(image: RgbImage, g: LetterboxGeometry, map: ChannelMap, t: Float32Array): void {
  const { data } = image;
  const W = g.inputWidth;
  const plane = W * g.inputHeight;
  const { gray, rPlane, bPlane, gain, offset } = map;
  const rOff = rPlane * plane, gOff = plane, bOff = bPlane * plane;
  const [g0, g1, g2] = gain, [o0, o1, o2] = offset;
  for (let y = 0; y < g.contentHeight; y++) {
    let src = y * image.width * 3;
    let dst = y * W;
    const end = dst + g.contentWidth;
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

/**
 * Area average for an exact k-times shrink (what ffmpeg's flags=area does; for k = 2 it equals bilinear):
 * integer sums of k x k blocks per output row, then one normalisation pass into the planes.
 */
export function boxDownscaleInto(image: RgbImage, k: number, g: LetterboxGeometry, map: ChannelMap, t: Float32Array): void {
  if (k === 2) return halveInto(image, g, map, t);
  const { data } = image;
  const W = g.inputWidth;
  const plane = W * g.inputHeight;
  const cw = g.contentWidth;
  const row = image.width * 3;
  const sums = new Uint32Array(cw * 3);
  const { gray, rPlane, bPlane, gain, offset } = map;
  const area = k * k;
  const [g0, g1, g2] = gain.map((v) => v / area) as [number, number, number];
  const [o0, o1, o2] = offset;
  const rOff = rPlane * plane, bOff = bPlane * plane;
  for (let v = 0; v < g.contentHeight; v++) {
    sums.fill(0);
    for (let dy = 0; dy < k; dy++) {
      let src = (v * k + dy) * row;
      for (let s = 0; s < cw * 3; s += 3) {
        let r = 0, gr = 0, b = 0;
        for (let dx = 0; dx < k; dx++, src += 3) {
          r += data[src]!;
          gr += data[src + 1]!;
          b += data[src + 2]!;
        }
        sums[s] = sums[s]! + r;
        sums[s + 1] = sums[s + 1]! + gr;
        sums[s + 2] = sums[s + 2]! + b;
      }
    }
    let dst = v * W;
    for (let s = 0; s < cw * 3; s += 3, dst++) {
      if (gray) {
        t[dst] = (LUMA_R * sums[s]! + LUMA_G * sums[s + 1]! + LUMA_B * sums[s + 2]!) * g0 + o0;
      } else {
        t[rOff + dst] = sums[s]! * g0 + o0;
        t[plane + dst] = sums[s + 1]! * g1 + o1;
        t[bOff + dst] = sums[s + 2]! * g2 + o2;
      }
    }
  }
}

/** k = 2 (the common 1280x720 -> 640x360 case): both source rows read in one pass, no sum buffer. */
function halveInto(image: RgbImage, g: LetterboxGeometry, map: ChannelMap, t: Float32Array): void {
  const { data } = image;
  const W = g.inputWidth;
  const plane = W * g.inputHeight;
  const cw = g.contentWidth;
  const row = image.width * 3;
  const { gray, rPlane, bPlane, gain, offset } = map;
  const g0 = gain[0] / 4, g1 = gain[1] / 4, g2 = gain[2] / 4;
  const [o0, o1, o2] = offset;
  const rOff = rPlane * plane, bOff = bPlane * plane;
  for (let v = 0; v < g.contentHeight; v++) {
    let a = 2 * v * row;
    let dst = v * W;
    const end = dst + cw;
    if (gray) {
      for (; dst < end; dst++, a += 6) {
        const b = a + row;
        const R = data[a]! + data[a + 3]! + data[b]! + data[b + 3]!;
        const G = data[a + 1]! + data[a + 4]! + data[b + 1]! + data[b + 4]!;
        const B = data[a + 2]! + data[a + 5]! + data[b + 2]! + data[b + 5]!;
        t[dst] = (LUMA_R * R + LUMA_G * G + LUMA_B * B) * g0 + o0;
      }
      continue;
    }
    for (; dst < end; dst++, a += 6) {
      const b = a + row;
      t[rOff + dst] = (data[a]! + data[a + 3]! + data[b]! + data[b + 3]!) * g0 + o0;
      t[plane + dst] = (data[a + 1]! + data[a + 4]! + data[b + 1]! + data[b + 4]!) * g1 + o1;
      t[bOff + dst] = (data[a + 2]! + data[a + 5]! + data[b + 2]! + data[b + 5]!) * g2 + o2;
    }
  }
}

/** Bilinear resize into the content area (pixel centres aligned, edges clamped), for any other ratio. */
export function resizeBilinearInto(image: RgbImage, g: LetterboxGeometry, map: ChannelMap, t: Float32Array): void {
  const { data, width: w, height: h } = image;
  const W = g.inputWidth;
  const plane = W * g.inputHeight;
  const { gray, rPlane, bPlane, gain, offset } = map;
  const cw = g.contentWidth;
  const x0 = new Int32Array(cw), x1 = new Int32Array(cw), wx = new Float32Array(cw);
  for (let u = 0; u < cw; u++) {
    const sx = Math.max(0, (u + 0.5) / g.scale - 0.5);
    const xa = Math.min(w - 1, Math.floor(sx));
    x0[u] = xa * 3;
    x1[u] = Math.min(w - 1, xa + 1) * 3;
    wx[u] = sx - xa;
  }
  const row = w * 3;
  for (let v = 0; v < g.contentHeight; v++) {
    const sy = Math.max(0, (v + 0.5) / g.scale - 0.5);
    const y0 = Math.min(h - 1, Math.floor(sy));
    const fy = sy - y0;
    const r0 = y0 * row;
    const r1 = Math.min(h - 1, y0 + 1) * row;
    let dst = v * W;
    for (let u = 0; u < cw; u++, dst++) {
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
