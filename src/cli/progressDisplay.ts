import type { AnalysisProgress } from '../core/engine/analysisRequest';
import { formatBytes, formatCount, formatDuration } from '../shared/textFormat';

/** Where progress goes: a redrawn bar on a terminal, plain lines (no control characters) otherwise. */
export interface ProgressSink {
  isTTY: boolean;
  columns?: number;
  write(text: string): void;
}

/**
 * Shows one input's progress: frames done of total with an ETA, speech position, downloads. On a terminal it
 * redraws one line at most ten times a second; in a log it prints a line every ten percent.
 */
export class ProgressDisplay {
  private faces = { done: 0, total: 0 };
  private speech = { done: 0, total: 0 };
  private stage = '';
  private readonly started: number;
  private lastDraw = 0;
  private lastLoggedDecile = -1;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(progress: AnalysisProgress): void {
    switch (progress.kind) {
      case 'faces':
        this.faces = { done: progress.framesDone, total: progress.framesTotal };
        break;
      case 'speech':
        this.speech = { done: progress.audioSecDone, total: progress.audioSecTotal };
        break;
      case 'stage':
        this.stage = progress.message;
        break;
      case 'download':
        this.stage = `Downloading ${progress.file} ${formatBytes(progress.receivedBytes)}${progress.totalBytes ? ` of ${formatBytes(progress.totalBytes)}` : ''}`;
        break;
      case 'warning':
        this.clear();
        this.sink.write(`  warning: ${progress.message}\n`);
        break;
    }
    this.render();
  }

  /** Removes the live line so that a result line can take its place. */
  clear(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }

  private render(): void {
    if (this.sink.isTTY) {
      const now = this.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.sink.write(`\r\x1b[2K${this.line(this.sink.columns ?? 100)}`);
      this.drawn = true;
      return;
    }
    if (this.faces.total <= 0) return;
    const decile = Math.floor((10 * this.faces.done) / this.faces.total);
    if (decile > this.lastLoggedDecile) {
      this.lastLoggedDecile = decile;
      this.sink.write(`  ${this.label}: ${this.counts()}\n`);
    }
  }

  /** The terminal line: bar, counts, ETA, speech, name; trimmed to the terminal width. */
  line(columns: number): string {
    const fraction = this.faces.total > 0 ? Math.min(1, this.faces.done / this.faces.total) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const text = this.faces.total > 0 ? `${bar} ${this.counts()}  ${this.label}` : `${this.stage}  ${this.label}`;
    return text.length > columns - 1 ? text.slice(0, columns - 2) + '…' : text;
  }

  private counts(): string {
    const parts = [`${this.faces.done}/${this.faces.total} frames`];
    const eta = this.etaSec();
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    if (this.speech.total > 0) parts.push(`speech ${formatDuration(this.speech.done)}/${formatDuration(this.speech.total)}`);
    return parts.join('  ');
  }

  private etaSec(): number | undefined {
    const elapsed = (this.now() - this.started) / 1000;
    if (this.faces.done < 3 || elapsed < 0.5 || this.faces.total <= this.faces.done) return undefined;
    return ((this.faces.total - this.faces.done) * elapsed) / this.faces.done;
  }
}

/**
 * Shows a batch's progress as one line: inputs done of total, frames per second and the ETA over the whole
 * batch (done inputs plus the done share of those in flight), and what is being analysed. On a terminal it
 * redraws at most ten times a second; in a log it prints a line at each tenth of the batch.
 */
export class BatchProgressDisplay {
  private done = 0;
  private framesDone = 0;
  /** Inputs in flight: their name and done fraction, and frames done so far. */
  private readonly current = new Map<number, { name: string; fraction: number; frames: number }>();
  private readonly started: number;
  private lastDraw = 0;
  private lastLoggedDecile = 0;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  start(index: number, name: string): void {
    this.current.set(index, { name, fraction: 0, frames: 0 });
    this.render();
  }

  update(index: number, progress: AnalysisProgress): void {
    const item = this.current.get(index);
    if (!item || progress.kind !== 'faces') return;
    item.fraction = progress.framesTotal > 0 ? Math.min(1, progress.framesDone / progress.framesTotal) : 0;
    item.frames = progress.framesDone;
    this.render();
  }

  /** An input is finished (analysed, skipped or failed); `frames` it analysed. */
  finish(index: number, frames = 0): void {
    this.current.delete(index);
    this.done++;
    this.framesDone += frames;
    this.render();
  }

  /** Removes the live line so that a result line can take its place. */
  clear(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** The terminal line: bar, inputs, frames/s, ETA, one current input; trimmed to the terminal width. */
  line(columns: number): string {
    const width = 24;
    const filled = Math.round(this.fraction() * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const name = [...this.current.values()][0]?.name;
    const text = `${bar} ${this.counts()}${name ? `  ${name}` : ''}`;
    return text.length > columns - 1 ? text.slice(0, columns - 2) + '…' : text;
  }

  private counts(): string {
    const parts = [`${formatCount(this.done)}/${formatCount(this.total)} inputs`];
    const elapsed = (this.now() - this.started) / 1000;
    const frames = this.framesDone + [...this.current.values()].reduce((n, c) => n + c.frames, 0);
    if (elapsed >= 1 && frames > 0) parts.push(`${(frames / elapsed).toFixed(1)} frames/s`);
    const fraction = this.fraction();
    if (elapsed >= 1 && fraction > 0.001 && fraction < 1) parts.push(`ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}`);
    return parts.join('  ');
  }

  private fraction(): number {
    if (this.total <= 0) return 1;
    const inFlight = [...this.current.values()].reduce((n, c) => n + c.fraction, 0);
    return Math.min(1, (this.done + inFlight) / this.total);
  }

  private render(): void {
    if (this.sink.isTTY) {
      const now = this.now();
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.sink.write(`\r\x1b[2K${this.line(this.sink.columns ?? 100)}`);
      this.drawn = true;
      return;
    }
    const decile = Math.floor((10 * this.done) / Math.max(1, this.total));
    if (decile > this.lastLoggedDecile) {
      this.lastLoggedDecile = decile;
      this.sink.write(`  batch: ${this.counts()}\n`);
    }
  }
}
