/**
 * Praat's "To Intensity" for one frame: the mean-subtracted sound squared under a Kaiser-Bessel window of
 * 6.4 periods of the pitch floor (long enough that the pitch's own periodicity does not ripple the
 * contour), in dB re the hearing threshold with sample values read as pascals (Praat's convention: a
 * full-scale sine, 0.707 Pa RMS, is 91 dB).
 */

/** Praat: 3.2 periods are needed for a reliable pitch; the physical window is twice that. */
const WINDOW_PERIODS = 6.4;
const HEARING_THRESHOLD_PA2 = 2e-5 * 2e-5;

export class IntensityAnalysis {
  /** Samples each side of the window's centre sample. */
  readonly halfWindow: number;
  private readonly window: Float64Array;

  constructor(sampleRate: number, floorHz: number) {
    const halfDuration = (0.5 * WINDOW_PERIODS) / floorHz;
    this.halfWindow = Math.floor(halfDuration * sampleRate);
    const size = 2 * this.halfWindow + 1;
    this.window = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const x = (i - this.halfWindow) / sampleRate / halfDuration;
      const root = Math.sqrt(Math.max(0, 1 - x * x));
      this.window[i] = besselI0((2 * Math.PI * Math.PI + 0.5) * root);
    }
  }

  /**
   * Intensity (dB) of the window centred on sample `centre` of `signal`, whose valid samples are
   * [first, last]: a window reaching past them is cut, as Praat does at a recording's edges.
   */
  analyze(signal: Float32Array, centre: number, first: number, last: number): number {
    const from = Math.max(first, centre - this.halfWindow);
    const to = Math.min(last, centre + this.halfWindow);
    if (to < from) return NaN;
    // Praat subtracts the plain mean of the samples under the window ("subtract mean": yes); one pass gathers
    // what sum w (x - mean)^2 = sum w x^2 - 2 mean sum w x + mean^2 sum w needs, with x taken relative to the
    // centre sample so a constant offset cancels exactly instead of leaving rounding noise.
    let sum = 0, sumW = 0, sumWX = 0, sumWX2 = 0;
    const offset = this.halfWindow - centre;
    const reference = signal[Math.min(Math.max(centre, from), to)]!;
    for (let i = from; i <= to; i++) {
      const w = this.window[i + offset]!;
      const v = signal[i]! - reference;
      sum += v;
      sumW += w;
      sumWX += w * v;
      sumWX2 += w * v * v;
    }
    const mean = sum / (to - from + 1);
    const sumXW = Math.max(0, sumWX2 - 2 * mean * sumWX + mean * mean * sumW);
    const relative = sumXW / sumW / HEARING_THRESHOLD_PA2;
    return relative < 1e-30 ? -300 : 10 * Math.log10(relative);
  }
}

/** The modified Bessel function of the first kind, order 0, by its power series (exact to double precision here). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1, sum = 1;
  for (let k = 1; k < 500 && term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}
