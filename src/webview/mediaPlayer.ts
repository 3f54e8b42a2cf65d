/**
 * The media: the video (served through asWebviewUri), or, when it cannot play here (VS Code's player lacks
 * some codecs), a notice and a still of the selected face that the host cuts from the video with ffmpeg.
 * Either way the panel has a clock: the video's time, or the time of the selected row.
 */
import type { AnnotationDocument } from '../shared/annotationDocument';
import type { FaceRef, MediaSource } from '../shared/reviewProtocol';
import { el, replaceChildren } from './dom';
import { formatClock } from './formatting';

/** Stills are cut on demand; moving through rows quickly asks only for the one that stays selected. */
const STILL_DEBOUNCE_MS = 120;
const STILL_SIZE = 320;
const STILL_CACHE = 64;

export interface PlayerCallbacks {
  /** The time changed (playback, seeking); `playing` while the video runs. */
  timeChanged(timeSec: number, playing: boolean): void;
  requestStill(requestId: number, face: FaceRef, size: number): void;
}

export class MediaPlayer {
  private video: HTMLVideoElement | undefined;
  private uri: string | undefined;
  private fallback: { image: HTMLImageElement; caption: HTMLElement } | undefined;
  private clock = 0;
  private frameRequest = 0;
  private stillTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly stills = new Map<string, string>();
  private readonly pending = new Map<number, string>();
  private nextRequestId = 1;

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: PlayerCallbacks,
  ) {}

  /** The player is built once per media URI, so a snapshot after a reload does not reset playback. */
  show(media: MediaSource, doc: AnnotationDocument): void {
    const uri = media.status === 'available' ? media.uri : undefined;
    if (uri !== undefined && uri === this.uri) return;
    this.uri = uri;
    this.video = undefined;
    this.fallback = undefined;
    if (media.status === 'unavailable') {
      this.showFallback(`No preview: ${media.reason}.`);
      return;
    }
    if (media.kind === 'image') {
      replaceChildren(this.container, el('img', { class: 'media-image', src: media.uri, alt: `Analysed image ${doc.media.path}` }));
      return;
    }
    const video = el('video', { controls: true, preload: 'auto', 'aria-label': `Video ${doc.media.path}` });
    const source = el('source', { src: media.uri, type: media.mimeType });
    video.append(source);
    const cannotPlay = (): void => {
      if (this.video !== video) return;
      this.video = undefined;
      this.showFallback(cannotPlayText(doc));
    };
    video.addEventListener('error', cannotPlay);
    // A <source> that fails reports on itself, not on the <video>.
    source.addEventListener('error', cannotPlay);
    video.addEventListener('play', () => this.tick());
    video.addEventListener('seeked', () => this.emit());
    video.addEventListener('pause', () => this.emit());
    video.addEventListener('loadedmetadata', () => {
      if (this.clock > 0 && Math.abs(video.currentTime - this.clock) > 0.05) video.currentTime = this.clock;
    });
    this.video = video;
    replaceChildren(this.container, video);
    if (video.canPlayType(media.mimeType) === '') cannotPlay();
  }

  get currentTime(): number {
    return this.video ? this.video.currentTime : this.clock;
  }

  get playing(): boolean {
    return this.video !== undefined && !this.video.paused && !this.video.ended;
  }

  get canPlay(): boolean {
    return this.video !== undefined;
  }

  seek(timeSec: number): void {
    this.clock = Math.max(0, timeSec);
    if (this.video) {
      if (this.video.readyState > 0) this.video.currentTime = this.clock;
    }
    this.emit();
  }

  togglePlay(): void {
    const video = this.video;
    if (!video) return;
    if (video.paused || video.ended) void video.play().catch(() => undefined);
    else video.pause();
  }

  /** The face the panel has selected: shown as a still when the video cannot play. */
  showFace(face: FaceRef | undefined, timeSec: number, trackLabel: string): void {
    const fallback = this.fallback;
    if (!fallback || !face) return;
    fallback.caption.textContent = `${trackLabel} at ${formatClock(timeSec)}`;
    const key = `${face.frameIndex}:${face.trackId}`;
    const cached = this.stills.get(key);
    if (cached) {
      fallback.image.src = cached;
      fallback.image.hidden = false;
      return;
    }
    if (this.stillTimer) clearTimeout(this.stillTimer);
    this.stillTimer = setTimeout(() => {
      const requestId = this.nextRequestId++;
      this.pending.set(requestId, key);
      this.frameRequest = requestId;
      this.callbacks.requestStill(requestId, face, STILL_SIZE);
    }, STILL_DEBOUNCE_MS);
  }

  /** The host's answer to a still request. */
  receiveStill(requestId: number, dataUri: string | undefined, error: string | undefined): void {
    const key = this.pending.get(requestId);
    this.pending.delete(requestId);
    if (!key || !this.fallback) return;
    if (dataUri) {
      this.stills.set(key, dataUri);
      if (this.stills.size > STILL_CACHE) this.stills.delete(this.stills.keys().next().value!);
    }
    if (requestId !== this.frameRequest) return;
    this.fallback.image.hidden = !dataUri;
    if (dataUri) this.fallback.image.src = dataUri;
    else this.fallback.caption.textContent = `No still: ${error ?? 'unknown error'}`;
  }

  private showFallback(text: string): void {
    const image = el('img', { class: 'still', alt: 'The selected face in its frame', hidden: true });
    const caption = el('p', { class: 'still-caption' });
    this.fallback = { image, caption };
    replaceChildren(this.container,
      el('p', { class: 'media-problem', role: 'status' }, text),
      el('figure', { class: 'still-frame' }, image, caption),
    );
  }

  /** While playing: report the time every animation frame (the playhead moves smoothly; timeupdate is ~4 Hz). */
  private tick(): void {
    const video = this.video;
    if (!video) return;
    this.emit();
    if (!video.paused && !video.ended) requestAnimationFrame(() => this.tick());
  }

  private emit(): void {
    if (this.video) this.clock = this.video.currentTime;
    this.callbacks.timeChanged(this.clock, this.playing);
  }
}

function cannotPlayText(doc: AnnotationDocument): string {
  const codecs = [doc.media.videoCodec && `${doc.media.videoCodec} video`, doc.media.audioCodec && `${doc.media.audioCodec} audio`].filter(Boolean).join(', ');
  const which = codecs ? ` (${codecs})` : '';
  return `This video cannot be played here${which}: VS Code's built-in player lacks some codecs. Charts, transcript and labels still work; the selected face is shown as a still from the video.`;
}
