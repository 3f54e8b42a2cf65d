/**
 * The landmark overlay: each face's 68 points (iBUG 300-W: jaw, brows, nose, eyes, lips) drawn over the video
 * at the sampled frame nearest the playhead. The document holds no mesh, so the points of one frame at a time
 * are asked of the host (which reads the mesh sidecar) and a few hundred frames are kept; while a request is
 * out, the newest wish waits and older ones are dropped, so playback never queues requests.
 */
import type { AnnotationDocument } from '../shared/annotationDocument';
import { geometryMeasured } from '../shared/faceGeometry';
import type { LandmarksAnswer } from '../shared/reviewProtocol';
import { lowerBound } from './chartSeriesModel';
import { el } from './dom';

const CACHE_FRAMES = 300;
/** iBUG-68 contours as [first, last, closed]: jaw, brows, nose bridge, nostrils, eyes, outer and inner lips. */
const CONTOURS: readonly [number, number, boolean][] = [[0, 16, false], [17, 21, false], [22, 26, false], [27, 30, false], [31, 35, false], [36, 41, true], [42, 47, true], [48, 59, true], [60, 67, true]];

export interface OverlayCallbacks {
  request(frameIndex: number): Promise<LandmarksAnswer>;
  /** Something the reviewer should know (no mesh, the sidecar is missing...). */
  notice(text: string): void;
}

export class LandmarkOverlay {
  readonly canvas = el('canvas', { class: 'landmark-overlay', 'aria-hidden': 'true', hidden: true });
  private on = false;
  /** Sampled frames with at least one measured face, in time order. */
  private frameTimes = new Float64Array(0);
  private frameIndices = new Int32Array(0);
  private stepSec = Infinity;
  private source = { width: 0, height: 0 };
  private meshLinked = false;
  private readonly cache = new Map<number, LandmarksAnswer>();
  private shownFrame = -1;
  private wanted = -1;
  private inFlight = false;
  private failed = false;

  constructor(
    private readonly frame: HTMLElement,
    private readonly callbacks: OverlayCallbacks,
  ) {
    new ResizeObserver(() => this.draw()).observe(frame);
  }

  /** A new document: its frames with geometry, and whether it links a mesh at all. */
  setDocument(doc: AnnotationDocument, on: boolean): void {
    const section = (doc as Partial<AnnotationDocument>).geometry;
    this.meshLinked = doc.media.kind !== 'audio' && section?.status === 'ok' && section.mesh !== undefined;
    const frames = doc.frames.filter((f) => f.faces.some((face) => geometryMeasured(face.geometry)));
    this.frameTimes = Float64Array.from(frames, (f) => f.timeSec);
    this.frameIndices = Int32Array.from(frames, (f) => f.index);
    const steps = frames.slice(1, 200).map((f, i) => f.timeSec - frames[i]!.timeSec).sort((a, b) => a - b);
    this.stepSec = steps.length > 0 ? steps[steps.length >> 1]! : Infinity;
    this.source = { width: doc.media.width, height: doc.media.height };
    this.cache.clear();
    this.failed = false;
    this.shownFrame = -1;
    this.on = on && this.meshLinked;
    this.canvas.hidden = !this.on;
    // In the page only when there is something to draw: a document without a mesh has no overlay at all.
    if (this.meshLinked) this.frame.append(this.canvas);
    else this.canvas.remove();
  }

  get enabled(): boolean {
    return this.on;
  }

  /** The document links a face mesh: there are landmarks to draw. */
  get available(): boolean {
    return this.meshLinked;
  }

  /** L: on or off; says why when this document has no mesh. Returns the new state. */
  toggle(timeSec: number): boolean {
    if (!this.meshLinked) {
      this.callbacks.notice('No landmarks: this document has no face mesh (older version, or analysed with --no-geometry).');
      return false;
    }
    this.on = !this.on;
    this.failed = false;
    if (this.on && !this.frame.querySelector('video, img.media-image')) this.callbacks.notice('The landmarks are drawn over the video, which cannot play here.');
    this.canvas.hidden = !this.on;
    if (this.on) this.setTime(timeSec);
    return this.on;
  }

  /** The playhead moved: the nearest sampled frame's points (within one sampling step), else none. */
  setTime(timeSec: number): void {
    if (!this.on || this.failed) return;
    const frame = this.frameAt(timeSec);
    if (frame === this.shownFrame && this.canvas.dataset.frame === String(frame)) return;
    this.shownFrame = frame;
    if (frame < 0 || this.cache.has(frame)) {
      this.draw();
      return;
    }
    this.wanted = frame;
    if (!this.inFlight) this.fetch(frame);
  }

  private frameAt(timeSec: number): number {
    const n = this.frameTimes.length;
    if (n === 0) return -1;
    const i = lowerBound(this.frameTimes, timeSec);
    const best = i >= n ? n - 1 : i > 0 && timeSec - this.frameTimes[i - 1]! < this.frameTimes[i]! - timeSec ? i - 1 : i;
    return Math.abs(this.frameTimes[best]! - timeSec) <= Math.max(this.stepSec, 0.05) ? this.frameIndices[best]! : -1;
  }

  private fetch(frame: number): void {
    this.inFlight = true;
    void this.callbacks.request(frame).then(
      (answer) => this.receive(frame, answer),
      (error: unknown) => this.receive(frame, { frameIndex: frame, faces: [], error: error instanceof Error ? error.message : String(error) }),
    );
  }

  private receive(frame: number, answer: LandmarksAnswer): void {
    this.inFlight = false;
    if (answer.error) {
      // One notice, not one per frame of playback: the overlay stops asking until it is turned on again.
      this.failed = true;
      this.callbacks.notice(`No landmarks: ${answer.error}.`);
      this.clear();
      return;
    }
    this.cache.set(frame, answer);
    if (this.cache.size > CACHE_FRAMES) this.cache.delete(this.cache.keys().next().value!);
    if (this.wanted !== frame && this.wanted >= 0 && !this.cache.has(this.wanted)) this.fetch(this.wanted);
    else this.draw();
  }

  private clear(): void {
    const ctx = this.canvas.getContext('2d');
    ctx?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.canvas.dataset.frame = '';
    this.canvas.dataset.faces = '[]';
  }

  /** Draws the shown frame's faces over the picture's content box (object-fit: contain leaves bars). */
  private draw(): void {
    const picture = this.frame.querySelector<HTMLVideoElement | HTMLImageElement>('video, img.media-image');
    if (!this.on || !picture || this.source.width <= 0) {
      this.clear();
      return;
    }
    const box = contentBox(picture, this.source);
    const ratio = window.devicePixelRatio || 1;
    Object.assign(this.canvas.style, { left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px` });
    this.canvas.width = Math.max(1, Math.round(box.width * ratio));
    this.canvas.height = Math.max(1, Math.round(box.height * ratio));
    const ctx = this.canvas.getContext('2d');
    const answer = this.cache.get(this.shownFrame);
    if (!ctx || !answer) {
      this.clear();
      return;
    }
    const scale = (box.width / this.source.width) * ratio;
    const style = getComputedStyle(document.body);
    const colour = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    ctx.lineWidth = Math.max(1, ratio);
    ctx.strokeStyle = colour('--vscode-charts-green', 'lime');
    ctx.fillStyle = colour('--vscode-charts-yellow', 'yellow');
    const drawn: { trackId: number; points: number; box: number[] }[] = [];
    for (const face of answer.faces) {
      const at = (k: number): [number, number] => [face.points[2 * k]! * scale, face.points[2 * k + 1]! * scale];
      for (const [first, last, closed] of CONTOURS) {
        ctx.beginPath();
        for (let k = first; k <= last; k++) (k === first ? ctx.moveTo.bind(ctx) : ctx.lineTo.bind(ctx))(...at(k));
        if (closed) ctx.closePath();
        ctx.stroke();
      }
      const xs: number[] = [];
      const ys: number[] = [];
      for (let k = 0; k < face.points.length / 2; k++) {
        const [x, y] = at(k);
        ctx.fillRect(x - ratio, y - ratio, 2 * ratio, 2 * ratio);
        xs.push(face.points[2 * k]!);
        ys.push(face.points[2 * k + 1]!);
      }
      // Where the points are, in source pixels, for tests and tools that read the page (a canvas tells nothing).
      drawn.push({ trackId: face.trackId, points: xs.length, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].map(Math.round) });
    }
    this.canvas.dataset.frame = String(this.shownFrame);
    this.canvas.dataset.faces = JSON.stringify(drawn);
  }
}

/** The rectangle, relative to the picture's offset parent, where object-fit: contain draws the source's pixels. */
function contentBox(picture: HTMLVideoElement | HTMLImageElement, source: { width: number; height: number }): { left: number; top: number; width: number; height: number } {
  const scale = Math.min(picture.clientWidth / source.width, picture.clientHeight / source.height);
  const width = source.width * scale;
  const height = source.height * scale;
  return { left: picture.offsetLeft + (picture.clientWidth - width) / 2, top: picture.offsetTop + (picture.clientHeight - height) / 2, width, height };
}
