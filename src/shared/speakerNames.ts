/**
 * How a speaker is named wherever people read it (the transcript panel, subtitles, ELAN, tables): the face track as
 * the panel names it ("Person 3"), "Off screen", or nothing when it is not known.
 */
import type { Speaker } from './annotationDocument';

/** "Person 3", "Off screen", or undefined (unknown, or a document from before speakers were attributed). */
export function speakerName(speaker: Speaker | undefined): string | undefined {
  if (speaker?.kind === 'face') return `Person ${speaker.trackId}`;
  if (speaker?.kind === 'offscreen') return 'Off screen';
  return undefined;
}

/** The speaker as a table cell value: `person 3`, `offscreen`, `unknown`; null when not attributed at all. */
export function speakerCode(speaker: Speaker | undefined): string | null {
  if (!speaker) return null;
  return speaker.kind === 'face' ? `person ${speaker.trackId}` : speaker.kind;
}

/** The face track a speaker is, if any. */
export function speakerTrackId(speaker: Speaker | undefined): number | null {
  return speaker?.kind === 'face' ? speaker.trackId : null;
}

/** The attribution's confidence, null for an unknown speaker. */
export function speakerConfidence(speaker: Speaker | undefined): number | null {
  return speaker && speaker.kind !== 'unknown' ? speaker.confidence : null;
}
