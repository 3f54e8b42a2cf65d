/**
 * The engine's progress events folded into where an analysis is: for one input, what is happening and how far;
 * for a batch, inputs done of total, frames per second and the time left over the whole batch. The CLI's
 * progress bar and the extension's progress notification both show this model, each in its own words.
 */
import type { AnalysisProgress } from './analysisRequest';

/** Stages after the frames: the input is as good as done. */
const FINISHING_STAGES: readonly string[] = ['timeline', 'write'];

export interface DownloadState {
  file: string;
  receivedBytes: number;
  totalBytes?: number;
}

/** One input's progress. */
export class InputProgress {
  faces = { done: 0, total: 0 };
  speech = { done: 0, total: 0 };
  /** The newest stage (`start` before any). */
  stage: { kind: string; message: string } = { kind: 'start', message: 'Starting' };
  /** A model download in progress, until the next stage or frames start. */
  download: DownloadState | undefined;

  /** Takes one event; a warning changes nothing here (faces report it on their own). */
  apply(progress: AnalysisProgress): void {
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
        this.download = undefined;
        break;
      case 'download':
        this.download = { file: progress.file, receivedBytes: progress.receivedBytes, totalBytes: progress.totalBytes };
        break;
      case 'warning':
        break;
    }
  }

  /** Building the timeline or writing the document. */
  finishing(): boolean {
    return FINISHING_STAGES.includes(this.stage.kind);
  }

  /** Done so far, 0..1: the frames' share, and all of it once the frames are done. */
  fraction(): number {
    if (this.finishing()) return 1;
    return this.faces.total > 0 ? Math.min(1, this.faces.done / this.faces.total) : 0;
  }

  /** Seconds left at the pace so far, once there is a pace to go by. */
  etaSec(elapsedSec: number): number | undefined {
    const { done, total } = this.faces;
    if (done < 3 || elapsedSec < 0.5 || total <= done) return undefined;
    return ((total - done) * elapsedSec) / done;
  }
}

/** A batch's progress: the inputs in flight each have an InputProgress. */
export class BatchProgress {
  private readonly running = new Map<number, { name: string; progress: InputProgress }>();
  private newestIndex: number | undefined;
  private finished = 0;
  private framesFinished = 0;

  constructor(readonly total: number) {}

  /** Inputs over (analysed, skipped or failed). */
  get done(): number {
    return this.finished;
  }

  begin(index: number, name: string): void {
    this.running.set(index, { name, progress: new InputProgress() });
    this.newestIndex = index;
  }

  /** Takes an input's event; false when the input is not in flight. */
  apply(index: number, progress: AnalysisProgress): boolean {
    const item = this.running.get(index);
    if (!item) return false;
    item.progress.apply(progress);
    if (progress.kind === 'stage' || progress.kind === 'download') this.newestIndex = index;
    return true;
  }

  /** An input is over, with the frames it analysed. */
  finish(index: number, frames = 0): void {
    this.running.delete(index);
    if (this.newestIndex === index) this.newestIndex = [...this.running.keys()].at(-1);
    this.finished++;
    this.framesFinished += frames;
  }

  /** The inputs in flight, oldest first. */
  inFlight(): { name: string; progress: InputProgress }[] {
    return [...this.running.values()];
  }

  /** The input whose stage changed last (what a one-line view names). */
  newest(): { name: string; progress: InputProgress } | undefined {
    return this.newestIndex === undefined ? undefined : this.running.get(this.newestIndex);
  }

  /** Done so far over the batch, 0..1 (inputs over, plus the done share of those in flight). */
  fraction(): number {
    if (this.total <= 0) return 1;
    const inFlight = this.inFlight().reduce((n, i) => n + i.progress.fraction(), 0);
    return Math.min(1, (this.finished + inFlight) / this.total);
  }

  /** Frames analysed per second over the batch, from its first second on. */
  framesPerSec(elapsedSec: number): number | undefined {
    const frames = this.framesFinished + this.inFlight().reduce((n, i) => n + i.progress.faces.done, 0);
    return elapsedSec >= 1 && frames > 0 ? frames / elapsedSec : undefined;
  }

  /** Seconds left at the pace so far. */
  etaSec(elapsedSec: number): number | undefined {
    const fraction = this.fraction();
    return elapsedSec >= 1 && fraction > 0.001 && fraction < 1 ? (elapsedSec * (1 - fraction)) / fraction : undefined;
  }
}
