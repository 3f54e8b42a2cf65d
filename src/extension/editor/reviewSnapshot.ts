/**
 * What the review webview is sent: pure functions (no `vscode`), so the decisions about the media file and
 * settings are unit-tested; the provider only gathers the facts (does the file exist, its webview URI).
 */
import type { AnnotationDocument, MediaKind } from '../../shared/annotationDocument';
import type { CorrectionsState, MediaSource, ReviewSettings, ReviewSnapshot } from '../../shared/reviewProtocol';
import { REVIEW_PROTOCOL_VERSION } from '../../shared/reviewProtocol';

/** Media the webview may load: only these extensions are ever added to its resource roots. */
const SERVABLE_MEDIA: Record<string, { kind: MediaKind; mimeType: string }> = {
  mp4: { kind: 'video', mimeType: 'video/mp4' },
  m4v: { kind: 'video', mimeType: 'video/mp4' },
  mov: { kind: 'video', mimeType: 'video/quicktime' },
  mkv: { kind: 'video', mimeType: 'video/x-matroska' },
  webm: { kind: 'video', mimeType: 'video/webm' },
  avi: { kind: 'video', mimeType: 'video/x-msvideo' },
  jpg: { kind: 'image', mimeType: 'image/jpeg' },
  jpeg: { kind: 'image', mimeType: 'image/jpeg' },
  png: { kind: 'image', mimeType: 'image/png' },
  // Audio recordings play in an <audio> (CSP media-src, like video); codecs the webview lacks fall back to the panel's clock.
  wav: { kind: 'audio', mimeType: 'audio/wav' },
  flac: { kind: 'audio', mimeType: 'audio/flac' },
  mp3: { kind: 'audio', mimeType: 'audio/mpeg' },
  m4a: { kind: 'audio', mimeType: 'audio/mp4' },
  aac: { kind: 'audio', mimeType: 'audio/aac' },
  ogg: { kind: 'audio', mimeType: 'audio/ogg' },
  opus: { kind: 'audio', mimeType: 'audio/ogg; codecs=opus' },
};

export const DEFAULT_LOW_CONFIDENCE_THRESHOLD = 0.5;

/** Whether `media.path` names a kind of file the panel shows; a document is data, so its path is not trusted blindly. */
export function servableMediaType(mediaPath: string): { kind: MediaKind; mimeType: string } | undefined {
  const name = mediaPath.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? SERVABLE_MEDIA[name.slice(dot + 1).toLowerCase()] : undefined;
}

export interface MediaFacts {
  /** `media.path` as written in the document. */
  mediaPath: string;
  /** The media file exists and is a file. */
  exists: boolean;
  /** Its URI as the webview must load it (`webview.asWebviewUri`), when it exists. */
  webviewUri?: string;
}

export function mediaSourceFor(facts: MediaFacts): MediaSource {
  const type = servableMediaType(facts.mediaPath);
  if (!type) return { status: 'unavailable', reason: `${facts.mediaPath} is not a video, audio or image type the panel can show` };
  if (!facts.exists || !facts.webviewUri) return { status: 'unavailable', reason: `${facts.mediaPath} was not found beside the document` };
  return { status: 'available', kind: type.kind, uri: facts.webviewUri, mimeType: type.mimeType };
}

/** Settings as read from the configuration, which a user can set to anything. */
export function reviewSettingsFrom(raw: { lowConfidenceThreshold?: unknown }): ReviewSettings {
  const value = raw.lowConfidenceThreshold;
  const ok = typeof value === 'number' && Number.isFinite(value);
  return { lowConfidenceThreshold: ok ? Math.min(1, Math.max(0, value)) : DEFAULT_LOW_CONFIDENCE_THRESHOLD };
}

export interface SnapshotContext {
  revision: number;
  fileName: string;
  settings: ReviewSettings;
  media: MediaSource;
  dirty: boolean;
}

export function snapshotFor(document: AnnotationDocument, context: SnapshotContext): ReviewSnapshot {
  return {
    protocolVersion: REVIEW_PROTOCOL_VERSION,
    revision: context.revision,
    fileName: context.fileName,
    document,
    settings: { ...context.settings },
    media: context.media,
    dirty: context.dirty,
  };
}

/** What the webview is sent after an edit, undo, redo or save: the corrections only, never the frames. */
export function correctionsStateFor(document: AnnotationDocument, context: Pick<SnapshotContext, 'revision' | 'dirty'>): CorrectionsState {
  return { revision: context.revision, corrections: document.corrections, dirty: context.dirty };
}
