/**
 * Praat's pitch path finder (Pitch_pathFinder), run as frames arrive: a Viterbi search over each frame's
 * candidates that rewards strength (less an octave cost favouring high candidates), pays the octave-jump
 * cost for a change of frequency between voiced frames and the voiced/unvoiced cost for each switch, and
 * scores the unvoiced candidate by the voicing threshold plus a bonus for quiet frames (silence threshold
 * relative to the recording's peak).
 *
 * Praat searches the whole recording at once; here a frame's choice is final as soon as the best paths to
 * every candidate of the newest frame run through it (they always do through a frame with one candidate,
 * such as silence), which gives Praat's path exactly while keeping only the undecided frames. Should no
 * such point come for MAX_UNDECIDED_FRAMES (long noisy stretches), the older half is decided along the
 * currently best path and the rest constrained to continue from it: the only place this can differ from
 * Praat.
 */
import type { PitchCandidates } from './pitchCandidates';

export interface PathSettings {
  silenceThreshold: number;
  voicingThreshold: number;
  octaveCost: number;
  octaveJumpCost: number;
  voicedUnvoicedCost: number;
  ceilingHz: number;
  timeStepSec: number;
  maxCandidates: number;
}

interface PathFrame {
  count: number;
  frequency: Float64Array;
  local: Float64Array;
  score: Float64Array;
  back: Int32Array;
}

/** How often (frames) the search looks for a point where all paths meet. */
const CHECK_EVERY = 8;
/** 3 s of frames without such a point forces a decision on the older half. */
const MAX_UNDECIDED_FRAMES = 300;

export class PitchPath {
  private readonly settings: PathSettings;
  private readonly onDecided: (frameIndex: number, frequencyHz: number) => void;
  private readonly octaveJumpCost: number;
  private readonly voicedUnvoicedCost: number;
  /** frames[0] is frame `firstIndex`; when `anchored` it is the last decided frame, in state anchorState. */
  private frames: PathFrame[] = [];
  private firstIndex = 0;
  private anchored = false;
  private readonly pool: PathFrame[] = [];
  private sinceCheck = 0;
  private readonly marks: [Uint8Array, Uint8Array];

  constructor(settings: PathSettings, onDecided: (frameIndex: number, frequencyHz: number) => void) {
    this.settings = settings;
    this.onDecided = onDecided;
    // Praat scales the transition costs to a 10 ms time step.
    const timeStepCorrection = 0.01 / settings.timeStepSec;
    this.octaveJumpCost = settings.octaveJumpCost * timeStepCorrection;
    this.voicedUnvoicedCost = settings.voicedUnvoicedCost * timeStepCorrection;
    this.marks = [new Uint8Array(settings.maxCandidates), new Uint8Array(settings.maxCandidates)];
  }

  /** Undecided frames held (the anchor not counted). */
  get pendingFrames(): number {
    return this.frames.length - (this.anchored ? 1 : 0);
  }

  /** The next frame's candidates; `globalPeak` is the recording's peak as far as known, for the silence bonus. */
  push(candidates: PitchCandidates, globalPeak: number): void {
    const frame = this.allocate();
    this.fillLocal(frame, candidates, globalPeak);
    const previous = this.frames[this.frames.length - 1];
    if (previous) this.step(previous, frame);
    else frame.score.set(frame.local.subarray(0, frame.count));
    this.frames.push(frame);
    const last = this.frames.length - 1;
    if (frame.count === 1) {
      this.decide(last, 0);
      this.sinceCheck = 0;
      return;
    }
    if (++this.sinceCheck >= CHECK_EVERY) {
      this.sinceCheck = 0;
      this.decideWhereConverged();
    }
    if (this.pendingFrames > MAX_UNDECIDED_FRAMES) this.forceDecision();
  }

  /** The end of the recording: the best final candidate and the path that leads to it. */
  finish(): void {
    const last = this.frames.length - 1;
    if (last < 0) return;
    if (this.anchored && last === 0) return;
    this.decide(last, bestState(this.frames[last]!));
  }

  private fillLocal(frame: PathFrame, candidates: PitchCandidates, globalPeak: number): void {
    const { silenceThreshold, voicingThreshold, octaveCost, ceilingHz } = this.settings;
    const intensity = globalPeak > 0 ? Math.min(1, candidates.localPeak / globalPeak) : 0;
    const unvoicedStrength = voicingThreshold + Math.max(0, 2 - intensity / (silenceThreshold / (1 + voicingThreshold)));
    frame.count = candidates.count;
    for (let c = 0; c < candidates.count; c++) {
      const f = candidates.frequency[c]!;
      frame.frequency[c] = f;
      frame.local[c] = isVoiced(f, ceilingHz) ? candidates.strength[c]! - octaveCost * Math.log2(ceilingHz / f) : unvoicedStrength;
    }
  }

  /** One Viterbi step from `previous` into `current`. */
  private step(previous: PathFrame, current: PathFrame): void {
    const ceiling = this.settings.ceilingHz;
    for (let c2 = 0; c2 < current.count; c2++) {
      const f2 = current.frequency[c2]!;
      const currentVoiced = isVoiced(f2, ceiling);
      let best = -Infinity, place = 0;
      for (let c1 = 0; c1 < previous.count; c1++) {
        const f1 = previous.frequency[c1]!;
        const previousVoiced = isVoiced(f1, ceiling);
        let cost: number;
        if (!currentVoiced) cost = previousVoiced ? this.voicedUnvoicedCost : 0;
        else if (!previousVoiced) cost = this.voicedUnvoicedCost;
        else cost = this.octaveJumpCost * Math.abs(Math.log2(f1 / f2));
        const value = previous.score[c1]! - cost + current.local[c2]!;
        if (value > best) {
          best = value;
          place = c1;
        }
      }
      current.score[c2] = best;
      current.back[c2] = place;
    }
  }

  /** Traces all of the newest frame's candidates back; where they meet, everything up to there is decided. */
  private decideWhereConverged(): void {
    const frames = this.frames;
    let [now, before] = this.marks;
    const last = frames.length - 1;
    now.fill(1, 0, frames[last]!.count);
    const stop = this.anchored ? 1 : 0;
    for (let j = last; j > stop; j--) {
      const frame = frames[j]!;
      const previous = frames[j - 1]!;
      before.fill(0, 0, previous.count);
      let distinct = 0, state = 0;
      for (let c = 0; c < frame.count; c++) {
        if (!now[c]) continue;
        const b = frame.back[c]!;
        if (!before[b]) {
          before[b] = 1;
          distinct++;
          state = b;
        }
      }
      if (distinct === 1) {
        this.decide(j - 1, state);
        return;
      }
      [now, before] = [before, now];
    }
  }

  /** No meeting point for too long: decide the older half along today's best path, constrain the rest to it. */
  private forceDecision(): void {
    const frames = this.frames;
    const last = frames.length - 1;
    let state = bestState(frames[last]!);
    const keep = Math.floor(MAX_UNDECIDED_FRAMES / 2);
    const target = last - keep;
    for (let j = last; j > target; j--) state = frames[j]!.back[state]!;
    this.decide(target, state);
    const anchor = this.frames[0]!;
    for (let c = 0; c < anchor.count; c++) if (c !== state) anchor.score[c] = -Infinity;
    for (let j = 1; j < this.frames.length; j++) this.step(this.frames[j - 1]!, this.frames[j]!);
  }

  /** Frames up to `target` (index into `frames`) are final, with `target` in `state`. */
  private decide(target: number, state: number): void {
    const frames = this.frames;
    const from = this.anchored ? 1 : 0;
    const states = new Int32Array(target + 1);
    states[target] = state;
    for (let j = target; j > from; j--) states[j - 1] = frames[j]!.back[states[j]!]!;
    for (let j = from; j <= target; j++) this.onDecided(this.firstIndex + j, frames[j]!.frequency[states[j]!]!);
    for (let j = 0; j < target; j++) this.pool.push(frames[j]!);
    this.frames = frames.slice(target);
    this.firstIndex += target;
    this.anchored = true;
  }

  private allocate(): PathFrame {
    const reused = this.pool.pop();
    if (reused) return reused;
    const n = this.settings.maxCandidates;
    return { count: 0, frequency: new Float64Array(n), local: new Float64Array(n), score: new Float64Array(n), back: new Int32Array(n) };
  }
}

/**
 * The local peak, as a share of the global peak, below which no voiced candidate of a frame can lie on the
 * best path: there the unvoiced candidate's strength exceeds any voiced one's (at most 1) by more than the
 * two voiced/unvoiced transitions it can cost, so swapping it in always scores higher. Frames that quiet
 * need no candidate search (the same path as Praat's, found faster).
 */
export function surelyUnvoicedBelow(settings: PathSettings): number {
  const transitions = 2 * settings.voicedUnvoicedCost * (0.01 / settings.timeStepSec);
  const excess = settings.voicingThreshold + 2 - (1 + transitions);
  return Math.max(0, excess * (settings.silenceThreshold / (1 + settings.voicingThreshold)) * (1 - 1e-9));
}

/** Praat's test: a frequency counts as voiced when it lies strictly between 0 and the ceiling. */
export function isVoiced(frequency: number, ceiling: number): boolean {
  return frequency > 0 && frequency < ceiling;
}

/** The first candidate with the highest score (Praat's choice at the end of the path). */
function bestState(frame: PathFrame): number {
  let best = 0;
  for (let c = 1; c < frame.count; c++) if (frame.score[c]! > frame.score[best]!) best = c;
  return best;
}
