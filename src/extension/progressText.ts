/**
 * Turns the engine's progress events into the text and increments of a VS Code progress notification:
 * what is happening and how far ("Faces: frame 1,250 of 18,000 · Speech: 0:42 of 3:10"), at most a few
 * updates a second, with the bar driven by the faces fraction (of the whole batch when there are several).
 */
import { formatBytes, formatCount, formatDuration } from '../shared/textFormat';
import type { AnalysisProgress } from '../core/engine/analysisRequest';

export interface ProgressUpdate {
  message: string;
  /** Percentage points to add to the notification's bar (VS Code sums increments). */
  increment: number;
}

export interface ProgressReporterOptions {
  /** Least time between two updates of the same kind (default 250 ms: four a second). */
  minIntervalMs?: number;
  now?: () => number;
}

type Headline = 'faces' | 'download' | `stage:${string}`;

const FINISHING_STAGES: readonly string[] = ['timeline', 'write'];

/** One input's progress: what is happening in it and how far (the notification of a single analysis). */
export class AnalysisProgressReporter {
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private faces = { done: 0, total: 0 };
  private speech = { done: 0, total: 0 };
  private stage: { kind: string; message: string } = { kind: 'start', message: 'Starting' };
  private download: { file: string; receivedBytes: number; totalBytes?: number } | undefined;
  private lastEmitAt = -Infinity;
  private lastHeadline: Headline | undefined;
  private reportedPercent = 0;

  constructor(options: ProgressReporterOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** Starts the input; always produces an update. */
  begin(): ProgressUpdate {
    this.faces = { done: 0, total: 0 };
    this.speech = { done: 0, total: 0 };
    this.stage = { kind: 'start', message: 'Starting' };
    this.download = undefined;
    return this.emit(this.headline());
  }

  /** The update to show for this event, or undefined when it is too soon after the last one. */
  update(progress: AnalysisProgress): ProgressUpdate | undefined {
    switch (progress.kind) {
      case 'faces':
        this.faces = { done: progress.framesDone, total: progress.framesTotal };
        this.download = undefined;
        break;
      case 'speech':
        this.speech = { done: progress.audioSecDone, total: progress.audioSecTotal };
        break;
      case 'stage':
        this.stage = { kind: progress.stage, message: progress.message };
        break;
      case 'download':
        this.download = { file: progress.file, receivedBytes: progress.receivedBytes, totalBytes: progress.totalBytes };
        break;
      case 'warning':
        return undefined;
    }
    const headline = this.headline();
    // A change of what is happening shows at once; counters moving within one activity are throttled.
    if (headline === this.lastHeadline && this.now() - this.lastEmitAt < this.minIntervalMs) return undefined;
    return this.emit(headline);
  }

  /** The current text, whether or not it was due. */
  message(): string {
    return this.activity();
  }

  /** Done so far, 0..1. */
  fraction(): number {
    return FINISHING_STAGES.includes(this.stage.kind) ? 1 : this.faces.total > 0 ? Math.min(1, this.faces.done / this.faces.total) : 0;
  }

  /** Frames analysed so far. */
  framesDone(): number {
    return this.faces.done;
  }

  /** Done so far, 0..100. */
  percent(): number {
    return 100 * this.fraction();
  }

  private activity(): string {
    if (FINISHING_STAGES.includes(this.stage.kind)) return this.stage.message;
    if (this.faces.total > 0) return [facesText(this.faces.done, this.faces.total), this.speechText()].filter(Boolean).join(' · ');
    if (this.download) return downloadText(this.download.file, this.download.receivedBytes, this.download.totalBytes);
    return [this.stage.message, this.speechText()].filter(Boolean).join(' · ');
  }

  private speechText(): string | undefined {
    return this.speech.total > 0 ? `Speech: ${formatDuration(this.speech.done)} of ${formatDuration(this.speech.total)}` : undefined;
  }

  private headline(): Headline {
    if (FINISHING_STAGES.includes(this.stage.kind)) return `stage:${this.stage.kind}`;
    if (this.faces.total > 0) return 'faces';
    if (this.download) return 'download';
    return `stage:${this.stage.kind}`;
  }

  private emit(headline: Headline): ProgressUpdate {
    this.lastHeadline = headline;
    this.lastEmitAt = this.now();
    const percent = this.percent();
    const increment = Math.max(0, percent - this.reportedPercent);
    this.reportedPercent = Math.max(this.reportedPercent, percent);
    return { message: this.message(), increment };
  }
}

/**
 * A batch's progress in one notification: inputs done of total, frames per second and the ETA over the
 * whole batch, then the newest input in flight and what is happening in it ("3 of 12 videos · 61.0 frames/s ·
 * ETA 2:10 — clip.mp4: Faces: frame 250 of 900"). The bar follows the batch's done fraction.
 */
export class BatchProgressReporter {
  private readonly inFlight = new Map<number, { name: string; reporter: AnalysisProgressReporter }>();
  private newest: number | undefined;
  private done = 0;
  private framesFinished = 0;
  private readonly started: number;
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private lastEmitAt = -Infinity;
  private reportedPercent = 0;

  constructor(
    private readonly total: number,
    private readonly noun: { one: string; many: string } = { one: 'video', many: 'videos' },
    options: ProgressReporterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.started = this.now();
  }

  begin(index: number, name: string): ProgressUpdate {
    const reporter = new AnalysisProgressReporter({ now: this.now, minIntervalMs: 0 });
    reporter.begin();
    this.inFlight.set(index, { name, reporter });
    this.newest = index;
    return this.emit();
  }

  update(index: number, progress: AnalysisProgress): ProgressUpdate | undefined {
    const item = this.inFlight.get(index);
    if (!item) return undefined;
    item.reporter.update(progress);
    if (progress.kind === 'stage' || progress.kind === 'download') this.newest = index;
    if (this.now() - this.lastEmitAt < this.minIntervalMs) return undefined;
    return this.emit();
  }

  /** An input is over (analysed, skipped or failed), with the frames it analysed. */
  finish(index: number, frames = 0): ProgressUpdate {
    this.inFlight.delete(index);
    if (this.newest === index) this.newest = [...this.inFlight.keys()].at(-1);
    this.done++;
    this.framesFinished += frames;
    return this.emit();
  }

  message(): string {
    const parts = [`${formatCount(this.done)} of ${formatCount(this.total)} ${this.total === 1 ? this.noun.one : this.noun.many}`];
    const elapsed = (this.now() - this.started) / 1000;
    const frames = this.framesFinished + [...this.inFlight.values()].reduce((n, i) => n + i.reporter.framesDone(), 0);
    if (elapsed >= 1 && frames > 0) parts.push(`${(frames / elapsed).toFixed(1)} frames/s`);
    const fraction = this.fraction();
    if (elapsed >= 1 && fraction > 0.001 && fraction < 1) parts.push(`ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}`);
    const current = this.newest === undefined ? undefined : this.inFlight.get(this.newest);
    return parts.join(' · ') + (current ? ` — ${current.name}: ${current.reporter.message()}` : '');
  }

  /** Done so far over the batch, 0..1. */
  fraction(): number {
    const inFlight = [...this.inFlight.values()].reduce((n, i) => n + i.reporter.fraction(), 0);
    return this.total > 0 ? Math.min(1, (this.done + inFlight) / this.total) : 1;
  }

  private emit(): ProgressUpdate {
    this.lastEmitAt = this.now();
    const percent = 100 * this.fraction();
    const increment = Math.max(0, percent - this.reportedPercent);
    this.reportedPercent = Math.max(this.reportedPercent, percent);
    return { message: this.message(), increment };
  }
}

export function facesText(done: number, total: number): string {
  return `Faces: frame ${formatCount(done)} of ${formatCount(total)}`;
}

export function downloadText(file: string, receivedBytes: number, totalBytes?: number): string {
  return `Downloading ${file}: ${formatBytes(receivedBytes)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}`;
}

