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
  /** Videos in this run; above one, messages start with "Video i of n: name — ". */
  videoCount?: number;
  /** Least time between two updates of the same kind (default 250 ms: four a second). */
  minIntervalMs?: number;
  now?: () => number;
}

type Headline = 'faces' | 'download' | `stage:${string}`;

const FINISHING_STAGES: readonly string[] = ['timeline', 'write'];

export class AnalysisProgressReporter {
  private readonly videoCount: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private video = { index: 0, name: '' };
  private faces = { done: 0, total: 0 };
  private speech = { done: 0, total: 0 };
  private stage: { kind: string; message: string } = { kind: 'start', message: 'Starting' };
  private download: { file: string; receivedBytes: number; totalBytes?: number } | undefined;
  private lastEmitAt = -Infinity;
  private lastHeadline: Headline | undefined;
  private reportedPercent = 0;

  constructor(options: ProgressReporterOptions = {}) {
    this.videoCount = Math.max(1, options.videoCount ?? 1);
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** Starts the next video of the run (index from 0); always produces an update. */
  beginVideo(index: number, name: string): ProgressUpdate {
    this.video = { index, name };
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
    const prefix = this.videoCount > 1 ? `Video ${this.video.index + 1} of ${this.videoCount}: ${this.video.name} — ` : '';
    return prefix + this.activity();
  }

  /** Done so far, 0..100, over the whole run. */
  percent(): number {
    const fraction = FINISHING_STAGES.includes(this.stage.kind) ? 1 : this.faces.total > 0 ? Math.min(1, this.faces.done / this.faces.total) : 0;
    return (100 * (this.video.index + fraction)) / this.videoCount;
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

export function facesText(done: number, total: number): string {
  return `Faces: frame ${formatCount(done)} of ${formatCount(total)}`;
}

export function downloadText(file: string, receivedBytes: number, totalBytes?: number): string {
  return `Downloading ${file}: ${formatBytes(receivedBytes)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}`;
}

