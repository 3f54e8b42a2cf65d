/**
 * Streams audio down by a whole factor (48 kHz to 16 kHz: every 3rd sample of a low-passed copy), so the voice
 * worker can measure the voice at the recording's own rate and still give Silero VAD the 16 kHz it was
 * trained on, from one read of the file. A windowed-sinc low-pass (Blackman window, 32 taps per output
 * sample, cut-off at 94 % of the new Nyquist frequency: stop band below -70 dB) centred on each kept sample,
 * so output sample j is at input sample j x factor, with no delay. Our own few lines: the npm resamplers are
 * for whole buffers or arbitrary ratios and bring WebAssembly, where a VAD needs only this.
 */
const TAPS_PER_OUTPUT = 32;
const CUTOFF_SHARE = 0.94;

export class Decimator {
  private readonly taps: Float32Array;
  private readonly half: number;
  /** Input samples from index `base` on (earlier ones are no longer needed). */
  private pending = new Float32Array(0);
  private base = 0;
  private received = 0;
  /** Index of the next output sample. */
  private next = 0;

  constructor(readonly factor: number) {
    if (!Number.isInteger(factor) || factor < 1) throw new Error(`Decimator: factor ${factor} is not a whole number from 1`);
    this.half = factor === 1 ? 0 : (TAPS_PER_OUTPUT * factor) / 2;
    this.taps = lowPass(2 * this.half + 1, CUTOFF_SHARE / (2 * factor));
  }

  /** The output samples these inputs complete (a filter's half length of input is held back for the next ones). */
  push(samples: Float32Array): Float32Array {
    if (this.factor === 1) return samples;
    this.received += samples.length;
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    this.pending = joined;
    return this.drain(this.received);
  }

  /** The remaining output samples (the input's end padded with silence): ceil(inputs / factor) in all. */
  finish(): Float32Array {
    if (this.factor === 1) return new Float32Array(0);
    return this.drain(this.received + this.half);
  }

  /** Every output whose window ends before input index `available`, treating inputs past the end as zero. */
  private drain(available: number): Float32Array {
    const last = Math.min(Math.floor((available - 1 - this.half) / this.factor), Math.ceil(this.received / this.factor) - 1);
    const out = new Float32Array(Math.max(0, last - this.next + 1));
    for (let o = 0; o < out.length; o++, this.next++) {
      const centre = this.next * this.factor;
      let sum = 0;
      for (let k = 0; k < this.taps.length; k++) {
        const i = centre - this.half + k - this.base;
        if (i >= 0 && i < this.pending.length) sum += this.taps[k]! * this.pending[i]!;
      }
      out[o] = sum;
    }
    const keepFrom = this.next * this.factor - this.half - this.base;
    if (keepFrom > 0) {
      this.pending = this.pending.slice(Math.min(keepFrom, this.pending.length));
      this.base += keepFrom;
    }
    return out;
  }
}

/** A Blackman-windowed sinc low-pass of `length` taps (odd), cut-off `cutoff` in cycles per sample, unit gain at DC. */
function lowPass(length: number, cutoff: number): Float32Array {
  const taps = new Float64Array(length);
  const middle = (length - 1) / 2;
  let sum = 0;
  for (let k = 0; k < length; k++) {
    const x = k - middle;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const window = length === 1 ? 1 : 0.42 - 0.5 * Math.cos((2 * Math.PI * k) / (length - 1)) + 0.08 * Math.cos((4 * Math.PI * k) / (length - 1));
    taps[k] = sinc * window;
    sum += taps[k]!;
  }
  return Float32Array.from(taps, (t) => t / sum);
}
