/**
 * Where someone speaks. The Silero VAD network (MIT, ../shared/models/silero_vad, bundled with the extension)
 * scores each 32 ms window of 16 kHz audio; its scores become speech spans with the silero-vad package's
 * hysteresis and duration rules. Without the model, an energy and voicing rule over the voice track finds
 * the spans instead (documented in docs/voice.md, and said in the document).
 */
import * as ort from 'onnxruntime-node';
import { openSession } from '../vision/onnxSession';
import type { VoiceTrack } from './voiceTracker';

export interface SpeechSpan {
  startSec: number;
  endSec: number;
}

/** Silero VAD's window at 16 kHz, and the samples of the previous window it sees as context. */
const WINDOW = 512;
const CONTEXT = 64;
/** The rate Silero VAD takes (the voice worker gives it a 16 kHz copy of audio at other rates). */
export const VAD_SAMPLE_RATE = 16000;

/**
 * How window scores become spans: the silero-vad package's thresholds, minimum speech and padding; pauses are
 * bridged up to 0.4 s as sherpa-onnx's VAD does by default (the package's 0.1 s cuts a phrase at every stop
 * consonant, and a voice segment is meant to be a phrase).
 */
export const VAD_RULES = {
  /** A window at or above this starts (or continues) speech. */
  threshold: 0.5,
  /** Speech ends only once the score falls below this (hysteresis: threshold - 0.15). */
  negativeThreshold: 0.35,
  /** Shorter spans are dropped (coughs, clicks). */
  minSpeechSec: 0.25,
  /** Shorter pauses do not end a span. */
  minSilenceSec: 0.4,
  /** Each span is widened by this on both sides (onsets and releases are quiet). */
  padSec: 0.03,
};

/** Scores audio window by window with Silero VAD; the recurrent state carries across windows and chunks. */
export class SileroVad {
  private state = new Float32Array(2 * 128);
  private readonly input = new Float32Array(CONTEXT + WINDOW);
  private pending = new Float32Array(WINDOW);
  private filled = 0;
  private readonly scores: number[] = [];
  private readonly rate = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);

  private constructor(private readonly session: ort.InferenceSession) {}

  static async open(modelPath: string): Promise<SileroVad> {
    return new SileroVad(await openSession(modelPath, { intraOpThreads: 1 }));
  }

  /** Starts a new input: state, context and scores cleared, the loaded network kept. */
  reset(): void {
    this.state = new Float32Array(2 * 128);
    this.input.fill(0);
    this.filled = 0;
    this.scores.length = 0;
  }

  /** Scores every whole window of `samples` (16 kHz, -1..1); a partial window waits for the next chunk. */
  async push(samples: Float32Array): Promise<void> {
    let offset = 0;
    while (offset < samples.length) {
      const n = Math.min(WINDOW - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === WINDOW) {
        await this.scoreWindow(this.pending);
        this.filled = 0;
      }
    }
  }

  /** Scores the last partial window (zero-padded) and returns one speech probability per 32 ms window. */
  async finish(): Promise<number[]> {
    if (this.filled > 0) {
      this.pending.fill(0, this.filled);
      await this.scoreWindow(this.pending);
      this.filled = 0;
    }
    return [...this.scores];
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private async scoreWindow(window: Float32Array): Promise<void> {
    // The network sees the last 64 samples of the previous window before the new 512 (as the package feeds it).
    this.input.copyWithin(0, WINDOW);
    this.input.set(window, CONTEXT);
    const out = await this.session.run({
      input: new ort.Tensor('float32', this.input.slice(), [1, CONTEXT + WINDOW]),
      state: new ort.Tensor('float32', this.state, [2, 1, 128]),
      sr: this.rate,
    });
    this.scores.push((out.output!.data as Float32Array)[0]!);
    this.state = new Float32Array(out.stateN!.data as Float32Array);
  }
}

export const VAD_WINDOW_SEC = WINDOW / VAD_SAMPLE_RATE;

/**
 * Speech spans from per-window scores, as the silero-vad package makes them: speech starts at a window
 * scoring >= threshold and ends once scores stay below the negative threshold for minSilence; spans shorter
 * than minSpeech are dropped, the rest padded (never past a neighbour or the audio's end).
 */
export function spansFromScores(scores: readonly number[], windowSec = VAD_WINDOW_SEC, rules = VAD_RULES, durationSec = scores.length * windowSec): SpeechSpan[] {
  const raw: SpeechSpan[] = [];
  let start: number | undefined;
  let silenceFrom: number | undefined;
  scores.forEach((score, i) => {
    const t = i * windowSec;
    if (score >= rules.threshold) {
      silenceFrom = undefined;
      if (start === undefined) start = t;
      return;
    }
    if (start === undefined || score >= rules.negativeThreshold) return;
    silenceFrom ??= t;
    if (t + windowSec - silenceFrom >= rules.minSilenceSec) {
      raw.push({ startSec: start, endSec: silenceFrom });
      start = undefined;
      silenceFrom = undefined;
    }
  });
  if (start !== undefined) raw.push({ startSec: start, endSec: silenceFrom ?? durationSec });
  return padded(raw.filter((s) => s.endSec - s.startSec >= rules.minSpeechSec), rules.padSec, durationSec);
}

function padded(spans: readonly SpeechSpan[], pad: number, durationSec: number): SpeechSpan[] {
  return spans.map((span, i) => ({
    startSec: Math.max(0, i > 0 ? Math.max(spans[i - 1]!.endSec, span.startSec - pad) : span.startSec - pad),
    endSec: Math.min(durationSec, i + 1 < spans.length ? Math.min(spans[i + 1]!.startSec, span.endSec + pad) : span.endSec + pad),
  }));
}

/**
 * The fallback when no VAD model is available: a frame is speech when it is voiced (a pitch was found) or
 * within 20 dB of the recording's loud frames (95th percentile intensity), and not more than 45 dB below
 * them; pauses under 0.3 s are bridged and spans under 0.25 s dropped. Cruder than Silero on noisy audio
 * (music and noise can pass), which is why the document names the rule it used.
 */
export function spansFromTrack(track: VoiceTrack): SpeechSpan[] {
  const n = track.intensityDb.length;
  if (n === 0) return [];
  const sorted = Float32Array.from(track.intensityDb).sort();
  const loud = sorted[Math.min(n - 1, Math.floor(n * 0.95))]!;
  const scores = Array.from({ length: n }, (_, i) => {
    const db = track.intensityDb[i]!;
    const voiced = track.f0Hz[i]! > 0 && db > loud - 45;
    return voiced || db > loud - 20 ? 1 : 0;
  });
  const durationSec = track.firstFrameSec + n * track.frameStepSec;
  const offset = track.firstFrameSec - track.frameStepSec / 2;
  const rules = { ...VAD_RULES, minSilenceSec: 0.3, padSec: 0 };
  return spansFromScores(scores, track.frameStepSec, rules, durationSec).map((s) => ({
    startSec: Math.max(0, s.startSec + offset),
    endSec: Math.min(durationSec, s.endSec + offset),
  }));
}
