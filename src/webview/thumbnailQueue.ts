/**
 * The policy behind the label table's face thumbnails, pure (no DOM) so it is unit-tested under Node: a
 * bounded LRU cache of finished thumbnails, and a queue that works on what is on screen now (visible rows
 * first), forgets rows scrolled away, and caps how many requests run at once.
 */
import type { Box } from '../shared/annotationDocument';

/** One thumbnail to make: a face box at a frame's time. */
export interface ThumbnailJob {
  /** `frameIndex:trackId`, the cache key (the same key the table rows carry). */
  key: string;
  frameIndex: number;
  trackId: number;
  timeSec: number;
  box: Box;
}

/** Least recently used entries go first once `capacity` is reached (a Map keeps insertion order). */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Reading counts as a use: the entry moves to the young end. */
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/**
 * Table positions in the order thumbnails should be made: those inside the viewport top to bottom, then the
 * overscan rows by their distance from the viewport (rows just below before rows far above).
 */
export function visibleFirst(positions: readonly number[], viewFirst: number, viewLast: number): number[] {
  const distance = (p: number): number => (p < viewFirst ? viewFirst - p : p > viewLast ? p - viewLast : 0);
  return [...positions].sort((a, b) => distance(a) - distance(b) || a - b);
}

export class ThumbnailQueue {
  private wanted: ThumbnailJob[] = [];
  private readonly running = new Set<string>();
  /** Keys that failed: not asked again (a frame that cannot be decoded stays a placeholder). */
  private readonly failed = new LruCache<true>(2000);

  constructor(
    readonly maxRunning: number,
    private readonly isDone: (key: string) => boolean,
  ) {}

  /** What the screen needs now, most important first; anything queued for rows no longer shown is dropped. */
  setWanted(jobs: readonly ThumbnailJob[]): void {
    const seen = new Set<string>();
    this.wanted = jobs.filter((job) => {
      if (seen.has(job.key) || this.isDone(job.key) || this.failed.has(job.key)) return false;
      seen.add(job.key);
      return true;
    });
  }

  /** The next job to start, or undefined when enough are running or nothing is wanted. */
  take(): ThumbnailJob | undefined {
    if (this.running.size >= this.maxRunning) return undefined;
    const index = this.wanted.findIndex((job) => !this.running.has(job.key) && !this.isDone(job.key));
    if (index < 0) return undefined;
    const [job] = this.wanted.splice(index, 1);
    this.running.add(job!.key);
    return job;
  }

  /** A started job ended (made, or failed for good when `failed`). */
  finish(key: string, failed = false): void {
    this.running.delete(key);
    if (failed) this.failed.set(key, true);
  }

  /** Still on screen: a finished thumbnail for a row scrolled away is cached but not shown. */
  isWanted(key: string): boolean {
    return this.wanted.some((job) => job.key === key);
  }

  get queued(): number {
    return this.wanted.length;
  }

  get runningCount(): number {
    return this.running.size;
  }
}

/** How much of the face's surroundings a thumbnail shows (1 = the box alone). */
const THUMBNAIL_CONTEXT = 1.3;

/**
 * The source rectangle for `drawImage`: the box (in displayed, rotation-applied pixels of a `frameWidth` x
 * `frameHeight` frame) grown to a square around its centre, kept inside the frame, and scaled to the video's
 * intrinsic size (Chromium reports and draws video frames with the rotation applied). Undefined when the
 * video's shape does not match the document's (a rotation the browser ignored): the crop would be wrong.
 */
export function thumbnailSourceRect(
  box: Box, frameWidth: number, frameHeight: number, videoWidth: number, videoHeight: number,
): { x: number; y: number; width: number; height: number } | undefined {
  if (frameWidth <= 0 || frameHeight <= 0 || videoWidth <= 0 || videoHeight <= 0) return undefined;
  if (Math.abs(frameWidth / frameHeight - videoWidth / videoHeight) > 0.03 * (frameWidth / frameHeight)) return undefined;
  const [bx, by, bw, bh] = box;
  const side = Math.max(2, Math.min(Math.max(bw, bh) * THUMBNAIL_CONTEXT, frameWidth, frameHeight));
  const x = Math.min(Math.max(bx + bw / 2 - side / 2, 0), frameWidth - side);
  const y = Math.min(Math.max(by + bh / 2 - side / 2, 0), frameHeight - side);
  const sx = videoWidth / frameWidth;
  const sy = videoHeight / frameHeight;
  return { x: x * sx, y: y * sy, width: side * sx, height: side * sy };
}
