/**
 * The voice, measured as Praat measures it, from a stream of samples: per 10 ms frame the F0 (autocorrelation
 * pitch with Praat's path finder), the intensity, a loudness and the harmonicity; and the glottal pulses with
 * their amplitudes, from which a span's jitter and shimmer follow (voiceSummary.ts). Pure computation: no
 * worker, no I/O.
 *
 * Streaming: each frame's analysis runs as soon as its windows are complete. Praat's silence tests compare a
 * frame with the recording's global peak, which a stream does not know yet; the pitch path therefore takes a
 * frame PEAK_LOOKAHEAD_SEC after the frame arrives, with the peak of everything up to then (the same as
 * Praat's unless the recording's loudest moment comes later than that), and the harmonicity's unvoiced
 * test, which needs nothing else, waits for the true peak at finish(). Pulses are found per voiced stretch
 * once the path has settled past it. What is held: the undecided part of the path and the samples it and
 * the pending windows need (about PEAK_LOOKAHEAD_SEC, bounded by the path's forced decisions and
 * MAX_STRETCH_SEC), plus the per-frame results, which grow.
 */
import { GrowableFloat32, GrowableFloat64 } from './growableArray';
import type { PitchContour, PulseState, SoundView } from './glottalPulses';
import { LONGEST_PERIOD, pulseAmplitude, pulsesInStretch } from './glottalPulses';
import { HarmonicityAnalysis, harmonicityDb } from './harmonicityFrame';
import { IntensityAnalysis } from './intensityFrame';
import { LoudnessMeter } from './loudness';
import { AutocorrelationPitch, PitchCandidates } from './pitchCandidates';
import { isVoiced, PitchPath, surelyUnvoicedBelow } from './pitchPath';

export interface VoiceTrack {
  /** Of the samples pushed (the engine pushes mono at the recording's own rate, at most 48 kHz). */
  sampleRate: number;
  /** 0.01. */
  frameStepSec: number;
  /** Time of frame 0's centre (sample n is at n / sampleRate). */
  firstFrameSec: number;
  /** Per frame; 0 = unvoiced (after Praat's path finding). */
  f0Hz: Float32Array;
  /** Per frame, dB (Praat's convention: sample values as Pa, a full-scale sine about 91 dB). */
  intensityDb: Float32Array;
  /** Per frame, sones (Zwicker-style, loudness.ts). */
  loudness: Float32Array;
  /** Critical bands per frame in `bandDb` (one Bark each, up to the Nyquist frequency); only with the `bandLevels` option. */
  bands?: number;
  /**
   * Per frame and critical band (frame-major), the level in dB SPL: the spectral envelope a voice print is made of.
   * Only with the `bandLevels` option: one float per band (24 at 16 kHz, 31 at 48 kHz) per 10 ms, 35-45 MB per hour.
   */
  bandDb?: Float32Array;
  /** Per frame, NaN where unvoiced or silent (Praat's Harmonicity cc, which writes -200 there). */
  hnrDb: Float32Array;
  /** Glottal pulse times (Praat's PointProcess periodic, cc), seconds. */
  periodTimes: Float64Array;
  /** Amplitude of each pulse as Praat's shimmer measures it (Hann-windowed RMS); NaN where Praat measures none. */
  periodPeaks: Float32Array;
}

export interface VoiceTrackerOptions {
  /** Default 75 Hz; also the floor of the harmonicity and intensity analyses, as in Praat's usual scripts. */
  pitchFloorHz?: number;
  /** Default 600 Hz. */
  pitchCeilingHz?: number;
  /**
   * How many samples the recording will have, when known beforehand (e.g. its probed duration times the
   * sample rate): frames are then laid out as Praat lays them out, centred in the recording, which makes our
   * frames Praat's frames (docs/voice.md: the agreement is then exact, not just close). Without it frame 0
   * is the first whose window starts at sample 0. A wrong guess only moves the frames by under 10 ms.
   */
  expectedSamples?: number;
  /** Keep each frame's critical-band levels (`bandDb`), which only voice prints use (who speaks). Default false. */
  bandLevels?: boolean;
}

const FRAME_STEP_SEC = 0.01;
/** Band powers are floored here (-60 dB SPL, far under hearing) so digital silence has a finite level. */
const BAND_POWER_FLOOR = 1e-6;
/** Praat's "To Pitch" defaults. */
const PITCH_DEFAULTS = { silenceThreshold: 0.03, voicingThreshold: 0.45, octaveCost: 0.01, octaveJumpCost: 0.35, voicedUnvoicedCost: 0.14, maxCandidates: 15 };
/** Praat's "To Harmonicity (cc): 0.01, 75, 0.1, 1.0": silence threshold 0.1, one period per window. */
const HARMONICITY_SILENCE_THRESHOLD = 0.1;
const PEAK_LOOKAHEAD_SEC = 2;
/** A voiced stretch longer than this has its pulses found in parts, so a sustained tone cannot hold all its samples. */
const MAX_STRETCH_SEC = 10;
/** Samples are dropped from the buffer's front once this many are no longer needed. */
const TRIM_SLACK_SEC = 1;

interface PeakSnapshot {
  /** Largest |x - mean| (Praat's pitch and harmonicity global peak). */
  peak: number;
  /** Largest |x| (Praat's pulse global peak). */
  absolutePeak: number;
}

/**
 * The sample just left of the centre of Praat's first frame over `samples` samples, for an analysis whose
 * window lasts `windowDuration`: Praat fits as many frames as the window allows and centres them in the
 * recording (Sampled_shortTermAnalysis).
 */
function praatFirstCentre(sampleRate: number, windowDuration: number, samples: number | undefined): number | undefined {
  if (samples === undefined || !(samples > 0)) return undefined;
  const duration = samples / sampleRate;
  if (windowDuration > duration) return undefined;
  const frames = Math.floor((duration - windowDuration) / FRAME_STEP_SEC) + 1;
  // Praat's time of the first frame, with its sample n at (n + 0.5) / sampleRate.
  const firstTime = 0.5 * duration - 0.5 * frames * FRAME_STEP_SEC + 0.5 * FRAME_STEP_SEC;
  return Math.floor(firstTime * sampleRate - 0.5);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

class RunningPeak {
  private count = 0;
  private sum = 0;
  private max = -Infinity;
  private min = Infinity;
  private absolute = 0;

  add(samples: Float32Array, from: number, to: number): void {
    let { sum, max, min, absolute } = this;
    for (let i = from; i < to; i++) {
      const v = samples[i]!;
      sum += v;
      if (v > max) max = v;
      if (v < min) min = v;
      const a = Math.abs(v);
      if (a > absolute) absolute = a;
    }
    Object.assign(this, { sum, max, min, absolute });
    this.count += to - from;
  }

  snapshot(): PeakSnapshot {
    if (this.count === 0) return { peak: 0, absolutePeak: 0 };
    const mean = this.sum / this.count;
    return { peak: Math.max(this.max - mean, mean - this.min), absolutePeak: this.absolute };
  }
}

export class VoiceTracker {
  private readonly sampleRate: number;
  private readonly floorHz: number;
  private readonly ceilingHz: number;
  private readonly pitch: AutocorrelationPitch;
  private readonly harmonicity: HarmonicityAnalysis;
  private readonly intensity: IntensityAnalysis;
  private readonly loudnessMeter: LoudnessMeter;
  private readonly path: PitchPath;
  private readonly firstCentre: number;
  private readonly stepSamples: number;
  private readonly harmonicityShift: number;
  private readonly reachLeft: number;
  private readonly reachRight: number;
  private readonly lookaheadSamples: number;
  private readonly maxStretchFrames: number;
  private readonly maxCandidates: number;
  private readonly unvoicedBelow: number;

  private buffer: Float32Array;
  /** Absolute number of buffer[0]. */
  private bufferOffset = 0;
  private received = 0;
  private finished = false;

  private readonly stats = new RunningPeak();
  /** Peak snapshots for frames advancedFrames.. (frame k's covers samples up to its centre + the lookahead). */
  private readonly snapshots: PeakSnapshot[] = [];
  private snapshotNext = 0;

  private nextFrame = 0;
  private advancedFrames = 0;
  private readonly waiting: PitchCandidates[] = [];
  private readonly candidatePool: PitchCandidates[] = [];

  private readonly f0 = new GrowableFloat32();
  private readonly intensityDb = new GrowableFloat32();
  private readonly loudness = new GrowableFloat32();
  /** Only when asked for (voice prints): the largest of the per-frame results. */
  private readonly bandDb: GrowableFloat32 | undefined;
  /** Per frame: the harmonicity's best strength and local peak, judged against the global peak at finish. */
  private readonly harmonicityStrength = new GrowableFloat64();
  private readonly harmonicityPeak = new GrowableFloat64();
  private readonly periodTimes = new GrowableFloat64();
  private readonly periodPeaks = new GrowableFloat32();
  /** Pulses before this index have their amplitude settled. */
  private peaksDone = 0;
  private stretchStart = -1;
  private absolutePeakNow = 0;
  private readonly pulseState: PulseState = { addedRight: -Infinity };

  constructor(sampleRate: number, options: VoiceTrackerOptions = {}) {
    const floorHz = options.pitchFloorHz ?? 75;
    const ceilingHz = options.pitchCeilingHz ?? 600;
    if (!(sampleRate > 0)) throw new Error(`VoiceTracker: sample rate ${sampleRate} is not positive`);
    if (!(floorHz > 0 && ceilingHz > floorHz)) throw new Error(`VoiceTracker: pitch range ${floorHz}-${ceilingHz} Hz is not a range`);
    this.sampleRate = sampleRate;
    this.floorHz = floorHz;
    this.ceilingHz = Math.min(ceilingHz, 0.5 * sampleRate);
    // Praat raises the candidate limit so every octave of the range can hold one.
    const maxCandidates = Math.max(PITCH_DEFAULTS.maxCandidates, Math.floor(this.ceilingHz / floorHz));
    this.maxCandidates = maxCandidates;
    this.pitch = new AutocorrelationPitch({ sampleRate, floorHz, ceilingHz: this.ceilingHz, voicingThreshold: PITCH_DEFAULTS.voicingThreshold, octaveCost: PITCH_DEFAULTS.octaveCost, maxCandidates });
    this.harmonicity = new HarmonicityAnalysis(sampleRate, floorHz);
    this.intensity = new IntensityAnalysis(sampleRate, floorHz);
    this.loudnessMeter = new LoudnessMeter(sampleRate, this.pitch.fftSize, this.pitch.windowEnergy);
    const pathSettings = { ...PITCH_DEFAULTS, maxCandidates, ceilingHz: this.ceilingHz, timeStepSec: FRAME_STEP_SEC };
    this.path = new PitchPath(pathSettings, (frame, frequency) => this.onDecided(frame, frequency));
    this.unvoicedBelow = surelyUnvoicedBelow(pathSettings);
    // Frame 0 is the first whose pitch window starts at sample 0 (frames are centred between two samples),
    // or Praat's first frame when the length is known. That lies within half a step of the first full window
    // when the length is right; taking its offset modulo a step keeps a wrong length from moving the frames
    // by more than a step.
    this.stepSamples = FRAME_STEP_SEC * sampleRate;
    const fullWindow = this.pitch.halfWindow - 1;
    const praatFirst = praatFirstCentre(sampleRate, 3 / floorHz, options.expectedSamples);
    this.firstCentre = fullWindow + (praatFirst === undefined ? 0 : mod(praatFirst - fullWindow, Math.round(this.stepSamples)));
    // Praat's harmonicity frames have their own, shorter window (2 periods) and so their own centring: half a
    // frame off the pitch frames for about half of all lengths. Each of our frames then holds the harmonicity
    // frame half a step after it.
    const harmonicityCentre = praatFirstCentre(sampleRate, 2 / floorHz, options.expectedSamples);
    this.harmonicityShift = harmonicityCentre === undefined ? 0 : mod(harmonicityCentre - this.firstCentre, Math.round(this.stepSamples));
    // The intensity window is centred on the sample after the centre (Praat's nearest sample, rounding up).
    this.reachLeft = Math.max(this.pitch.halfWindow - 1, this.pitch.periodSamples - 1, this.harmonicity.reachLeft - this.harmonicityShift, this.intensity.halfWindow - 1);
    this.reachRight = Math.max(this.pitch.halfWindow, this.pitch.periodSamples, this.harmonicity.reachRight + this.harmonicityShift, this.intensity.halfWindow + 1);
    this.lookaheadSamples = Math.round(PEAK_LOOKAHEAD_SEC * sampleRate);
    this.maxStretchFrames = Math.round(MAX_STRETCH_SEC / FRAME_STEP_SEC);
    this.buffer = new Float32Array(Math.ceil(4 * sampleRate));
    this.bandDb = options.bandLevels ? new GrowableFloat32() : undefined;
  }

  /** Samples in [-1, 1] (any chunk size). */
  push(samples: Float32Array): void {
    if (this.finished) throw new Error('VoiceTracker: push after finish');
    this.append(samples);
    this.analyzeReadyFrames(false);
    this.advanceReadyFrames(false);
    this.trim();
  }

  finish(): VoiceTrack {
    if (!this.finished) {
      this.finished = true;
      this.analyzeReadyFrames(true);
      this.advanceReadyFrames(true);
      this.path.finish();
      if (this.stretchStart >= 0) this.processStretch(this.stretchStart, this.f0.length - 1);
      this.stretchStart = -1;
      this.settlePeaks(this.periodTimes.length - 1);
    }
    const { peak } = this.stats.snapshot();
    const hnr = new Float32Array(this.harmonicityStrength.length);
    for (let i = 0; i < hnr.length; i++) {
      hnr[i] = harmonicityDb(this.harmonicityStrength.get(i), this.harmonicityPeak.get(i), peak, HARMONICITY_SILENCE_THRESHOLD);
    }
    return {
      sampleRate: this.sampleRate,
      frameStepSec: FRAME_STEP_SEC,
      firstFrameSec: (this.firstCentre + 0.5) / this.sampleRate,
      f0Hz: this.f0.toArray(),
      intensityDb: this.intensityDb.toArray(),
      loudness: this.loudness.toArray(),
      ...(this.bandDb ? { bands: this.loudnessMeter.bandCount, bandDb: this.bandDb.toArray() } : {}),
      hnrDb: hnr,
      periodTimes: this.periodTimes.toArray(),
      periodPeaks: this.periodPeaks.toArray(),
    };
  }

  private centre(frame: number): number {
    return this.firstCentre + Math.round(frame * this.stepSamples);
  }

  private frameTime(frame: number): number {
    return (this.firstCentre + 0.5) / this.sampleRate + frame * FRAME_STEP_SEC;
  }

  /** Copies the chunk in and counts it into the running peak, taking each frame's snapshot at its exact sample. */
  private append(samples: Float32Array): void {
    this.ensureCapacity(samples.length);
    const at = this.received - this.bufferOffset;
    this.buffer.set(samples, at);
    this.received += samples.length;
    let from = at;
    const end = at + samples.length;
    for (;;) {
      const need = this.centre(this.snapshotNext) + this.lookaheadSamples + 1 - this.bufferOffset;
      if (need > end) break;
      this.stats.add(this.buffer, from, need);
      from = need;
      this.snapshots.push(this.stats.snapshot());
      this.snapshotNext++;
    }
    this.stats.add(this.buffer, from, end);
  }

  private analyzeReadyFrames(final: boolean): void {
    const reach = final ? this.pitch.halfWindow : this.reachRight;
    // The peak so far is at most the one the path and the harmonicity will judge by: below these shares of it
    // a frame is certainly unvoiced, so its candidate searches are skipped.
    const peakSoFar = this.stats.snapshot().peak;
    const harmonicitySkip = HARMONICITY_SILENCE_THRESHOLD * peakSoFar;
    const pitchSkip = this.unvoicedBelow * peakSoFar;
    for (;;) {
      const centre = this.centre(this.nextFrame);
      if (centre + reach > this.received - 1) return;
      const local = centre - this.bufferOffset;
      const candidates = this.candidatePool.pop() ?? new PitchCandidates(this.maxCandidates);
      this.pitch.analyze(this.buffer, local, candidates, pitchSkip);
      this.waiting.push(candidates);
      this.loudness.push(this.loudnessMeter.measure(this.pitch.power));
      if (this.bandDb) for (const power of this.loudnessMeter.lastBandPower) this.bandDb.push(10 * Math.log10(Math.max(power, BAND_POWER_FLOOR)));
      this.intensityDb.push(this.intensity.analyze(this.buffer, local + 1, -this.bufferOffset, this.received - 1 - this.bufferOffset));
      this.harmonicity.analyze(this.buffer, local + this.harmonicityShift, harmonicitySkip);
      this.harmonicityStrength.push(this.harmonicity.bestStrength);
      this.harmonicityPeak.push(this.harmonicity.localPeak);
      this.nextFrame++;
    }
  }

  /** Feeds analysed frames to the path once their peak snapshot exists (at finish: the whole recording's). */
  private advanceReadyFrames(final: boolean): void {
    const whole = this.stats.snapshot();
    while (this.advancedFrames < this.nextFrame) {
      const snapshot = this.advancedFrames < this.snapshotNext ? this.snapshots.shift()! : final ? whole : undefined;
      if (!snapshot) return;
      const candidates = this.waiting.shift()!;
      this.absolutePeakNow = snapshot.absolutePeak;
      this.advancedFrames++;
      this.path.push(candidates, snapshot.peak);
      this.candidatePool.push(candidates);
    }
  }

  private onDecided(frame: number, frequency: number): void {
    const voiced = isVoiced(frequency, this.ceilingHz);
    this.f0.push(voiced ? frequency : 0);
    if (voiced) {
      if (this.stretchStart < 0) this.stretchStart = frame;
      else if (frame - this.stretchStart >= this.maxStretchFrames) {
        this.processStretch(this.stretchStart, frame - 1);
        this.stretchStart = frame;
      }
      return;
    }
    if (this.stretchStart >= 0) {
      this.processStretch(this.stretchStart, frame - 1);
      this.stretchStart = -1;
    }
    this.settleIsolatedLastPulse(frame);
  }

  private processStretch(firstFrame: number, lastFrame: number): void {
    const pulses = pulsesInStretch(this.soundView(), this.contour(), firstFrame, lastFrame, this.absolutePeakNow, this.pulseState);
    for (const time of pulses) {
      const count = this.periodTimes.length;
      if (count > 0 && time <= this.periodTimes.get(count - 1)) continue;
      this.periodTimes.push(time);
      this.periodPeaks.push(NaN);
    }
    this.settlePeaks(this.periodTimes.length - 2);
  }

  /** Amplitudes of the pulses up to `last`, each of which has both neighbours now. */
  private settlePeaks(last: number): void {
    const view = this.soundView();
    for (let i = Math.max(this.peaksDone, 1); i <= last; i++) {
      this.periodPeaks.set(i, pulseAmplitude(view, this.periodTimes.get(i - 1), this.periodTimes.get(i), this.periodTimes.get(i + 1)));
    }
    this.peaksDone = Math.max(this.peaksDone, last + 1);
  }

  /**
   * After an unvoiced frame, the next pulse cannot come before the next stretch's reach to the left: when that
   * is more than a longest period after the last pulse, that pulse will have no amplitude, and its samples can go.
   */
  private settleIsolatedLastPulse(unvoicedFrame: number): void {
    const count = this.periodTimes.length;
    if (this.peaksDone >= count) return;
    const earliestNext = this.frameTime(unvoicedFrame + 1) - 0.5 * FRAME_STEP_SEC - 1.25 / this.floorHz - 1 / this.sampleRate;
    if (earliestNext - this.periodTimes.get(count - 1) > LONGEST_PERIOD) this.peaksDone = count;
  }

  private soundView(): SoundView {
    return { samples: this.buffer, offset: this.bufferOffset, total: this.received, sampleRate: this.sampleRate };
  }

  private contour(): PitchContour {
    return { f0: this.f0.view, frames: this.f0.length, firstFrameSec: this.frameTime(0), frameStepSec: FRAME_STEP_SEC };
  }

  /** The first sample anything pending may still read. */
  private neededFrom(): number {
    let from = this.centre(this.nextFrame) - this.reachLeft;
    const stretchFrame = this.stretchStart >= 0 ? this.stretchStart : this.f0.length;
    const stretchTime = this.frameTime(stretchFrame) - 0.5 * FRAME_STEP_SEC - 2.5 / this.floorHz;
    from = Math.min(from, Math.floor(stretchTime * this.sampleRate) - 2);
    if (this.peaksDone < this.periodTimes.length) {
      const last = this.periodTimes.get(this.periodTimes.length - 1);
      from = Math.min(from, Math.floor((last - LONGEST_PERIOD) * this.sampleRate) - 2);
    }
    return Math.max(0, from);
  }

  private trim(): void {
    const keepFrom = this.neededFrom();
    if (keepFrom - this.bufferOffset < TRIM_SLACK_SEC * this.sampleRate) return;
    this.buffer.copyWithin(0, keepFrom - this.bufferOffset, this.received - this.bufferOffset);
    this.bufferOffset = keepFrom;
  }

  private ensureCapacity(extra: number): void {
    const needed = this.received - this.bufferOffset + extra;
    if (needed <= this.buffer.length) return;
    const bigger = new Float32Array(Math.max(2 * this.buffer.length, needed));
    bigger.set(this.buffer.subarray(0, this.received - this.bufferOffset));
    this.buffer = bigger;
  }
}
