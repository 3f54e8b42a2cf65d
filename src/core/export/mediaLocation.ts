// Where the analysed media file is, seen from an export: documents store its path relative to themselves.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnnotationDocument } from '../../shared/annotationDocument';

/** Absolute path of the media file: `media.path` is relative to the document's folder. */
export function mediaAbsolutePath(doc: AnnotationDocument, documentPath: string): string {
  return path.resolve(path.dirname(path.resolve(documentPath)), ...doc.media.path.split('/'));
}

/** `file:` URL of the media file (percent-encoded). */
export function mediaFileUrl(doc: AnnotationDocument, documentPath: string): string {
  return pathToFileURL(mediaAbsolutePath(doc, documentPath)).href;
}

/**
 * Media path relative to the folder the export is written to, as a percent-encoded relative URL with '/'
 * separators: `./clip.mp4`, `../videos/clip%20one.mp4`.
 */
export function mediaRelativeUrl(doc: AnnotationDocument, documentPath: string, outputPath: string): string {
  const relative = path.relative(path.dirname(path.resolve(outputPath)), mediaAbsolutePath(doc, documentPath));
  const encoded = relative.split(path.sep).map((part) => (part === '..' ? part : encodeURIComponent(part))).join('/');
  return encoded.startsWith('../') ? encoded : `./${encoded}`;
}

/** MIME type from the file extension, for players and annotation tools that ask for one. */
export function mediaMimeType(doc: AnnotationDocument): string {
  const ext = path.extname(doc.media.path).toLowerCase().slice(1);
  const known: Record<string, string> = {
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    mov: 'video/quicktime',
    mkv: 'video/x-matroska',
    webm: 'video/webm',
    avi: 'video/x-msvideo',
    mpg: 'video/mpeg',
    mpeg: 'video/mpeg',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    // ELAN's own names for audio (it writes audio/x-wav for .wav).
    wav: 'audio/x-wav',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
    aac: 'audio/aac',
    flac: 'audio/flac',
    ogg: 'audio/ogg',
    oga: 'audio/ogg',
    opus: 'audio/ogg',
    wma: 'audio/x-ms-wma',
  };
  return known[ext] ?? `${doc.media.kind}/*`;
}

/** What the media is, for messages: `a video`, `a video without a frame rate`, `an image`, `an audio file`. */
export function mediaKindText(doc: AnnotationDocument): string {
  if (doc.media.kind === 'video') return doc.media.fps > 0 ? 'a video' : 'a video without a frame rate';
  return doc.media.kind === 'image' ? 'an image' : 'an audio file';
}
