/**
 * A power-of-two FFT for real signals, built on a complex FFT of half the size (the even samples as the real
 * part, the odd ones as the imaginary part): the pitch analysis needs one forward transform (power spectrum)
 * and one inverse (autocorrelation) per 10 ms frame, so halving the work is most of its speed.
 */

export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly bitReverse: Uint32Array;
  private readonly stages: number;
  /** cos/sin of -2*pi*k/half, k < half: the complex FFT's twiddles. */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** cos/sin of -2*pi*k/size, k <= half: the twiddles that split the half-size result into the real spectrum. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new Error(`RealFft: size ${size} is not a power of two >= 4`);
    this.size = size;
    this.half = size / 2;
    const half = this.half;
    const bits = Math.log2(half);
    this.bitReverse = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    this.stages = bits;
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.cos[k] = Math.cos((-2 * Math.PI * k) / half);
      this.sin[k] = Math.sin((-2 * Math.PI * k) / half);
    }
    this.splitCos = new Float64Array(half + 1);
    this.splitSin = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.splitCos[k] = Math.cos((-2 * Math.PI * k) / size);
      this.splitSin[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /** The spectrum X[k], k = 0..size/2, of the real signal `x` (length `size`), into `outRe` and `outIm`. */
  forward(x: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.loadAndTransform(x);
    const { half, re, im, splitCos, splitSin } = this;
    // X[0] and X[half]: the sums of the even and odd samples, with and without sign.
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[half] = re[0]! - im[0]!;
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      const m = half - k;
      // Even part E = (Z[k] + conj Z[m]) / 2, odd part O = (Z[k] - conj Z[m]) / 2i, X = E + W^k O.
      const zr = re[k]!, zi = im[k]!, cr = re[m]!, ci = -im[m]!;
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
      const wr = splitCos[k]!, wi = splitSin[k]!;
      outRe[k] = er + wr * or - wi * oi;
      outIm[k] = ei + wr * oi + wi * or;
    }
  }

  /** |X[k]|^2 for k = 0..size/2 of the real signal `x`, into `power` (length size/2 + 1). */
  powerSpectrum(x: Float64Array, power: Float64Array): void {
    this.loadAndTransform(x);
    const { half, re, im, splitCos, splitSin } = this;
    power[0] = (re[0]! + im[0]!) ** 2;
    power[half] = (re[0]! - im[0]!) ** 2;
    for (let k = 1; k < half; k++) {
      const m = half - k;
      const zr = re[k]!, zi = im[k]!, cr = re[m]!, ci = -im[m]!;
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
      const wr = splitCos[k]!, wi = splitSin[k]!;
      const xr = er + wr * or - wi * oi, xi = ei + wr * oi + wi * or;
      power[k] = xr * xr + xi * xi;
    }
  }

  /**
   * The real signal whose spectrum is X[k] = inRe[k] + i inIm[k] (k = 0..size/2, Hermitian above), times
   * `size` (no 1/N: callers normalise). Writes `out[0..size-1]`.
   */
  inverse(inRe: Float64Array, inIm: Float64Array, out: Float64Array): void {
    const { half, re, im, splitCos, splitSin, bitReverse } = this;
    for (let k = 0; k < half; k++) {
      const m = half - k;
      const xr = inRe[k]!, xi = inIm[k]!, cr = inRe[m]!, ci = inIm[m]!;
      // E = (X[k] + conj X[m]) / 2 and O = (X[k] - conj X[m]) / (2 W^k), with 1 / W^k = conj W^k.
      const er = 0.5 * (xr + cr), ei = 0.5 * (xi - ci);
      const dr = 0.5 * (xr - cr), di = 0.5 * (xi + ci);
      const wr = splitCos[k]!, wi = -splitSin[k]!;
      const or = dr * wr - di * wi, oi = dr * wi + di * wr;
      // Z = E + i O; the inverse transform is the conjugate of the forward transform of the conjugate.
      const j = bitReverse[k]!;
      re[j] = er - oi;
      im[j] = -(ei + or);
    }
    this.transformInPlace();
    this.unpack(out);
  }

  /** `inverse` of a real (hence even) spectrum, such as a power spectrum: an autocorrelation. */
  inverseOfRealSpectrum(spectrum: Float64Array, out: Float64Array): void {
    const { half, re, im, splitCos, splitSin, bitReverse } = this;
    for (let k = 0; k < half; k++) {
      const xr = spectrum[k]!, cr = spectrum[half - k]!;
      const er = 0.5 * (xr + cr), dr = 0.5 * (xr - cr);
      const j = bitReverse[k]!;
      re[j] = er - dr * -splitSin[k]!;
      im[j] = -(dr * splitCos[k]!);
    }
    this.transformInPlace();
    this.unpack(out);
  }

  /** Even samples as the real part, odd ones as the imaginary part, in bit-reversed order; then transformed. */
  private loadAndTransform(x: Float64Array): void {
    const { half, re, im, bitReverse } = this;
    for (let n = 0; n < half; n++) {
      const j = bitReverse[n]!;
      re[j] = x[2 * n]!;
      im[j] = x[2 * n + 1]!;
    }
    this.transformInPlace();
  }

  private unpack(out: Float64Array): void {
    const { half, re, im } = this;
    for (let n = 0; n < half; n++) {
      out[2 * n] = 2 * re[n]!;
      out[2 * n + 1] = -2 * im[n]!;
    }
  }

  /**
   * Iterative decimation in time over re/im, already in bit-reversed order: pairs of radix-2 stages merged
   * into radix-4 butterflies (three complex multiplications per four points instead of four), after one
   * radix-2 stage when the number of stages is odd.
   */
  private transformInPlace(): void {
    const { half, re, im, cos, sin } = this;
    let span = 1;
    if (this.stages % 2 === 1) {
      for (let a = 0; a < half; a += 2) {
        const b = a + 1;
        const tr = re[b]!, ti = im[b]!;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
      span = 2;
    }
    for (; span < half; span *= 4) {
      const step = half / (4 * span);
      for (let k = 0; k < span; k++) {
        // Twiddles W^k, W^2k, W^3k of the merged stage (W = exp(-2 pi i / (4 span))).
        const w1r = cos[k * step]!, w1i = sin[k * step]!;
        const w2r = cos[2 * k * step]!, w2i = sin[2 * k * step]!;
        const w3r = cos[3 * k * step]!, w3i = sin[3 * k * step]!;
        for (let a0 = k; a0 < half; a0 += 4 * span) {
          const a1 = a0 + span, a2 = a1 + span, a3 = a2 + span;
          const Ar = re[a0]!, Ai = im[a0]!;
          // In bit-reversed order the W^2k input sits one span in, the W^k input two spans in.
          const Br = w2r * re[a1]! - w2i * im[a1]!, Bi = w2r * im[a1]! + w2i * re[a1]!;
          const Cr = w1r * re[a2]! - w1i * im[a2]!, Ci = w1r * im[a2]! + w1i * re[a2]!;
          const Dr = w3r * re[a3]! - w3i * im[a3]!, Di = w3r * im[a3]! + w3i * re[a3]!;
          const sABr = Ar + Br, sABi = Ai + Bi, dABr = Ar - Br, dABi = Ai - Bi;
          const sCDr = Cr + Dr, sCDi = Ci + Di, dCDr = Cr - Dr, dCDi = Ci - Di;
          re[a0] = sABr + sCDr;
          im[a0] = sABi + sCDi;
          re[a2] = sABr - sCDr;
          im[a2] = sABi - sCDi;
          // -i (C - D) = (dCDi, -dCDr)
          re[a1] = dABr + dCDi;
          im[a1] = dABi - dCDr;
          re[a3] = dABr - dCDi;
          im[a3] = dABi + dCDr;
        }
      }
    }
  }
}
