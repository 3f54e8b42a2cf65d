/**
 * Messages between the review editor's host (extension) and its webview. The host owns the document: it sends
 * a full snapshot when the webview says `ready` and when the whole document changes (revert, reload, and the
 * rare adaptation edit and its undo), and after an edit, undo, redo or save only the corrections (a full
 * snapshot of an hour of video is megabytes).
 * The webview only asks for edits. Everything it sends is untyped at runtime, so the host runs it through
 * `parseWebviewMessage` before acting on it.
 */
import type { AnnotationDocument, Correction, MediaKind } from './annotationDocument';
import { hasOnlyKeys, isIndex, isRecord } from './messageChecks';

/**
 * Bumped when a message changes shape; both sides ship in one bundle, so this guards stale webview state.
 * 3: snapshots carry schema 3 documents (the voice, segment flags) and audio media.
 * 4: schema 4 documents (an adaptation with its suggestions, corrections' annotator); the webview may ask to
 *    accept suggestions and to learn from the corrections; an adaptation edit or its undo sends a snapshot.
 * 5: schema 5 documents (face geometry); the webview may ask for one frame's 68 landmarks (`requestLandmarks`).
 */
export const REVIEW_PROTOCOL_VERSION = 5;

/** Largest face list one message may carry: every face of an hour at 5 fps with five people, with room to spare. */
export const MAX_FACES_PER_MESSAGE = 100_000;
export const MAX_LABEL_LENGTH = 64;
export const MAX_EXPORT_FORMATS = 16;
const MAX_FORMAT_LENGTH = 32;

/** One face in one sampled frame: the unit a correction applies to. */
export interface FaceRef {
  frameIndex: number;
  trackId: number;
}

/** Panel settings the host reads from `emotionLens.*`. */
export interface ReviewSettings {
  /** Faces whose model confidence is below this are flagged for review (0..1). */
  lowConfidenceThreshold: number;
}

/** Whether the webview can show the analysed media, and from where (`audio`: an <audio> player, no picture). */
export type MediaSource =
  | { status: 'available'; kind: MediaKind; uri: string; mimeType: string }
  | { status: 'unavailable'; reason: string };

/** Everything the webview renders; sent whole so a webview that was hidden or reloaded never misses a delta. */
export interface ReviewSnapshot {
  protocolVersion: typeof REVIEW_PROTOCOL_VERSION;
  /** Grows with every change of the document; lets the webview drop an out-of-order snapshot. */
  revision: number;
  /** File name of the annotation document (for titles and messages). */
  fileName: string;
  document: AnnotationDocument;
  settings: ReviewSettings;
  media: MediaSource;
  /** Unsaved corrections exist (VS Code shows the marker too; the panel may mention it). */
  dirty: boolean;
}

/** The corrections as they are now: all the webview needs after an edit, undo, redo or save. */
export interface CorrectionsState {
  /** Same counter as `ReviewSnapshot.revision`: the webview drops a state older than what it shows. */
  revision: number;
  /** The whole list (it is small next to the frames), so a webview never applies a delta to a stale state. */
  corrections: Correction[];
  dirty: boolean;
}

export type HostMessage =
  /** The whole document: the answer to `ready`, and after a revert, a reload from disk or a settings change. */
  | { type: 'snapshot'; snapshot: ReviewSnapshot }
  /** After an edit, undo, redo or save (and a rejected edit): the corrections only, fast enough per keystroke. */
  | ({ type: 'corrections' } & CorrectionsState)
  /** The answer to `requestFrame`: a JPEG of the face's frame, or why there is none. */
  | ({ type: 'frame'; requestId: number } & StillAnswer)
  /** The answer to `requestLandmarks`: each face's 68 points in that frame, or why there are none. */
  | ({ type: 'landmarks'; requestId: number } & LandmarksAnswer)
  /** The file failed validation: the panel shows why and offers the text editor; no edits are possible. */
  | { type: 'invalidDocument'; fileName: string; message: string }
  /** Something the reviewer should know that is not document data (a rejected edit, a reload from disk). */
  | { type: 'notice'; level: NoticeLevel; text: string };

export type NoticeLevel = 'info' | 'warning' | 'error';

export type WebviewMessage =
  /** The webview has loaded and listens: the host answers with a full snapshot (or `invalidDocument`). */
  | { type: 'ready' }
  /** Give these faces a human label; a range is one message and becomes one undoable edit. */
  | { type: 'setLabels'; faces: FaceRef[]; label: string }
  /** Remove the human corrections of these faces, so the model's labels count again (one edit). */
  | { type: 'clearLabels'; faces: FaceRef[] }
  /**
   * Turn the adapted model's suggestions for these faces into human corrections (one edit). The host takes each
   * label from the document's own suggestions, never from the webview; faces with a human label stay as they are.
   */
  | { type: 'acceptSuggestions'; faces: FaceRef[] }
  /** Run "Learn from my corrections" for this document (the host asks which documents, fits off its thread). */
  | { type: 'learnFromCorrections' }
  /** Run the export command for this document (the host owns files and the format picker). */
  | { type: 'export'; formats?: string[] }
  /** Open the file in VS Code's text editor (offered for invalid documents, useful for any). */
  | { type: 'reopenAsText' }
  /** Run "Choose Vosk model folder" (offered when the transcript is missing for want of a model). */
  | { type: 'chooseVoskModel' }
  /** When the video cannot play: a still of this face (its frame, cropped around the face), answered by `frame`. */
  | { type: 'requestFrame'; requestId: number; face: FaceRef; size: number }
  /**
   * The landmark overlay: the 68 points of every face of one sampled frame, answered by `landmarks`. One frame
   * per request, read by the host from the mesh sidecar (the document holds no mesh), so a long video is never sent whole.
   */
  | { type: 'requestLandmarks'; requestId: number; frameIndex: number };

/** One face's iBUG 68 points in a frame: x0, y0, x1, y1, ... in the source video's pixels. */
export interface FaceLandmarks {
  trackId: number;
  points: number[];
}

/** The landmarks of one frame's faces (none: no face of that frame has a mesh), or why there are none. */
export interface LandmarksAnswer {
  frameIndex: number;
  faces: FaceLandmarks[];
  error?: string;
}

/** Numbers in one face's landmarks: 68 points, x and y. */
export const LANDMARK_VALUES = 136;

/** A still of one face (its frame, cropped around it), or why there is none. */
export interface StillAnswer {
  dataUri?: string;
  error?: string;
}

/** Bounds of a requested still, in pixels (its longer side). */
export const MIN_FRAME_SIZE = 32;
export const MAX_FRAME_SIZE = 640;

/**
 * Checks a value received from the webview field by field (types, bounds, no unknown fields) and returns a
 * fresh copy, or undefined when anything is off: a message is acted on whole or not at all.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
    case 'reopenAsText':
    case 'chooseVoskModel':
    case 'learnFromCorrections':
      return hasOnlyKeys(value, ['type']) ? { type: value.type } : undefined;
    case 'requestFrame': {
      if (!hasOnlyKeys(value, ['type', 'requestId', 'face', 'size']) || !isIndex(value.requestId)) return undefined;
      const face = parseFace(value.face);
      const size = value.size;
      if (!face || !isIndex(size) || size < MIN_FRAME_SIZE || size > MAX_FRAME_SIZE) return undefined;
      return { type: 'requestFrame', requestId: value.requestId, face, size };
    }
    case 'requestLandmarks': {
      if (!hasOnlyKeys(value, ['type', 'requestId', 'frameIndex']) || !isIndex(value.requestId) || !isIndex(value.frameIndex)) return undefined;
      return { type: 'requestLandmarks', requestId: value.requestId, frameIndex: value.frameIndex };
    }
    case 'setLabels': {
      if (!hasOnlyKeys(value, ['type', 'faces', 'label']) || !isLabel(value.label)) return undefined;
      const faces = parseFaces(value.faces);
      return faces ? { type: 'setLabels', faces, label: value.label } : undefined;
    }
    case 'clearLabels':
    case 'acceptSuggestions': {
      if (!hasOnlyKeys(value, ['type', 'faces'])) return undefined;
      const faces = parseFaces(value.faces);
      return faces ? { type: value.type, faces } : undefined;
    }
    case 'export': {
      if (!hasOnlyKeys(value, ['type', 'formats'])) return undefined;
      if (value.formats === undefined) return { type: 'export' };
      const formats = parseFormats(value.formats);
      return formats ? { type: 'export', formats } : undefined;
    }
    default:
      return undefined;
  }
}

/** For exhaustive switches over message unions: a new message type fails to compile until handled. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}

function parseFaces(value: unknown): FaceRef[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_FACES_PER_MESSAGE) return undefined;
  const faces: FaceRef[] = [];
  for (const item of value) {
    const face = parseFace(item);
    if (!face) return undefined;
    faces.push(face);
  }
  return faces;
}

function parseFace(item: unknown): FaceRef | undefined {
  if (!isRecord(item) || !hasOnlyKeys(item, ['frameIndex', 'trackId'])) return undefined;
  if (!isIndex(item.frameIndex) || !isIndex(item.trackId)) return undefined;
  return { frameIndex: item.frameIndex, trackId: item.trackId };
}

function parseFormats(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_EXPORT_FORMATS) return undefined;
  const ok = value.every((f): f is string => typeof f === 'string' && f.length <= MAX_FORMAT_LENGTH && /^[a-z0-9][a-z0-9-]*$/i.test(f));
  return ok ? [...(value as string[])] : undefined;
}

function isLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_LABEL_LENGTH;
}
