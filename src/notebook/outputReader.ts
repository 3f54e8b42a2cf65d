/**
 * The notebook renderer's tolerant reader: each part of whatever a notebook output holds (a whole document,
 * a slice of one, or something else) is read on its own; what is malformed is skipped and counted in a note.
 * Pure: no DOM, no vscode, no Node.
 */
import type { SentimentLabel } from '../shared/annotationDocument';
import { faceKey } from '../shared/labelPrecedence';
import { sentimentLabel } from '../shared/sentimentLabel';
import { plural } from '../shared/textFormat';

/** An utterance as read: its times, text and sentiment (the label from VADER's thresholds when only the score is there). */
export interface ReadUtterance {
  startSec: number;
  endSec: number;
  text: string;
  compound: number | undefined;
  label: SentimentLabel | undefined;
}

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Why data is not (a slice of) an annotation document, or undefined when it is one. */
export function notADocument(data: unknown): string | undefined {
  if (data === null) return 'the output is null';
  if (Array.isArray(data)) return `the output is an array of ${data.length}, not an object`;
  if (typeof data !== 'object') return `the output is a ${typeof data}, not an object`;
  const doc = data as Json;
  const parts = ['media', 'frames', 'tracks', 'transcript', 'voice', 'segments'].filter((k) => doc[k] !== undefined);
  if (parts.length === 0) {
    const keys = Object.keys(doc).slice(0, 5).map((k) => JSON.stringify(k.slice(0, 30)));
    return keys.length === 0 ? 'the output is an empty object' : `it has none of media, frames, tracks or transcript (it has ${keys.join(', ')}${Object.keys(doc).length > 5 ? ', …' : ''})`;
  }
  for (const key of ['frames', 'tracks', 'segments', 'corrections'] as const) {
    if (doc[key] !== undefined && !Array.isArray(doc[key])) return `its ${key} is not an array`;
  }
  for (const key of ['media', 'transcript', 'voice', 'provenance'] as const) {
    if (doc[key] !== undefined && !isObject(doc[key])) return `its ${key} is not an object`;
  }
  if (doc.schemaVersion !== undefined && finite(doc.schemaVersion) === undefined) return 'its schemaVersion is not a number';
  return undefined;
}

export interface ReadFrame {
  index: number;
  timeSec: number;
  faces: { trackId: number; probs: number[] | undefined; label: string | undefined; confidence: number | undefined }[];
}

export function readFrames(value: unknown, notes: string[]): { present: boolean; list: ReadFrame[]; widest: number } {
  if (!Array.isArray(value)) return { present: false, list: [], widest: 0 };
  const list: ReadFrame[] = [];
  let skippedFrames = 0;
  let skippedFaces = 0;
  let widest = 0;
  value.forEach((frame, position) => {
    const timeSec = isObject(frame) ? finite(frame.timeSec) : undefined;
    if (!isObject(frame) || timeSec === undefined || !Array.isArray(frame.faces)) {
      skippedFrames += 1;
      return;
    }
    const faces: ReadFrame['faces'] = [];
    for (const face of frame.faces) {
      const trackId = isObject(face) ? finite(face.trackId) : undefined;
      if (!isObject(face) || trackId === undefined) {
        skippedFaces += 1;
        continue;
      }
      const probs = probabilities(face.smoothedProbs) ?? probabilities(face.probs);
      if (probs) widest = Math.max(widest, probs.length);
      faces.push({ trackId, probs, label: text(face.label), confidence: finite(face.confidence) });
    }
    list.push({ index: finite(frame.index) ?? position, timeSec, faces });
  });
  // Documents are in time order; a hand-made slice may not be.
  list.sort((a, b) => a.timeSec - b.timeSec);
  if (skippedFrames > 0) notes.push(`${plural(skippedFrames, 'frame')} without a time or faces skipped.`);
  if (skippedFaces > 0) notes.push(`${plural(skippedFaces, 'face')} without a track id skipped.`);
  return { present: true, list, widest };
}

function probabilities(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((p) => finite(p) !== undefined) ? (value as number[]) : undefined;
}

export function readLabels(value: unknown, widest: number, notes: string[]): string[] {
  if (Array.isArray(value) && value.length > 0 && value.every((l) => typeof l === 'string')) return value as string[];
  if (widest === 0) return [];
  notes.push('No labels list: the probabilities are shown as class 1, class 2, …');
  return Array.from({ length: widest }, (_, i) => `class ${i + 1}`);
}

/** Human labels (or adapted suggestions) by frame and track; the last one of a face wins (as in every export). */
export function readCorrections(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(value)) return out;
  for (const c of value) {
    if (!isObject(c)) continue;
    const frameIndex = finite(c.frameIndex);
    const trackId = finite(c.trackId);
    const label = text(c.label);
    if (frameIndex !== undefined && trackId !== undefined && label !== undefined) out.set(faceKey(frameIndex, trackId), label);
  }
  return out;
}

/** Seconds between two samples: from the settings (1 / sampleFps), else the median step of the frames. */
export function sampleInterval(doc: Json, frames: ReadFrame[]): number {
  const settings = isObject(doc.provenance) && isObject(doc.provenance.settings) ? doc.provenance.settings : undefined;
  const fps = finite(settings?.sampleFps);
  if (fps !== undefined && fps > 0) return 1 / fps;
  const steps: number[] = [];
  for (let i = 1; i < frames.length && steps.length < 2000; i++) {
    const d = frames[i]!.timeSec - frames[i - 1]!.timeSec;
    if (d > 0) steps.push(d);
  }
  if (steps.length > 0) return steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)]!;
  const mediaFps = isObject(doc.media) ? finite(doc.media.fps) : undefined;
  return mediaFps !== undefined && mediaFps > 0 ? 1 / mediaFps : 0.2;
}

export function readUtterances(transcript: unknown): ReadUtterance[] {
  if (!isObject(transcript) || !Array.isArray(transcript.utterances)) return [];
  const out: ReadUtterance[] = [];
  for (const u of transcript.utterances) {
    if (!isObject(u)) continue;
    const startSec = finite(u.startSec);
    const endSec = finite(u.endSec);
    if (startSec === undefined || endSec === undefined) continue;
    const sentiment = isObject(u.sentiment) ? u.sentiment : undefined;
    const compound = finite(sentiment?.compound);
    const label = sentiment?.label === 'positive' || sentiment?.label === 'negative' || sentiment?.label === 'neutral' ? sentiment.label : undefined;
    out.push({ startSec, endSec: Math.max(startSec, endSec), text: text(u.text) ?? '', compound, label: label ?? (compound !== undefined ? sentimentLabel(compound) : undefined) });
  }
  return out.sort((a, b) => a.startSec - b.startSec);
}
