/**
 * Loudness in sones from a frame's power spectrum, after Zwicker: the spectrum is summed into critical bands
 * of one Bark (Praat's Hertz-to-Bark formula), spread over the other bands with Terhardt's slopes (27 dB per
 * Bark downwards; upwards 24 dB less 0.2 dB per dB of level, the upward spread of masking that makes a loud
 * tone's loudness double per 10 dB), and each band's excitation E turned into specific loudness
 * N' = 0.08 (E_TQ / E0)^0.23 ((0.5 + 0.5 E / E_TQ)^0.23 - 1) sone/Bark (Zwicker & Fastl, Psychoacoustics,
 * eq. 8.7; E_TQ the threshold in quiet, Terhardt's formula), then N = sum of N' over the bands, scaled so a
 * 1 kHz tone at 40 dB SPL is 1 sone (the definition of the sone). Sample values are pascals, as in Praat.
 *
 * Hand-written rather than meyda's `loudness` (npm, checked): meyda sums amplitude (not power) spectra into
 * 24 bands of equal Bark width up to the Nyquist frequency, with no threshold in quiet, no spreading and no
 * calibration, so its numbers depend on the FFT size and the sample rate and are not sones; and it pulls in
 * a CLI's dependencies. Here the frame's spectrum already exists (the pitch analysis computed it), so this
 * costs a few hundred additions per frame.
 */

const REFERENCE_PA2 = 2e-5 * 2e-5;

export function hertzToBark(hertz: number): number {
  const h = hertz / 650;
  return 7 * Math.log(h + Math.sqrt(1 + h * h));
}

export function barkToHertz(bark: number): number {
  return 650 * Math.sinh(bark / 7);
}

/** Terhardt's threshold in quiet, dB SPL. */
function thresholdInQuietDb(hertz: number): number {
  const k = Math.max(hertz, 20) / 1000;
  return 3.64 * Math.pow(k, -0.8) - 6.5 * Math.exp(-0.6 * (k - 3.3) * (k - 3.3)) + 1e-3 * Math.pow(k, 4);
}

/** Terhardt's excitation slopes: 27 dB per Bark towards lower bands; towards higher ones 24 dB + 0.23 / kHz less 0.2 dB per dB of level. */
const LOWER_SLOPE_DB = 27;
function upperSlopeDb(hertz: number, levelDb: number): number {
  return Math.max(0, 24 + 0.23 / (Math.max(hertz, 20) / 1000) - 0.2 * levelDb);
}

export class LoudnessMeter {
  private readonly bandOfBin: Int32Array;
  private readonly bands: number;
  private readonly centreHz: Float64Array;
  private readonly lowerFactor = Math.pow(10, -LOWER_SLOPE_DB / 10);
  private readonly excitation: Float64Array;
  /** Threshold in quiet per band, as a power ratio re (20 uPa)^2. */
  private readonly threshold: Float64Array;
  private readonly thresholdFactor: Float64Array;
  private readonly bandPower: Float64Array;
  private readonly scale: number;

  /** `fftSize` bins of `sampleRate`; `windowEnergy` = sum of the squared analysis window. */
  private readonly fftSize: number;
  private readonly windowEnergy: number;

  constructor(sampleRate: number, fftSize: number, windowEnergy: number) {
    this.fftSize = fftSize;
    this.windowEnergy = windowEnergy;
    const bins = fftSize / 2 + 1;
    this.bands = Math.max(1, Math.ceil(hertzToBark(sampleRate / 2)));
    this.bandOfBin = new Int32Array(bins);
    for (let k = 0; k < bins; k++) this.bandOfBin[k] = Math.min(this.bands - 1, Math.floor(hertzToBark((k * sampleRate) / fftSize)));
    this.centreHz = new Float64Array(this.bands);
    for (let z = 0; z < this.bands; z++) this.centreHz[z] = barkToHertz(z + 0.5);
    this.excitation = new Float64Array(this.bands);
    this.threshold = new Float64Array(this.bands);
    this.thresholdFactor = new Float64Array(this.bands);
    for (let z = 0; z < this.bands; z++) {
      const tq = Math.pow(10, thresholdInQuietDb(this.centreHz[z]!) / 10);
      this.threshold[z] = tq;
      this.thresholdFactor[z] = Math.pow(tq, 0.23);
    }
    this.bandPower = new Float64Array(this.bands);
    this.scale = 1 / this.unscaledToneLoudness(1000, 40);
  }

  /** Loudness (sones) of a frame whose power spectrum |X(k)|^2, k = 0..fftSize/2, is `power`. */
  measure(power: Float64Array): number {
    const { bandPower, bandOfBin, fftSize, windowEnergy } = this;
    bandPower.fill(0);
    // One-sided mean-square pressure per bin: Parseval over the window's energy.
    const norm = 1 / (fftSize * windowEnergy * REFERENCE_PA2);
    const last = fftSize / 2;
    for (let k = 0; k <= last; k++) bandPower[bandOfBin[k]!]! += (k === 0 || k === last ? 1 : 2) * power[k]! * norm;
    return this.scale * this.loudnessOfBands(bandPower);
  }

  /** Critical bands (one Bark each, up to the Nyquist frequency). */
  get bandCount(): number {
    return this.bands;
  }

  /** The last measured frame's mean-square pressure per critical band, re (20 uPa)^2: its spectral shape (a voice print). */
  get lastBandPower(): Float64Array {
    return this.bandPower;
  }

  /** Zwicker's sum of specific loudness over the excitation pattern the bands spread into. */
  private loudnessOfBands(bandPower: Float64Array): number {
    const { bands, threshold, thresholdFactor, excitation, lowerFactor } = this;
    excitation.fill(0);
    for (let source = 0; source < bands; source++) {
      const p = bandPower[source]!;
      if (!(p > 0)) continue;
      excitation[source]! += p;
      // Each band further away is attenuated by the slope once more: one power per source band, not per pair.
      let below = p;
      for (let z = source - 1; z >= 0; z--) {
        below *= lowerFactor;
        excitation[z]! += below;
      }
      const upperFactor = Math.pow(10, -upperSlopeDb(this.centreHz[source]!, 10 * Math.log10(p)) / 10);
      let above = p;
      for (let z = source + 1; z < bands; z++) {
        above *= upperFactor;
        excitation[z]! += above;
      }
    }
    let total = 0;
    for (let z = 0; z < bands; z++) {
      const specific = 0.08 * thresholdFactor[z]! * (Math.pow(0.5 + (0.5 * excitation[z]!) / threshold[z]!, 0.23) - 1);
      if (specific > 0) total += specific;
    }
    return total;
  }

  /** The loudness of a pure tone of `levelDb` SPL before scaling (all its power in its band). */
  private unscaledToneLoudness(hertz: number, levelDb: number): number {
    const bandPower = new Float64Array(this.bands);
    bandPower[Math.min(this.bands - 1, Math.floor(hertzToBark(hertz)))] = Math.pow(10, levelDb / 10);
    return this.loudnessOfBands(bandPower);
  }
}
