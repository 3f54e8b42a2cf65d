/**
 * The panel's own playback clock, for when the video cannot play here (a missing codec, no video file): time
 * runs in real time from where it was started, stops at the end, and can be sought while it runs. Pure: the
 * time source is passed in (performance.now in the panel, a fake in tests), the animation loop lives in the DOM.
 */

/** Milliseconds, monotonic (performance.now). */
export type TimeSource = () => number;

export class PlaybackClock {
  /** Media time when the clock last started, paused or was sought. */
  private baseSec = 0;
  /** Time source reading at that moment (only meaningful while running). */
  private baseMs = 0;
  private running = false;
  private durationSec: number;

  constructor(
    durationSec: number,
    private readonly now: TimeSource,
    private readonly rate = 1,
  ) {
    this.durationSec = Math.max(0, durationSec);
  }

  get playing(): boolean {
    return this.running;
  }

  get duration(): number {
    return this.durationSec;
  }

  /** Media with no length (a single image) cannot play. */
  get canPlay(): boolean {
    return this.durationSec > 0;
  }

  /** The current time, clamped to [0, duration]; does not stop the clock (tick does). */
  get timeSec(): number {
    if (!this.running) return this.baseSec;
    return Math.min(this.durationSec, this.baseSec + ((this.now() - this.baseMs) / 1000) * this.rate);
  }

  /** Starts from the current time; from the start again when it had reached the end. False when it cannot play. */
  play(): boolean {
    if (!this.canPlay) return false;
    if (this.running) return true;
    if (this.baseSec >= this.durationSec) this.baseSec = 0;
    this.baseMs = this.now();
    this.running = true;
    return true;
  }

  pause(): void {
    if (!this.running) return;
    this.baseSec = this.timeSec;
    this.running = false;
  }

  /** Play or pause; returns whether it is playing now. */
  toggle(): boolean {
    if (this.running) {
      this.pause();
      return false;
    }
    return this.play();
  }

  /** Moves to `timeSec` (clamped); a running clock keeps running from there. */
  seek(timeSec: number): void {
    this.baseSec = clamp(timeSec, 0, this.durationSec);
    this.baseMs = this.now();
  }

  setDuration(durationSec: number): void {
    this.durationSec = Math.max(0, durationSec);
    this.seek(this.timeSec);
    if (!this.canPlay) this.running = false;
  }

  /** Called every animation frame while playing: the time now, stopping the clock once it reaches the end. */
  tick(): number {
    const t = this.timeSec;
    if (this.running && t >= this.durationSec) {
      this.baseSec = this.durationSec;
      this.running = false;
    }
    return t;
  }
}

function clamp(value: number, lo: number, hi: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, lo), hi) : lo;
}
