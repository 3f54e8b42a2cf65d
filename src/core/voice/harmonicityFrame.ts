/**
 * One frame of Praat's "To Harmonicity (cc)": a forward cross-correlation pitch analysis (window of
 * `periodsPerWindow` periods of the floor, here 1) whose best candidate's correlation r becomes the
 * harmonics-to-noise ratio 10 log10(r / (1 - r)). Praat runs its pitch path finder with every cost at zero
 * and a ceiling at the Nyquist frequency, so each frame simply takes its strongest candidate unless the
 * frame is quiet enough (silence threshold) to be called unvoiced; that last decision needs the recording's
 * global peak and is made when the track is finished (harmonicityDb below).
 */
import { RealFft } from './realFft';
import { improveMaximum, interpolateSinc, SINC30, SINC700 } from './sincInterpolation';

/** Praat's candidate limit for the harmonicity analysis (the unvoiced candidate takes one place). */
const MAX_CANDIDATES = 15;
/**
 * Only candidates whose sinc30 estimate is this close to the best estimate are refined by the (slow) sinc700
 * search: refinement moves a strength by a few thousandths, so a weaker one cannot overtake the best.
 */
const REFINE_MARGIN = 0.02;

export class HarmonicityAnalysis {
  /** The last frame's refined correlation of its best voiced candidate; 0 when there is none. */
  bestStrength = 0;
  /** The last frame's largest absolute deviation from the local mean over the centred window. */
  localPeak = 0;
  /** Samples needed left and right of the frame's centre sample. */
  readonly reachLeft: number;
  readonly reachRight: number;
  private readonly sampleRate: number;
  private readonly periodSamples: number;
  private readonly windowSamples: number;
  private readonly halfWindow: number;
  private readonly maximumLag: number;
  private readonly startOffset: number;
  private readonly fft: RealFft;
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly xRe: Float64Array;
  private readonly xIm: Float64Array;
  private readonly yRe: Float64Array;
  private readonly yIm: Float64Array;
  private readonly products: Float64Array;
  private readonly r: Float64Array;
  private readonly candidateStrength = new Float64Array(MAX_CANDIDATES);
  private readonly candidateLag = new Int32Array(MAX_CANDIDATES);

  constructor(sampleRate: number, floorHz: number, periodsPerWindow = 1) {
    this.sampleRate = sampleRate;
    this.periodSamples = Math.floor(sampleRate / floorHz);
    const windowDuration = periodsPerWindow / floorHz;
    this.halfWindow = Math.floor(Math.floor(windowDuration * sampleRate) / 2) - 1;
    if (this.halfWindow < 2) throw new Error('voice analysis: the harmonicity window is too short for this sample rate');
    this.windowSamples = 2 * this.halfWindow;
    this.maximumLag = Math.min(Math.floor(this.windowSamples / periodsPerWindow) + 2, this.windowSamples);
    // The cross-correlation starts half of (one longest period + the window) before the frame's centre.
    this.startOffset = Math.floor(0.5 - 0.5 * (1 / floorHz + windowDuration) * sampleRate);
    const span = this.maximumLag + this.windowSamples;
    this.reachLeft = Math.max(-this.startOffset, this.periodSamples - 1, this.halfWindow - 1);
    this.reachRight = Math.max(this.startOffset + span - 1, this.periodSamples, this.halfWindow);
    let fftSize = 4;
    while (fftSize < span) fftSize *= 2;
    this.fft = new RealFft(fftSize);
    this.x = new Float64Array(fftSize);
    this.y = new Float64Array(fftSize);
    this.xRe = new Float64Array(fftSize / 2 + 1);
    this.xIm = new Float64Array(fftSize / 2 + 1);
    this.yRe = new Float64Array(fftSize / 2 + 1);
    this.yIm = new Float64Array(fftSize / 2 + 1);
    this.products = new Float64Array(fftSize);
    this.r = new Float64Array(2 * this.windowSamples + 1);
  }

  /**
   * The frame centred between `signal[centre]` and `signal[centre + 1]`. `skipBelowPeak`: a local peak under
   * this is certainly unvoiced (below a tenth of the global peak), so the correlation is not computed.
   */
  analyze(signal: Float32Array, centre: number, skipBelowPeak: number): void {
    let mean = 0;
    for (let i = centre + 1 - this.periodSamples; i <= centre + this.periodSamples; i++) mean += signal[i]!;
    mean /= 2 * this.periodSamples;
    let localPeak = 0;
    for (let i = centre + 1 - this.halfWindow; i <= centre + this.halfWindow; i++) {
      const v = Math.abs(signal[i]! - mean);
      if (v > localPeak) localPeak = v;
    }
    this.localPeak = localPeak;
    this.bestStrength = 0;
    if (localPeak === 0 || localPeak < skipBelowPeak) return;
    this.fillCorrelation(signal, centre + this.startOffset, mean);
    this.bestStrength = this.bestCandidateStrength();
  }

  /**
   * r(lag) = sum x(j) y(j + lag) / sqrt(sum x^2 * sum of y^2 under the shifted window), mirrored to negative
   * lags; the products come from one FFT cross-correlation (the padding is long enough not to wrap).
   */
  private fillCorrelation(signal: Float32Array, start: number, mean: number): void {
    const { x, y, r, windowSamples: n, maximumLag, fft } = this;
    x.fill(0);
    y.fill(0);
    const span = maximumLag + n;
    let sumX2 = 0;
    for (let i = 0; i < span; i++) {
      const v = signal[start + i]! - mean;
      y[i] = v;
      if (i < n) {
        x[i] = v;
        sumX2 += v * v;
      }
    }
    const { xRe, xIm, yRe, yIm, products } = this;
    fft.forward(x, xRe, xIm);
    fft.forward(y, yRe, yIm);
    for (let k = 0; k < xRe.length; k++) {
      const ar = xRe[k]!, ai = xIm[k]!, br = yRe[k]!, bi = yIm[k]!;
      xRe[k] = ar * br + ai * bi;
      xIm[k] = ar * bi - ai * br;
    }
    fft.inverse(xRe, xIm, products);
    const scale = 1 / fft.size;
    let sumY2 = sumX2;
    const lagsKept = Math.min(maximumLag, n);
    r.fill(0);
    r[n] = 1;
    for (let lag = 1; lag <= lagsKept; lag++) {
      const y0 = y[lag - 1]!, yEnd = y[lag - 1 + n]!;
      sumY2 += yEnd * yEnd - y0 * y0;
      const denominator = Math.sqrt(sumX2 * sumY2);
      const value = denominator > 0 ? (products[lag]! * scale) / denominator : 0;
      r[n + lag] = value;
      r[n - lag] = value;
    }
  }

  /** The strongest maximum (voicing threshold and octave cost are 0 here), refined by sinc700 (Praat's cc "accurate"). */
  private bestCandidateStrength(): number {
    const { r, windowSamples: n, candidateStrength, candidateLag } = this;
    const last = Math.min(this.maximumLag, n);
    let count = 0;
    for (let lag = 2; lag < last; lag++) {
      const here = r[n + lag]!, before = r[n + lag - 1]!, after = r[n + lag + 1]!;
      if (!(here > 0 && here > before && here >= after)) continue;
      const dr = 0.5 * (after - before), d2r = 2 * here - before - after;
      let strength = interpolateSinc(r, lag + dr / d2r + n, SINC30);
      if (strength > 1) strength = 1 / strength;
      if (count < MAX_CANDIDATES - 1) {
        candidateStrength[count] = strength;
        candidateLag[count] = lag;
        count++;
        continue;
      }
      let weakest = 0;
      for (let c = 1; c < count; c++) if (candidateStrength[c]! < candidateStrength[weakest]!) weakest = c;
      if (strength > candidateStrength[weakest]!) {
        candidateStrength[weakest] = strength;
        candidateLag[weakest] = lag;
      }
    }
    let bestEstimate = 0;
    for (let c = 0; c < count; c++) bestEstimate = Math.max(bestEstimate, candidateStrength[c]!);
    let best = 0;
    for (let c = 0; c < count; c++) {
      if (candidateStrength[c]! < bestEstimate - REFINE_MARGIN) continue;
      const refined = improveMaximum(r, candidateLag[c]! + n, SINC700);
      // A maximum refined below lag 2 lies at or above the Nyquist ceiling: voiceless to Praat's path finder.
      if (refined.x - n <= 2) continue;
      const strength = refined.value > 1 ? 1 / refined.value : refined.value;
      if (strength > best) best = strength;
    }
    return best;
  }
}

/** Praat's harmonicity of a frame from its best strength and local peak, or NaN where unvoiced (-200 dB in Praat). */
export function harmonicityDb(bestStrength: number, localPeak: number, globalPeak: number, silenceThreshold: number): number {
  if (globalPeak <= 0 || bestStrength <= 0) return NaN;
  const intensity = localPeak > globalPeak ? 1 : localPeak / globalPeak;
  const unvoicedStrength = Math.max(0, 2 - intensity / silenceThreshold);
  if (!(bestStrength > unvoicedStrength)) return NaN;
  const r = bestStrength;
  if (r <= 1e-15) return -150;
  if (r > 1 - 1e-15) return 150;
  return 10 * Math.log10(r / (1 - r));
}
