// Video frame numbers of a sample, as other tools count them: every time is a presentation time from the media's
// start, and the frame shown then is the one whose start is nearest at the stream's average frame rate.
import type { AnnotationDocument } from '../../shared/annotationDocument';

/**
 * 0-based index of the video frame at a time (Py-Feat's `frame`): round(timeSec · fps). Exact for
 * constant-frame-rate video; on variable-frame-rate video it can be off by a frame, since only the average rate
 * is known. A still image (fps 0) is frame 0.
 */
export function videoFrameIndex(doc: AnnotationDocument, timeSec: number): number {
  const { fps } = doc.media;
  return fps > 0 ? Math.max(0, Math.round(timeSec * fps)) : 0;
}

/** The same frame counted from 1, as OpenFace's RecorderCSV writes `frame` (and Label Studio counts frames). */
export function videoFrameNumber(doc: AnnotationDocument, timeSec: number): number {
  return videoFrameIndex(doc, timeSec) + 1;
}

/** OpenFace's `face_id` counts people from 0; Emotion Lens track ids start at 1. */
export function openFaceFaceId(trackId: number): number {
  return trackId - 1;
}

/** How many frames the video stream has at its average rate: round(durationSec · fps); 0 for a still image. */
export function videoFrameCount(doc: AnnotationDocument): number {
  const { fps, durationSec } = doc.media;
  return fps > 0 ? Math.round(durationSec * fps) : 0;
}
