/**
 * The CLI's view of the engine's progress (core/engine/progressModel.ts): on a terminal one line redrawn at
 * most ten times a second, in a log a plain line at each tenth.
 */
import type { AnalysisProgress } from '../core/engine/analysisRequest';
import { BatchProgress, InputProgress } from '../core/engine/progressModel';
import { formatBytes, formatCount, formatDuration } from '../shared/textFormat';

/** Where progress goes: a redrawn bar on a terminal, plain lines (no control characters) otherwise. */
export interface ProgressSink {
  isTTY: boolean;
  columns?: number;
  write(text: string): void;
}

const BAR_WIDTH = 24;

function bar(fraction: number): string {
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

/** The text cut to the terminal's width. */
function fit(text: string, columns: number): string {
  return text.length > columns - 1 ? text.slice(0, columns - 2) + '…' : text;
}

/** One live line on a terminal, plain lines in a log, written through a sink. */
abstract class LiveLine {
  private lastDraw = 0;
  private lastLoggedDecile: number;
  private drawn = false;

  protected constructor(
    protected readonly sink: ProgressSink,
    protected readonly now: () => number,
    firstDecile: number,
  ) {
    this.lastLoggedDecile = firstDecile;
  }

  /** Removes the live line so that a result line can take its place. */
  clear(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** The terminal line, cut to `columns`. */
  abstract line(columns: number): string;

  /** Redraws the terminal line (throttled), or in a log writes `logLine` when a new tenth is reached. */
  protected render(decile: number | undefined, logLine: () => string): void {
    if (this.sink.isTTY) {
      const now = this.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.sink.write(`\r\x1b[2K${this.line(this.sink.columns ?? 100)}`);
      this.drawn = true;
      return;
    }
    if (decile === undefined || decile <= this.lastLoggedDecile) return;
    this.lastLoggedDecile = decile;
    this.sink.write(`${logLine()}\n`);
  }
}

/** One input's progress: frames done of total with an ETA, speech position, downloads. */
export class ProgressDisplay extends LiveLine {
  private readonly progress = new InputProgress();
  private readonly started: number;

  constructor(sink: ProgressSink, private readonly label: string, now: () => number = Date.now) {
    super(sink, now, -1);
    this.started = now();
  }

  update(progress: AnalysisProgress): void {
    this.progress.apply(progress);
    if (progress.kind === 'warning') {
      this.clear();
      this.sink.write(`  warning: ${progress.message}\n`);
    }
    const { done, total } = this.progress.faces;
    this.render(total > 0 ? Math.floor((10 * done) / total) : undefined, () => `  ${this.label}: ${this.counts()}`);
  }

  /** The terminal line: bar, counts, ETA, speech, name. */
  line(columns: number): string {
    const text = this.progress.faces.total > 0 ? `${bar(this.progress.fraction())} ${this.counts()}  ${this.label}` : `${this.activity()}  ${this.label}`;
    return fit(text, columns);
  }

  private activity(): string {
    const download = this.progress.download;
    if (!download) return this.progress.stage.message;
    return `Downloading ${download.file} ${formatBytes(download.receivedBytes)}${download.totalBytes ? ` of ${formatBytes(download.totalBytes)}` : ''}`;
  }

  private counts(): string {
    const { faces, speech } = this.progress;
    const parts = [`${faces.done}/${faces.total} frames`];
    const eta = this.progress.etaSec((this.now() - this.started) / 1000);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    if (speech.total > 0) parts.push(`speech ${formatDuration(speech.done)}/${formatDuration(speech.total)}`);
    return parts.join('  ');
  }
}

/**
 * A batch's progress as one line: inputs done of total, frames per second and the ETA over the whole batch,
 * and the oldest input in flight.
 */
export class BatchProgressDisplay extends LiveLine {
  private readonly progress: BatchProgress;
  private readonly started: number;

  constructor(sink: ProgressSink, total: number, now: () => number = Date.now) {
    super(sink, now, 0);
    this.progress = new BatchProgress(total);
    this.started = now();
  }

  start(index: number, name: string): void {
    this.progress.begin(index, name);
    this.draw();
  }

  update(index: number, progress: AnalysisProgress): void {
    if (this.progress.apply(index, progress)) this.draw();
  }

  /** An input is finished (analysed, skipped or failed); `frames` it analysed. */
  finish(index: number, frames = 0): void {
    this.progress.finish(index, frames);
    this.draw();
  }

  /** The terminal line: bar, inputs, frames/s, ETA, one current input. */
  line(columns: number): string {
    const name = this.progress.inFlight()[0]?.name;
    return fit(`${bar(this.progress.fraction())} ${this.counts()}${name ? `  ${name}` : ''}`, columns);
  }

  private draw(): void {
    this.render(Math.floor((10 * this.progress.done) / Math.max(1, this.progress.total)), () => `  batch: ${this.counts()}`);
  }

  private counts(): string {
    const elapsed = (this.now() - this.started) / 1000;
    const parts = [`${formatCount(this.progress.done)}/${formatCount(this.progress.total)} inputs`];
    const rate = this.progress.framesPerSec(elapsed);
    if (rate !== undefined) parts.push(`${rate.toFixed(1)} frames/s`);
    const eta = this.progress.etaSec(elapsed);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    return parts.join('  ');
  }
}
