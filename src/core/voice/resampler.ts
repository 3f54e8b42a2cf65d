/**
 * Streams audio from one sample rate to another (48 or 44.1 kHz to 16 kHz), so the voice worker can measure the
 * voice at the recording's own rate, as Praat does, and still give Silero VAD the 16 kHz it was trained on, from
 * one read of the file. Band-limited interpolation: output sample j is the input read at time j / outRate
 * through a Blackman-windowed sinc low-pass (cut-off at 94 % of the lower Nyquist frequency, 16 zero crossings
 * each side: stop band below -70 dB), tabulated finely and interpolated linearly; no delay. Our own few lines:
 * the npm resamplers work on whole buffers or bring WebAssembly, where a voice activity model needs only this.
 */
const ZERO_CROSSINGS = 16;
const CUTOFF_SHARE = 0.94;
/** Kernel table entries per input sample. */
const TABLE_STEPS = 512;
/** Weights are kept per phase (where between two input samples an output falls) up to this many phases. */
const MAX_CACHED_PHASES = 4096;

export class Resampler {
  /** Kernel half-width, in input samples. */
  private readonly half: number;
  private readonly table: Float32Array;
  private readonly gain: number;
  /** Output j falls `(j inRate mod outRate) / outRate` past an input sample: its phase, of outRate / gcd. */
  private readonly phases: (Float32Array | undefined)[];
  private pending = new Float32Array(0);
  /** Input index of pending[0]. */
  private base = 0;
  private received = 0;
  /** Index of the next output sample. */
  private next = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
  ) {
    if (!(inRate > 0 && outRate > 0)) throw new Error(`Resampler: rates ${inRate} and ${outRate} must be positive`);
    // The cut-off in cycles per input sample; the kernel spans ZERO_CROSSINGS of it on each side.
    const cutoff = (CUTOFF_SHARE * Math.min(inRate, outRate)) / 2 / inRate;
    this.half = Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
    this.table = new Float32Array(this.half * TABLE_STEPS + 2);
    for (let i = 0; i < this.table.length; i++) {
      const d = i / TABLE_STEPS;
      const sinc = d === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * d) / (Math.PI * d);
      const x = Math.min(1, d / this.half);
      this.table[i] = sinc * (0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x));
    }
    // Unit gain at DC: the kernel's sum over whole-sample offsets.
    let sum = this.kernel(0);
    for (let n = 1; n <= this.half; n++) sum += 2 * this.kernel(n);
    this.gain = 1 / sum;
    const phases = outRate / gcd(Math.round(inRate), Math.round(outRate));
    this.phases = new Array<Float32Array | undefined>(Number.isInteger(phases) && phases <= MAX_CACHED_PHASES ? phases : 0);
  }

  /** The output samples these inputs complete (a kernel's half-width of input is held back for the next ones). */
  push(samples: Float32Array): Float32Array {
    if (this.inRate === this.outRate) return samples;
    this.received += samples.length;
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    this.pending = joined;
    return this.drain(this.received);
  }

  /** The remaining output samples (the input's end padded with silence): ceil(inputs x outRate / inRate) in all. */
  finish(): Float32Array {
    if (this.inRate === this.outRate) return new Float32Array(0);
    return this.drain(this.received + this.half + 2);
  }

  private kernel(distance: number): number {
    const at = Math.abs(distance) * TABLE_STEPS;
    const i = Math.floor(at);
    if (i >= this.table.length - 1) return 0;
    return this.table[i]! + (at - i) * (this.table[i + 1]! - this.table[i]!);
  }

  /** The weights of inputs floor(p) - half .. floor(p) + half + 1 for an output at input position p. */
  private weightsAt(offset: number, fraction: number): Float32Array {
    const cached = this.phases.length > 0 ? this.phases[offset] : undefined;
    if (cached) return cached;
    const weights = new Float32Array(2 * this.half + 2);
    for (let k = 0; k < weights.length; k++) weights[k] = this.kernel(fraction + this.half - k) * this.gain;
    if (this.phases.length > 0) this.phases[offset] = weights;
    return weights;
  }

  /**
   * Every output whose kernel ends before input index `available`, inputs past the end counting as zero. An
   * output whose kernel covers only zero samples is 0 without the sum (digital silence: the sum would be +0 too).
   */
  private drain(available: number): Float32Array {
    const total = Math.ceil((this.received * this.outRate) / this.inRate - 1e-9);
    const out = new Float32Array(Math.max(0, total - this.next));
    const nonZero = nonZeroCounts(this.pending);
    let count = 0;
    for (; this.next < total; this.next++) {
      const scaled = this.next * this.inRate;
      const whole = Math.floor(scaled / this.outRate);
      if (whole + this.half + 1 >= available) break;
      const remainder = scaled - whole * this.outRate;
      const weights = this.weightsAt(Math.round((remainder * this.phases.length) / this.outRate), remainder / this.outRate);
      const first = whole - this.half - this.base;
      const from = Math.max(0, -first);
      const to = Math.min(weights.length, this.pending.length - first);
      let sum = 0;
      if (to > from && nonZero[first + to]! > nonZero[first + from]!) {
        for (let k = from; k < to; k++) sum += this.pending[first + k]! * weights[k]!;
      }
      out[count++] = sum;
    }
    const keepFrom = Math.max(0, Math.floor((this.next * this.inRate) / this.outRate) - this.half - this.base);
    if (keepFrom > 0) {
      this.pending = this.pending.slice(Math.min(keepFrom, this.pending.length));
      this.base += keepFrom;
    }
    return count === out.length ? out : out.slice(0, count);
  }
}

/** counts[i]: how many of samples[0..i) are not zero (a kernel's span is all zero when two counts are equal). */
function nonZeroCounts(samples: Float32Array): Uint32Array {
  const counts = new Uint32Array(samples.length + 1);
  for (let i = 0; i < samples.length; i++) counts[i + 1] = counts[i]! + (samples[i] !== 0 ? 1 : 0);
  return counts;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
