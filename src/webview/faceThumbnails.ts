/**
 * Face thumbnails for the label table, made lazily for the rows on screen. Preferred source: a second, hidden
 * <video> of the same file that seeks to each row's time (one seek at a time) and draws the face to a canvas.
 * When the video cannot play here (or its frames cannot be read back), the host's ffmpeg stills are used
 * instead (two requests at a time). Either way results are cached (LRU) by frame and track.
 */
import type { AnnotationDocument } from '../shared/annotationDocument';
import type { FaceRef, MediaSource, StillAnswer } from '../shared/reviewProtocol';
import { el } from './dom';
import type { ThumbnailJob } from './thumbnailQueue';
import { LruCache, ThumbnailQueue, thumbnailSourceRect } from './thumbnailQueue';

/** Pixels of a thumbnail's side (shown at 32 CSS px: crisp on a 1.5x display). */
export const THUMBNAIL_SIZE = 48;
const CACHE_ENTRIES = 500;
const HOST_CONCURRENCY = 2;
/** A seek that never reports back (a broken file) must not stall the queue. */
const SEEK_TIMEOUT_MS = 4000;

type Mode = 'none' | 'video' | 'host';

export class FaceThumbnails {
  private readonly cache = new LruCache<string>(CACHE_ENTRIES);
  private queue = this.newQueue(1);
  private mode: Mode = 'none';
  private uri: string | undefined;
  private video: HTMLVideoElement | undefined;
  private videoReady: Promise<boolean> = Promise.resolve(false);
  private readonly canvas = el('canvas', { width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE });
  private frameWidth = 0;
  private frameHeight = 0;
  /** Called when a thumbnail is ready for a row still on screen. */
  ready: (key: string, url: string) => void = () => undefined;

  constructor(private readonly requestStill: (face: FaceRef, size: number) => Promise<StillAnswer>) {}

  /** Picks the source for this media; kept across snapshots of the same media (the cache stays valid). */
  setSource(media: MediaSource, doc: AnnotationDocument): void {
    // Only a video has faces to cut (an audio recording served as .mp4 has none).
    const uri = media.status === 'available' && media.kind === 'video' && doc.media.kind === 'video' ? media.uri : undefined;
    this.frameWidth = doc.media.width;
    this.frameHeight = doc.media.height;
    if (uri === this.uri && this.mode !== 'none') return;
    this.uri = uri;
    this.video?.removeAttribute('src');
    this.video = undefined;
    if (uri === undefined || media.status !== 'available') {
      this.setMode('none');
      return;
    }
    const video = el('video', { muted: true, preload: 'auto', src: uri });
    video.muted = true;
    this.video = video;
    this.videoReady = new Promise<boolean>((resolve) => {
      video.addEventListener('loadeddata', () => resolve(true), { once: true });
      video.addEventListener('error', () => resolve(false), { once: true });
    });
    this.setMode(video.canPlayType(media.mimeType) === '' ? 'host' : 'video');
    void this.videoReady.then((ok) => {
      if (!ok && this.video === video) this.setMode('host');
    });
  }

  /** The player could not play the video: use the host's stills. */
  useHostStills(): void {
    if (this.mode === 'video') this.setMode('host');
  }

  get source(): Mode {
    return this.mode;
  }

  cached(key: string): string | undefined {
    return this.cache.get(key);
  }

  /** The rows on screen, most important first: starts work on them, forgets the rest. */
  want(jobs: readonly ThumbnailJob[]): void {
    if (this.mode === 'none') return;
    this.queue.setWanted(jobs);
    this.pump();
  }

  private newQueue(maxRunning: number): ThumbnailQueue {
    return new ThumbnailQueue(maxRunning, (key) => this.cache.has(key));
  }

  private setMode(mode: Mode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.queue = this.newQueue(mode === 'host' ? HOST_CONCURRENCY : 1);
  }

  private pump(): void {
    const queue = this.queue;
    for (let job = queue.take(); job; job = queue.take()) {
      const started = job;
      // A thumbnail of a queue replaced meanwhile (the source changed) is dropped.
      void (this.mode === 'host' ? this.hostStill(started) : this.grab(started)).then((url) => {
        if (this.queue === queue) this.done(started, url);
      });
    }
  }

  private done(job: ThumbnailJob, url: string | undefined): void {
    this.queue.finish(job.key, url === undefined);
    if (url !== undefined) {
      this.cache.set(job.key, url);
      this.ready(job.key, url);
    }
    // Let scrolling and keys run before the next seek or request.
    setTimeout(() => this.pump(), 0);
  }

  /** The host's ffmpeg still of the job's face, or undefined when it has none. */
  private hostStill(job: ThumbnailJob): Promise<string | undefined> {
    return this.requestStill({ frameIndex: job.frameIndex, trackId: job.trackId }, THUMBNAIL_SIZE).then((answer) => answer.dataUri, () => undefined);
  }

  /** Seeks the hidden video to the job's time and draws the face, off the critical path (idle time). */
  private async grab(job: ThumbnailJob): Promise<string | undefined> {
    const video = this.video;
    if (!video || !(await this.videoReady) || this.video !== video) return undefined;
    if (!(await seekTo(video, job.timeSec))) return undefined;
    await idle();
    const rect = thumbnailSourceRect(job.box, this.frameWidth, this.frameHeight, video.videoWidth, video.videoHeight);
    const context = this.canvas.getContext('2d');
    if (!rect || !context) {
      this.setMode('host');
      return undefined;
    }
    try {
      context.drawImage(video, rect.x, rect.y, rect.width, rect.height, 0, 0, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
      return this.canvas.toDataURL('image/jpeg', 0.85);
    } catch {
      // A canvas tainted by a cross-origin video cannot be read back: the host's stills work everywhere.
      this.setMode('host');
      return undefined;
    }
  }
}

function seekTo(video: HTMLVideoElement, timeSec: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      video.removeEventListener('seeked', onSeeked);
      resolve(ok);
    };
    const onSeeked = (): void => finish(true);
    const timer = setTimeout(() => finish(false), SEEK_TIMEOUT_MS);
    video.addEventListener('seeked', onSeeked);
    video.currentTime = Math.min(Math.max(0, timeSec), Number.isFinite(video.duration) ? video.duration : timeSec);
  });
}

function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 200 });
    else setTimeout(resolve, 0);
  });
}
