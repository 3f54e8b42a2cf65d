/**
 * The progress notification's view of the engine's progress (core/engine/progressModel.ts): what is happening
 * and how far ("Faces: frame 1,250 of 18,000 · Speech: 0:42 of 3:10"), at most a few updates a second, with
 * the bar driven by the done fraction (of the whole batch when there are several).
 */
import type { AnalysisProgress } from '../core/engine/analysisRequest';
import { BatchProgress, InputProgress } from '../core/engine/progressModel';
import { formatBytes, formatCount, formatDuration, plural } from '../shared/textFormat';

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

/** The bar's increments: VS Code adds them up, so each update adds what the fraction gained since the last. */
class BarIncrements {
  private reportedPercent = 0;

  update(message: string, fraction: number): ProgressUpdate {
    const percent = 100 * fraction;
    const increment = Math.max(0, percent - this.reportedPercent);
    this.reportedPercent = Math.max(this.reportedPercent, percent);
    return { message, increment };
  }
}

/** What is happening in one input and how far. */
function activity(progress: InputProgress): string {
  if (progress.finishing()) return progress.stage.message;
  if (progress.faces.total > 0) return [facesText(progress.faces.done, progress.faces.total), speechText(progress)].filter(Boolean).join(' · ');
  if (progress.download) return downloadText(progress.download.file, progress.download.receivedBytes, progress.download.totalBytes);
  return [progress.stage.message, speechText(progress)].filter(Boolean).join(' · ');
}

function speechText(progress: InputProgress): string | undefined {
  const { done, total } = progress.speech;
  return total > 0 ? `Speech: ${formatDuration(done)} of ${formatDuration(total)}` : undefined;
}

/** What the text is about: a change of it shows at once, counters moving within it are throttled. */
function headline(progress: InputProgress): Headline {
  if (progress.finishing()) return `stage:${progress.stage.kind}`;
  if (progress.faces.total > 0) return 'faces';
  if (progress.download) return 'download';
  return `stage:${progress.stage.kind}`;
}

/** One input's progress: what is happening in it and how far (the notification of a single analysis). */
export class AnalysisProgressReporter {
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private progress = new InputProgress();
  private readonly bar = new BarIncrements();
  private lastEmitAt = -Infinity;
  private lastHeadline: Headline | undefined;

  constructor(options: ProgressReporterOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** Starts the input; always produces an update. */
  begin(): ProgressUpdate {
    this.progress = new InputProgress();
    return this.emit();
  }

  /** The update to show for this event, or undefined when it is too soon after the last one. */
  update(event: AnalysisProgress): ProgressUpdate | undefined {
    if (event.kind === 'warning') return undefined;
    this.progress.apply(event);
    if (headline(this.progress) === this.lastHeadline && this.now() - this.lastEmitAt < this.minIntervalMs) return undefined;
    return this.emit();
  }

  /** Done so far, 0..1. */
  fraction(): number {
    return this.progress.fraction();
  }

  private emit(): ProgressUpdate {
    this.lastHeadline = headline(this.progress);
    this.lastEmitAt = this.now();
    return this.bar.update(activity(this.progress), this.progress.fraction());
  }
}

/**
 * A batch's progress in one notification: inputs done of total, frames per second and the ETA over the
 * whole batch, then the newest input in flight and what is happening in it ("3 of 12 videos · 61.0 frames/s ·
 * ETA 2:10 — clip.mp4: Faces: frame 250 of 900"). The bar follows the batch's done fraction.
 */
export class BatchProgressReporter {
  private readonly progress: BatchProgress;
  private readonly bar = new BarIncrements();
  private readonly started: number;
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private lastEmitAt = -Infinity;

  constructor(
    total: number,
    private readonly noun: { one: string; many: string } = { one: 'video', many: 'videos' },
    options: ProgressReporterOptions = {},
  ) {
    this.progress = new BatchProgress(total);
    this.now = options.now ?? Date.now;
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.started = this.now();
  }

  begin(index: number, name: string): ProgressUpdate {
    this.progress.begin(index, name);
    return this.emit();
  }

  update(index: number, event: AnalysisProgress): ProgressUpdate | undefined {
    if (!this.progress.apply(index, event)) return undefined;
    if (this.now() - this.lastEmitAt < this.minIntervalMs) return undefined;
    return this.emit();
  }

  /** An input is over (analysed, skipped or failed), with the frames it analysed. */
  finish(index: number, frames = 0): ProgressUpdate {
    this.progress.finish(index, frames);
    return this.emit();
  }

  message(): string {
    const elapsed = (this.now() - this.started) / 1000;
    const parts = [`${formatCount(this.progress.done)} of ${plural(this.progress.total, this.noun.one, this.noun.many)}`];
    const rate = this.progress.framesPerSec(elapsed);
    if (rate !== undefined) parts.push(`${rate.toFixed(1)} frames/s`);
    const eta = this.progress.etaSec(elapsed);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    const current = this.progress.newest();
    return parts.join(' · ') + (current ? ` — ${current.name}: ${activity(current.progress)}` : '');
  }

  /** Done so far over the batch, 0..1. */
  fraction(): number {
    return this.progress.fraction();
  }

  private emit(): ProgressUpdate {
    this.lastEmitAt = this.now();
    return this.bar.update(this.message(), this.progress.fraction());
  }
}

function facesText(done: number, total: number): string {
  return `Faces: frame ${formatCount(done)} of ${formatCount(total)}`;
}

function downloadText(file: string, receivedBytes: number, totalBytes?: number): string {
  return `Downloading ${file}: ${formatBytes(receivedBytes)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}`;
}
