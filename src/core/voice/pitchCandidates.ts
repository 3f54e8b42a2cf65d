/**
 * One frame of Praat's autocorrelation pitch analysis ("To Pitch (ac)", Boersma 1993): a Hanning window of
 * three periods of the pitch floor, the frame's autocorrelation divided by the window's own (which undoes
 * the window's taper, so a periodic signal scores near 1 at its period), and the strongest maxima as pitch
 * candidates, each refined by sin(x)/x interpolation. The path through the candidates is chosen later
 * (pitchPath.ts), once the whole neighbourhood is known.
 */
import { RealFft } from './realFft';
import { improveMaximum, interpolateSinc, SINC30, SINC70, SINC700 } from './sincInterpolation';

export interface PitchSettings {
  sampleRate: number;
  floorHz: number;
  ceilingHz: number;
  /** Praat's "voicing threshold" (0.45): maxima below half of it are no candidates. */
  voicingThreshold: number;
  /** Praat's "octave cost" (0.01 per octave), used here only to decide which candidates to keep. */
  octaveCost: number;
  /** Praat's "max. number of candidates" (15), the unvoiced one included. */
  maxCandidates: number;
}

/** A frame's candidates: index 0 is always the unvoiced one (frequency 0). */
export class PitchCandidates {
  count = 1;
  readonly frequency: Float64Array;
  readonly strength: Float64Array;
  /** Largest absolute deviation from the local mean within half a longest period of the centre. */
  localPeak = 0;
  constructor(maxCandidates: number) {
    this.frequency = new Float64Array(maxCandidates);
    this.strength = new Float64Array(maxCandidates);
  }
}

/** Praat's periods per window for the Hanning-windowed autocorrelation method. */
const PERIODS_PER_WINDOW = 3;
/** How far (in units of the window) the autocorrelation is kept for interpolation (Praat: 0.5 for Hanning). */
const INTERPOLATION_DEPTH = 0.5;

export class AutocorrelationPitch {
  readonly settings: PitchSettings;
  /** Samples of the window to each side of the frame's centre (the window holds 2 * halfWindow samples). */
  readonly halfWindow: number;
  /** Samples in the longest period (1 / floor): the local mean looks this far to both sides. */
  readonly periodSamples: number;
  /** The power spectrum of the last analysed frame (mean removed, Hanning windowed), bins 0..fftSize/2. */
  readonly power: Float64Array;
  readonly fftSize: number;
  /** Sum of the squared window, to turn `power` into mean-square sound pressure. */
  readonly windowEnergy: number;
  private readonly windowSamples: number;
  private readonly halfPeriod: number;
  private readonly maximumLag: number;
  private readonly interpolationLags: number;
  private readonly window: Float64Array;
  private readonly windowAutocorrelation: Float64Array;
  private readonly fft: RealFft;
  private readonly frame: Float64Array;
  private readonly autocorrelation: Float64Array;
  /** r[-lags..lags] stored at index lag + interpolationLags, symmetric, for interpolation across lag 0. */
  private readonly r: Float64Array;
  private readonly candidateLag: Int32Array;
  private readonly ceiling: number;

  constructor(settings: PitchSettings) {
    this.settings = settings;
    const { sampleRate, floorHz } = settings;
    this.ceiling = Math.min(settings.ceilingHz, 0.5 * sampleRate);
    this.periodSamples = Math.floor(sampleRate / floorHz);
    this.halfPeriod = Math.floor(this.periodSamples / 2) + 1;
    // Praat rounds the window down to an even number of samples centred between two samples.
    this.halfWindow = Math.floor(Math.floor((PERIODS_PER_WINDOW / floorHz) * sampleRate) / 2) - 1;
    if (this.halfWindow < 2) throw new Error('voice analysis: the pitch window is too short for this sample rate');
    this.windowSamples = 2 * this.halfWindow;
    this.maximumLag = Math.min(Math.floor(this.windowSamples / PERIODS_PER_WINDOW) + 2, this.windowSamples);
    this.interpolationLags = Math.floor(this.windowSamples * INTERPOLATION_DEPTH);
    let fftSize = 1;
    while (fftSize < this.windowSamples * (1 + INTERPOLATION_DEPTH)) fftSize *= 2;
    this.fftSize = fftSize;
    this.fft = new RealFft(fftSize);
    this.frame = new Float64Array(fftSize);
    this.power = new Float64Array(fftSize / 2 + 1);
    this.autocorrelation = new Float64Array(fftSize);
    this.window = new Float64Array(this.windowSamples);
    let energy = 0;
    for (let j = 0; j < this.windowSamples; j++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (j + 1)) / (this.windowSamples + 1));
      this.window[j] = w;
      energy += w * w;
    }
    this.windowEnergy = energy;
    this.windowAutocorrelation = this.normalisedWindowAutocorrelation();
    this.r = new Float64Array(2 * this.interpolationLags + 1);
    this.candidateLag = new Int32Array(settings.maxCandidates);
  }

  /**
   * Analyses the frame centred between `signal[centre]` and `signal[centre + 1]`; the caller guarantees
   * samples centre - halfWindow + 1 .. centre + halfWindow (and the local mean's span) exist. A local peak
   * below `candidatesFromPeak` leaves only the unvoiced candidate (the path could not use any other).
   */
  analyze(signal: Float32Array, centre: number, out: PitchCandidates, candidatesFromPeak = 0): void {
    const { halfWindow, windowSamples, frame, window } = this;
    // Subtract the local mean (one longest period to both sides) so DC cannot look like periodicity.
    let mean = 0;
    for (let i = centre + 1 - this.periodSamples; i <= centre + this.periodSamples; i++) mean += signal[i]!;
    mean /= 2 * this.periodSamples;
    const start = centre + 1 - halfWindow;
    for (let j = 0; j < windowSamples; j++) frame[j] = (signal[start + j]! - mean) * window[j]!;
    frame.fill(0, windowSamples);
    // The local peak (half a longest period around the centre) decides later how silent the frame is.
    let localPeak = 0;
    const peakFrom = Math.max(0, halfWindow - this.halfPeriod);
    const peakTo = Math.min(windowSamples - 1, halfWindow + this.halfPeriod - 1);
    for (let j = peakFrom; j <= peakTo; j++) {
      const v = Math.abs(frame[j]!);
      if (v > localPeak) localPeak = v;
    }
    out.localPeak = localPeak;
    out.count = 1;
    out.frequency[0] = 0;
    out.strength[0] = 0;
    this.fft.powerSpectrum(frame, this.power);
    if (localPeak === 0 || localPeak < candidatesFromPeak) return;
    this.fillNormalisedAutocorrelation();
    this.collectCandidates(out);
    this.refineCandidates(out);
  }

  /** r(lag) = ac(lag) / (ac(0) * window's normalised ac(lag)), mirrored to negative lags. */
  private fillNormalisedAutocorrelation(): void {
    const { autocorrelation: ac, r, interpolationLags: lags } = this;
    this.fft.inverseOfRealSpectrum(this.power, ac);
    const ac0 = ac[0]!;
    r[lags] = 1;
    for (let lag = 1; lag <= lags; lag++) {
      const value = ac[lag]! / (ac0 * this.windowAutocorrelation[lag]!);
      r[lags + lag] = value;
      r[lags - lag] = value;
    }
  }

  /**
   * Local maxima above half the voicing threshold become candidates (parabolic frequency, sinc30 strength);
   * once the list is full a new maximum replaces the weakest if stronger, where strength is favoured a
   * little towards high frequencies (octave cost), as Praat does so a periodic signal is not halved.
   */
  private collectCandidates(out: PitchCandidates): void {
    const { r, interpolationLags: lags } = this;
    const { sampleRate, floorHz, octaveCost, voicingThreshold, maxCandidates } = this.settings;
    const last = Math.min(this.maximumLag, lags);
    for (let lag = 2; lag < last; lag++) {
      const here = r[lags + lag]!, before = r[lags + lag - 1]!, after = r[lags + lag + 1]!;
      if (!(here > 0.5 * voicingThreshold && here > before && here >= after)) continue;
      const dr = 0.5 * (after - before), d2r = 2 * here - before - after;
      const frequency = sampleRate / (lag + dr / d2r);
      let strength = interpolateSinc(r, sampleRate / frequency + lags, SINC30);
      if (strength > 1) strength = 1 / strength;
      let place = -1;
      if (out.count < maxCandidates) {
        place = out.count++;
      } else {
        let weakest = 2;
        for (let c = 1; c < maxCandidates; c++) {
          const local = out.strength[c]! - octaveCost * Math.log2(floorHz / out.frequency[c]!);
          if (local < weakest) {
            weakest = local;
            place = c;
          }
        }
        if (strength - octaveCost * Math.log2(floorHz / frequency) <= weakest) place = -1;
      }
      if (place >= 0) {
        out.frequency[place] = frequency;
        out.strength[place] = strength;
        this.candidateLag[place] = lag;
      }
    }
  }

  /**
   * Praat's second pass: the maximum of the sinc70-interpolated autocorrelation near each candidate (sinc700
   * above 0.3 times the sample rate). A candidate that stays above the ceiling even one lag further is
   * voiceless to the path finder whatever its strength, so it is left as it is (a speed-up with the same path).
   */
  private refineCandidates(out: PitchCandidates): void {
    const { sampleRate } = this.settings;
    for (let c = 1; c < out.count; c++) {
      const lag = this.candidateLag[c]!;
      if (sampleRate / (lag + 1) >= this.ceiling) continue;
      const depth = out.frequency[c]! > 0.3 * sampleRate ? SINC700 : SINC70;
      const best = improveMaximum(this.r, lag + this.interpolationLags, depth);
      out.frequency[c] = sampleRate / (best.x - this.interpolationLags);
      out.strength[c] = best.value > 1 ? 1 / best.value : best.value;
    }
  }

  /** The Hanning window's autocorrelation, normalised to 1 at lag 0, by the same FFT route as the frames. */
  private normalisedWindowAutocorrelation(): Float64Array {
    const padded = new Float64Array(this.fftSize);
    padded.set(this.window);
    const power = new Float64Array(this.fftSize / 2 + 1);
    this.fft.powerSpectrum(padded, power);
    const ac = new Float64Array(this.fftSize);
    this.fft.inverseOfRealSpectrum(power, ac);
    const result = new Float64Array(this.interpolationLags + 1);
    for (let lag = 0; lag <= this.interpolationLags; lag++) result[lag] = ac[lag]! / ac[0]!;
    return result;
  }
}
