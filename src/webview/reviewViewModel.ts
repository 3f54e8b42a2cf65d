/**
 * Turns a snapshot's document into what the panel shows: label rows, track summaries, transcript status,
 * formatted times. Pure (no DOM), so it is unit-tested under Node; the review-panel issue grows it.
 */
import type { AnnotationDocument, Transcript } from '../shared/annotationDocument';

/** The plain table renders this many rows at most (a virtualised table replaces it later). */
export const MAX_RENDERED_ROWS = 500;

export interface LabelRow {
  /** `frameIndex:trackId`, stable across snapshots. */
  key: string;
  frameIndex: number;
  trackId: number;
  timeSec: number;
  modelLabel: string;
  confidence: number;
  /** The human label when there is a correction, else the model's. */
  finalLabel: string;
  human: boolean;
  lowConfidence: boolean;
}

export interface TrackRow {
  id: number;
  dominantLabel: string;
  frames: number;
  /** Faces of this track that carry a human label. */
  reviewed: number;
}

/** One row per sampled frame and face in time order, the first `limit` of them, and how many there are. */
export function labelRows(doc: AnnotationDocument, lowConfidenceThreshold: number, limit = MAX_RENDERED_ROWS): { rows: LabelRow[]; total: number } {
  const human = new Map<string, string>();
  for (const c of doc.corrections) human.set(rowKey(c.frameIndex, c.trackId), c.label);
  const rows: LabelRow[] = [];
  let total = 0;
  for (const frame of doc.frames) {
    for (const face of frame.faces) {
      total++;
      if (rows.length >= limit) continue;
      const key = rowKey(frame.index, face.trackId);
      const corrected = human.get(key);
      rows.push({
        key,
        frameIndex: frame.index,
        trackId: face.trackId,
        timeSec: frame.timeSec,
        modelLabel: face.label,
        confidence: face.confidence,
        finalLabel: corrected ?? face.label,
        human: corrected !== undefined,
        lowConfidence: face.confidence < lowConfidenceThreshold,
      });
    }
  }
  return { rows, total };
}

/** Every track seen in the frames (ids ascending), with the engine's dominant label when it has one. */
export function trackRows(doc: AnnotationDocument): TrackRow[] {
  const frames = new Map<number, number>();
  const labelCounts = new Map<number, Map<string, number>>();
  for (const frame of doc.frames) {
    for (const face of frame.faces) {
      frames.set(face.trackId, (frames.get(face.trackId) ?? 0) + 1);
      const counts = labelCounts.get(face.trackId) ?? new Map<string, number>();
      counts.set(face.label, (counts.get(face.label) ?? 0) + 1);
      labelCounts.set(face.trackId, counts);
    }
  }
  const reviewed = new Map<number, Set<number>>();
  for (const c of doc.corrections) {
    const set = reviewed.get(c.trackId) ?? new Set<number>();
    set.add(c.frameIndex);
    reviewed.set(c.trackId, set);
  }
  const summaries = new Map(doc.tracks.map((t) => [t.id, t]));
  return [...frames.keys()].sort((a, b) => a - b).map((id) => ({
    id,
    dominantLabel: summaries.get(id)?.dominantLabel ?? mostFrequent(labelCounts.get(id)),
    frames: frames.get(id) ?? 0,
    reviewed: reviewed.get(id)?.size ?? 0,
  }));
}

/** One line about the transcript: what there is, or why there is none. */
export function transcriptStatusText(transcript: Transcript): string {
  if (transcript.status === 'ok') {
    const engine = transcript.engine ? ` (${transcript.engine}${transcript.model ? `, ${transcript.model.id}` : ''})` : '';
    return `Transcript: ${plural(transcript.utterances.length, 'utterance')}, ${plural(transcript.words.length, 'word')}${engine}.`;
  }
  const why: Record<Exclude<Transcript['status'], 'ok'>, string> = {
    unavailable: 'no speech model is available',
    'no-audio': 'the file has no audio',
    disabled: 'speech analysis was turned off',
    failed: 'speech recognition failed',
  };
  const reason = transcript.reason ? `: ${transcript.reason}` : '';
  return `No transcript, ${why[transcript.status]}${reason}.`;
}

/** `m:ss.ss` (or `h:mm:ss.ss` past an hour): a sample's time precisely enough to find it again. */
export function formatClock(sec: number): string {
  const safe = Math.max(0, sec);
  const hours = Math.floor(safe / 3600);
  const minutes = Math.floor((safe % 3600) / 60);
  const seconds = (safe % 60).toFixed(2).padStart(5, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** `1:05` or `1:02:05`: a media length, to the second. */
export function formatDuration(sec: number): string {
  const whole = Math.round(Math.max(0, sec));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function formatPercent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

export function rowKey(frameIndex: number, trackId: number): string {
  return `${frameIndex}:${trackId}`;
}

function mostFrequent(counts: Map<string, number> | undefined): string {
  let best = '';
  let bestCount = 0;
  for (const [label, count] of counts ?? []) {
    if (count > bestCount) [best, bestCount] = [label, count];
  }
  return best;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
