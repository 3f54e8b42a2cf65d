/**
 * The media: the video or, for an audio recording, an audio player (both served through asWebviewUri), or,
 * when it cannot play here (VS Code's player lacks some codecs) or is missing, a notice, a still of the
 * selected face that the host cuts from the video with ffmpeg (not for audio), and the panel's own playback
 * clock (a play button and Space), so playback still moves the playhead, the selected row and the transcript.
 * Either way the panel has one clock: the media element's time, or its own.
 */
import type { AnnotationDocument } from '../shared/annotationDocument';
import type { FaceRef, MediaSource, StillAnswer } from '../shared/reviewProtocol';
import { el, replaceChildren } from './dom';
import { formatClock } from './formatting';
import { PlaybackClock } from './playbackClock';
import { faceKey } from '../shared/labelPrecedence';

/** Stills are cut on demand; moving through rows quickly asks only for the one that stays selected. */
const STILL_DEBOUNCE_MS = 120;
const STILL_SIZE = 320;
const STILL_CACHE = 64;
/**
 * Chromium (VS Code's webviews) sometimes never finishes a seek of a paused video after several quick ones (moving
 * through rows by keyboard): `seeking` stays true, `seeked` never comes and the picture stays on the old frame.
 * Asking for the same time again completes it (seen in headless Chromium about one run in four of the panel test).
 */
const SEEK_STALL_MS = 1000;
const SEEK_RETRIES = 3;

export interface PlayerCallbacks {
  /** The time changed (playback, seeking); `playing` while the media runs. */
  timeChanged(timeSec: number, playing: boolean): void;
  /** A still of the face cut by the host. */
  requestStill(face: FaceRef, size: number): Promise<StillAnswer>;
}

interface Fallback {
  image: HTMLImageElement;
  caption: HTMLElement;
  /** The clock's controls: absent when there is nothing to play (a single image). */
  playButton: HTMLElement | undefined;
  timeText: HTMLElement | undefined;
  /** Says "Playing" / "Paused at …" to screen readers (the time text changes every frame, so it is not live). */
  announcer: HTMLElement;
}

interface WantedStill {
  key: string;
  face: FaceRef;
}

export class MediaPlayer {
  /** The <video> or <audio> that plays, while it can. */
  private video: HTMLMediaElement | undefined;
  private uri: string | undefined;
  private fallback: Fallback | undefined;
  /** The time when no video plays (and the last known time when one does). */
  private readonly clock = new PlaybackClock(0, () => performance.now());
  private clockFrame = 0;
  private shownClockText = '';
  private frameRequest = 0;
  private stillTimer: ReturnType<typeof setTimeout> | undefined;
  /** The still the panel wants now; one request is in flight at a time, and the latest wish wins. */
  private wantedStill: WantedStill | undefined;
  private readonly stills = new Map<string, string>();
  private stillInFlight = false;
  private seekWatch: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly callbacks: PlayerCallbacks,
  ) {}

  /** The player is built once per media URI, so a snapshot after a reload does not reset playback. */
  show(media: MediaSource, doc: AnnotationDocument): void {
    const audio = isAudio(media, doc);
    this.clock.setDuration(doc.media.kind === 'image' ? 0 : mediaDuration(doc));
    this.refreshClockControls();
    const uri = media.status === 'available' ? media.uri : undefined;
    if (uri !== undefined && uri === this.uri) return;
    this.uri = uri;
    this.video = undefined;
    this.fallback = undefined;
    if (media.status === 'unavailable') {
      this.showFallback(`No ${audio ? 'playback' : 'preview'}: ${media.reason}.`, !audio);
      return;
    }
    if (media.kind === 'image' && !audio) {
      replaceChildren(this.container, el('img', { class: 'media-image', src: media.uri, alt: `Analysed image ${doc.media.path}` }));
      return;
    }
    const video = audio
      ? el('audio', { controls: true, preload: 'auto', class: 'media-audio', 'aria-label': `Audio ${doc.media.path}` })
      : el('video', { controls: true, preload: 'auto', 'aria-label': `Video ${doc.media.path}` });
    const source = el('source', { src: media.uri, type: media.mimeType });
    video.append(source);
    const cannotPlay = (): void => {
      if (this.video !== video) return;
      this.video = undefined;
      this.showFallback(cannotPlayText(doc, audio), !audio);
    };
    video.addEventListener('error', cannotPlay);
    // A <source> that fails reports on itself, not on the <video>.
    source.addEventListener('error', cannotPlay);
    video.addEventListener('play', () => this.tick());
    video.addEventListener('seeked', () => this.emit());
    video.addEventListener('pause', () => this.emit());
    video.addEventListener('loadedmetadata', () => {
      // A video track the player cannot decode beside audio it can: no error fires, the picture stays blank
      // and only the audio plays. The document knows the video has pixels, so that is a "cannot play" too.
      if (video instanceof HTMLVideoElement && video.videoWidth === 0 && doc.media.width > 0) {
        cannotPlay();
        return;
      }
      const t = this.clock.timeSec;
      if (t > 0 && Math.abs(video.currentTime - t) > 0.05) video.currentTime = t;
    });
    this.video = video;
    if (audio) {
      // No picture to show: the player, and a line on what the panel shows instead.
      replaceChildren(this.container, el('div', { class: 'audio-player' },
        video,
        el('p', { class: 'audio-note' }, 'Audio recording: no picture and no faces. The speech chart shows the words\u2019 sentiment and the voice\u2019s arousal and pitch; click a word or the chart to play from there.'),
      ));
    } else replaceChildren(this.container, video);
    if (video.canPlayType(media.mimeType) === '') cannotPlay();
  }

  get currentTime(): number {
    return this.video ? this.video.currentTime : this.clock.timeSec;
  }

  get playing(): boolean {
    if (this.video) return !this.video.paused && !this.video.ended;
    return this.clock.playing;
  }

  get canPlay(): boolean {
    return this.video !== undefined;
  }

  seek(timeSec: number): void {
    this.clock.seek(timeSec);
    if (this.video && this.video.readyState > 0) {
      this.video.currentTime = this.clock.timeSec;
      this.watchSeek(this.video, this.video.currentTime, SEEK_RETRIES);
    }
    this.emit();
  }

  /** Asks again for a seek that has not finished after SEEK_STALL_MS, unless another seek or media came since. */
  private watchSeek(video: HTMLMediaElement, target: number, retries: number): void {
    if (this.seekWatch) clearTimeout(this.seekWatch);
    this.seekWatch = setTimeout(() => {
      this.seekWatch = undefined;
      if (this.video !== video || !video.seeking || video.currentTime !== target || retries <= 0) return;
      video.currentTime = target;
      this.watchSeek(video, target, retries - 1);
    }, SEEK_STALL_MS);
  }

  /** Space: the media's play/pause, or the panel's clock when it cannot play (or there is none). */
  togglePlay(): void {
    const video = this.video;
    if (video) {
      if (video.paused || video.ended) void video.play().catch(() => undefined);
      else video.pause();
      return;
    }
    if (!this.fallback || !this.clock.canPlay) return;
    const playing = this.clock.toggle();
    this.refreshClockControls();
    this.announce(playing ? `Playing from ${formatClock(this.clock.timeSec)}` : `Paused at ${formatClock(this.clock.timeSec)}`);
    if (playing) this.runClock();
    else this.emit();
  }

  /** The face the panel has selected: shown as a still when the video cannot play. */
  showFace(face: FaceRef | undefined, timeSec: number, trackLabel: string): void {
    const fallback = this.fallback;
    if (!fallback || !face) return;
    fallback.caption.textContent = `${trackLabel} at ${formatClock(timeSec)}`;
    const key = faceKey(face.frameIndex, face.trackId);
    this.wantedStill = { key, face };
    const cached = this.stills.get(key);
    if (cached) {
      fallback.image.src = cached;
      fallback.image.hidden = false;
      return;
    }
    if (this.stillTimer) clearTimeout(this.stillTimer);
    // While a still is being cut, the next one waits for it (ffmpeg per frame cannot keep up with playback).
    if (this.stillInFlight) return;
    this.stillTimer = setTimeout(() => this.requestWantedStill(), STILL_DEBOUNCE_MS);
  }

  /** The host's answer to still request number `request`, for the face `key`. */
  private receiveStill(request: number, key: string, { dataUri, error }: StillAnswer): void {
    this.stillInFlight = false;
    if (!this.fallback) return;
    if (dataUri) {
      this.stills.set(key, dataUri);
      if (this.stills.size > STILL_CACHE) this.stills.delete(this.stills.keys().next().value!);
    }
    const wanted = this.wantedStill;
    if (wanted && wanted.key !== key) {
      // The selection moved on while this one was cut: show the newer face, cut if need be.
      const cached = this.stills.get(wanted.key);
      if (cached) {
        this.fallback.image.src = cached;
        this.fallback.image.hidden = false;
      } else this.requestWantedStill();
      return;
    }
    if (request !== this.frameRequest) return;
    this.fallback.image.hidden = !dataUri;
    if (dataUri) this.fallback.image.src = dataUri;
    else this.fallback.caption.textContent = `No still: ${error ?? 'unknown error'}`;
  }

  private requestWantedStill(): void {
    const wanted = this.wantedStill;
    if (!wanted || this.stills.has(wanted.key)) return;
    const request = ++this.frameRequest;
    this.stillInFlight = true;
    void this.callbacks.requestStill(wanted.face, STILL_SIZE).then(
      (answer) => this.receiveStill(request, wanted.key, answer),
      (error: unknown) => this.receiveStill(request, wanted.key, { error: error instanceof Error ? error.message : String(error) }),
    );
  }

  /** `stills`: there is a picture to cut stills from (not for an audio recording). */
  private showFallback(text: string, stills = true): void {
    const image = el('img', { class: 'still', alt: 'The selected face in its frame', hidden: true });
    const caption = el('p', { class: 'still-caption' });
    const announcer = el('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    let playButton: HTMLElement | undefined;
    let timeText: HTMLElement | undefined;
    let controls: HTMLElement | undefined;
    if (this.clock.canPlay) {
      playButton = el('vscode-button', { class: 'clock-play', secondary: true });
      playButton.addEventListener('click', () => this.togglePlay());
      timeText = el('span', { class: 'clock-time', 'aria-hidden': 'true' });
      controls = el('div', { class: 'clock-controls', role: 'group', 'aria-label': 'Playback without video' }, playButton, timeText);
    }
    this.fallback = { image, caption, playButton, timeText, announcer };
    this.shownClockText = '';
    replaceChildren(this.container,
      el('p', { class: 'media-problem', role: 'status' }, text),
      controls,
      stills && el('figure', { class: 'still-frame' }, image, caption),
      announcer,
    );
    this.refreshClockControls();
  }

  /** Every animation frame while the panel's clock runs: the time moves on like the video's would. */
  private runClock(): void {
    if (this.clockFrame) return;
    const step = (): void => {
      this.clockFrame = 0;
      this.clock.tick();
      this.emit();
      if (this.clock.playing) {
        this.clockFrame = requestAnimationFrame(step);
        return;
      }
      this.refreshClockControls();
      if (this.clock.timeSec >= this.clock.duration) this.announce('Reached the end');
    };
    this.clockFrame = requestAnimationFrame(step);
  }

  /** The play button's label and the time readout follow the clock. */
  private refreshClockControls(): void {
    const fallback = this.fallback;
    if (!fallback?.playButton || !fallback.timeText) return;
    const playing = this.clock.playing;
    const label = playing ? 'Pause (Space)' : 'Play (Space)';
    if (fallback.playButton.getAttribute('aria-label') !== label) {
      fallback.playButton.textContent = playing ? '❚❚ Pause' : '▶ Play';
      fallback.playButton.setAttribute('aria-label', label);
      fallback.playButton.setAttribute('title', `${label}: plays the timeline without the video`);
    }
    const text = `${formatClock(this.clock.timeSec)} / ${formatClock(this.clock.duration)}`;
    if (text !== this.shownClockText) {
      this.shownClockText = text;
      fallback.timeText.textContent = text;
    }
  }

  private announce(text: string): void {
    if (this.fallback) this.fallback.announcer.textContent = text;
  }

  /** While playing: report the time every animation frame (the playhead moves smoothly; timeupdate is ~4 Hz). */
  private tick(): void {
    const video = this.video;
    if (!video) return;
    this.emit();
    if (!video.paused && !video.ended) requestAnimationFrame(() => this.tick());
  }

  private emit(): void {
    if (this.video) this.clock.seek(this.video.currentTime);
    else this.refreshClockControls();
    this.callbacks.timeChanged(this.currentTime, this.playing);
  }
}

/** The media's length: its duration, or the last sampled frame's time when that is later. */
function mediaDuration(doc: AnnotationDocument): number {
  return Math.max(doc.media.durationSec, doc.frames.at(-1)?.timeSec ?? 0, 0);
}

/** An audio recording (the document says so, or the file is an audio type): played by an <audio>, no stills. */
function isAudio(media: MediaSource, doc: AnnotationDocument): boolean {
  return doc.media.kind === 'audio' || (media.status === 'available' && media.kind === 'audio');
}

function cannotPlayText(doc: AnnotationDocument, audio: boolean): string {
  const codecs = [doc.media.videoCodec && `${doc.media.videoCodec} video`, doc.media.audioCodec && `${doc.media.audioCodec} audio`].filter(Boolean).join(', ');
  const which = codecs ? ` (${codecs})` : '';
  if (audio) return `This recording cannot be played here${which}: VS Code's built-in player lacks some codecs. The charts and the transcript still work, and the play button (or Space) runs the timeline without sound.`;
  return `This video cannot be played here${which}: VS Code's built-in player lacks some codecs. Charts, transcript and labels still work; the selected face is shown as a still from the video.`;
}
