/**
 * What the notebook renderer shows, computed from whatever a notebook output holds: a whole annotation
 * document, a slice of one (some frames, a time window, no transcript or voice), or something else entirely.
 * Tolerant by design (outputReader.ts reads each part on its own): what is there is shown, what is missing is
 * named, and data that is not an annotation document gives one line saying so. Charts are downsampled here,
 * so an hour at 5 fps (18,000 frames a person) draws a few hundred shapes. Pure: no DOM, no vscode, no Node.
 */
import type { SentimentLabel } from '../shared/annotationDocument';
import { DOCUMENT_SUFFIX, SCHEMA_VERSION } from '../shared/annotationDocument';
import { faceKey, finalLabel } from '../shared/labelPrecedence';
import { sentimentLabel } from '../shared/sentimentLabel';
import { argmax } from '../shared/probabilityVectors';
import { plural } from '../shared/textFormat';
import type { AuBandView } from './auBandModel';
import { readAuBand } from './auBandModel';
import { finite, isObject, notADocument, readCorrections, readFrames, readLabels, readUtterances, sampleInterval, text } from './outputReader';
import type { Json, ReadFrame, ReadUtterance } from './outputReader';

/** At most this many points per person's chart and on the sentiment line. */
export const MAX_POINTS = 480;
/** At most this many utterances are listed (the sentiment line still covers all of them). */
export const MAX_UTTERANCES = 1500;
/** A jump longer than this many sample intervals breaks a person's chart (out of the picture). */
const GAP_FACTOR = 2.5;

export interface OutputView {
  header: HeaderView;
  /** Expression class names, in the order of every `probs` array. */
  labels: string[];
  /** The time span every chart shares (seconds). */
  domain: { startSec: number; endSec: number };
  /** True when the frames cover only part of the media: the output is a time window. */
  slice: boolean;
  tracks: TrackView[];
  speech: SpeechView;
  /** One line each: what is missing, skipped or unusual in this output. */
  notes: string[];
  /** Where "Open full review" points, when the output says where its document is (or names its media). */
  link: ReviewLink | undefined;
  /** Human labels (corrections) applied to the faces of this output. */
  humanLabels: number;
  /** The AU band, when the output has face geometry. */
  actionUnits?: AuBandView;
}

export interface HeaderView {
  /** The media's file name, or "annotation document" when the output has no media section. */
  title: string;
  mediaPath?: string;
  kind?: string;
  durationSec?: number;
  /** People: tracks in the frames (or in `tracks` when the output has no frames). */
  people: number;
  frames: number;
  /** Expression model ids (several: an ensemble), and the speech model. */
  expressionModels: string[];
  speechModel?: string;
  toolVersion?: string;
}

export interface ReviewLink {
  documentPath?: string;
  mediaPath?: string;
  /** What the link will open, for its tooltip. */
  target: string;
}

/** One downsampled step of a person's chart: the mean probabilities over a few consecutive samples. */
export interface TrackPoint {
  startSec: number;
  endSec: number;
  probs: number[];
  /** The most frequent final label among the samples (a human label where there is one). */
  label: string;
  /** How many of the samples carry a human label. */
  human: number;
}

export interface TrackView {
  id: number;
  /** Runs of consecutive samples; a new run starts where the person left the picture. */
  runs: TrackPoint[][];
  summary: TrackSummaryView;
}

export interface TrackSummaryView {
  frames: number;
  firstSec: number;
  lastSec: number;
  /** Most frequent final label (human labels win over the model's). */
  dominantLabel: string;
  /** Share of the frames with the dominant label, 0..1. */
  dominantShare: number;
  /** Mean of the model's confidences (human labels do not change what the model was sure of). */
  meanConfidence: number;
  humanLabels: number;
  /** True when the summary is the document's stored one (the output has no frames for this person). */
  stored: boolean;
}

export type UtteranceView = ReadUtterance;

/** One step of the sentiment line (an utterance, or several merged when there are many). */
export interface SentimentStep {
  startSec: number;
  endSec: number;
  compound: number;
  label: SentimentLabel;
}

export interface SpeechView {
  /** `missing`: the output has no transcript section at all. */
  status: string;
  reason?: string;
  utterances: UtteranceView[];
  /** Utterances in the window but not listed (beyond MAX_UTTERANCES). */
  notListed: number;
  sentiment: SentimentStep[];
}

export type OutputResult = { ok: true; view: OutputView } | { ok: false; error: string };

/** Parses the output item's text as JSON, then reads it (see readOutput). */
export function readOutputText(json: string): OutputResult {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, error: `Not an Emotion Lens annotation document: the output is not JSON (${(error as Error).message}).` };
  }
  return readOutput(data);
}

/** What to show for a notebook output's data. */
export function readOutput(data: unknown): OutputResult {
  const problem = notADocument(data);
  if (problem) return { ok: false, error: `Not an Emotion Lens annotation document: ${problem}.` };
  const doc = data as Json;
  const notes: string[] = [];
  const media = isObject(doc.media) ? doc.media : undefined;
  if (!media) notes.push('No media section: the file name and duration are unknown.');
  const schemaVersion = finite(doc.schemaVersion);
  if (schemaVersion !== undefined && schemaVersion > SCHEMA_VERSION) notes.push(`Schema version ${schemaVersion} is newer than this renderer knows (${SCHEMA_VERSION}): parts may be missing.`);

  const frames = readFrames(doc.frames, notes);
  const labels = readLabels(doc.labels, frames.widest, notes);
  const corrections = readCorrections(doc.corrections);
  // Suggestions of an adaptation learnt from corrections rank between the two: human > adapted > model.
  const suggestions = readCorrections(isObject(doc.adaptation) ? doc.adaptation.suggestions : undefined);
  const samples = trackSamples(frames.list, labels, corrections, suggestions, notes);
  const interval = sampleInterval(doc, frames.list);

  const durationSec = finite(media?.durationSec);
  const utteranceList = readUtterances(doc.transcript);
  const { domain, slice } = timeDomain(frames.list, interval, durationSec, utteranceList);

  const tracks: TrackView[] = [...samples.entries()].sort(([a], [b]) => a - b).map(([id, list]) => ({
    id,
    runs: downsample(list, labels, interval),
    summary: summarise(list, labels),
  }));
  if (frames.present && frames.list.length === 0 && media?.kind !== 'audio') notes.push('No frames in this output: no expression charts.');
  if (!frames.present) {
    const stored = storedSummaries(doc.tracks, labels);
    tracks.push(...stored.map((summary) => ({ id: summary.id, runs: [], summary: summary.view })));
    notes.push(stored.length > 0 ? 'No frames in this output: the track summary is the document\'s own, without charts.' : 'No frames in this output: no expression charts.');
  }

  const speech = readSpeech(doc.transcript, utteranceList, slice ? domain : undefined, notes);
  if (doc.voice === undefined) notes.push('No voice section in this output.');
  const humanLabels = tracks.reduce((n, t) => n + (t.summary.stored ? 0 : t.summary.humanLabels), 0);
  const provenance = isObject(doc.provenance) ? doc.provenance : undefined;
  const models = Array.isArray(provenance?.models) ? provenance.models.filter(isObject) : [];
  const mediaPath = text(media?.path);
  const header: HeaderView = {
    title: mediaPath ? baseName(mediaPath) : 'annotation document',
    mediaPath,
    kind: text(media?.kind),
    durationSec,
    people: tracks.length,
    frames: frames.list.length,
    expressionModels: models.filter((m) => m.role === 'expression').map((m) => text(m.id)).filter((id): id is string => id !== undefined),
    speechModel: models.filter((m) => m.role === 'speech').map((m) => text(m.id)).find((id) => id !== undefined)
      ?? (isObject(doc.transcript) && isObject(doc.transcript.model) ? text(doc.transcript.model.id) : undefined),
    toolVersion: isObject(provenance?.tool) ? text(provenance.tool.version) : undefined,
  };
  const actionUnits = readAuBand(doc, interval);
  return { ok: true, view: { header, labels, domain, slice, tracks, speech, notes, link: reviewLink(doc, mediaPath), humanLabels, ...(actionUnits && { actionUnits }) } };
}

interface FaceSample {
  frameIndex: number;
  timeSec: number;
  probs: number[] | undefined;
  modelLabel: string;
  label: string;
  human: boolean;
  confidence: number | undefined;
}

function trackSamples(frames: ReadFrame[], labels: string[], corrections: Map<string, string>, suggestions: Map<string, string>, notes: string[]): Map<number, FaceSample[]> {
  const byTrack = new Map<number, FaceSample[]>();
  let badProbs = 0;
  let adapted = 0;
  for (const frame of frames) {
    for (const face of frame.faces) {
      let probs = face.probs;
      if (probs && probs.length !== labels.length) {
        badProbs += 1;
        probs = undefined;
      }
      const modelLabel = face.label ?? (probs ? labels[argmax(probs)]! : 'unknown');
      const human = corrections.get(faceKey(frame.index, face.trackId));
      const suggested = human === undefined ? suggestions.get(faceKey(frame.index, face.trackId)) : undefined;
      if (suggested !== undefined && suggested !== modelLabel) adapted += 1;
      const list = byTrack.get(face.trackId) ?? [];
      list.push({ frameIndex: frame.index, timeSec: frame.timeSec, probs, modelLabel, label: finalLabel(human, suggested, modelLabel), human: human !== undefined, confidence: face.confidence });
      byTrack.set(face.trackId, list);
    }
  }
  if (badProbs > 0) notes.push(`${plural(badProbs, 'face')} whose probabilities do not match the ${labels.length} labels left out of the charts.`);
  if (adapted > 0) notes.push(`${plural(adapted, 'face')} carry the adapted model's suggestion instead of the model's label (learnt from the corrections; human > adapted > model).`);
  return byTrack;
}

/**
 * The span the charts share: the media's whole length, unless the frames cover only a window of it (a slice),
 * then that window. Without frames, the media's length, else the transcript's.
 */
function timeDomain(frames: ReadFrame[], interval: number, durationSec: number | undefined, utterances: UtteranceView[]): { domain: OutputView['domain']; slice: boolean } {
  const duration = durationSec !== undefined && durationSec > 0 ? durationSec : undefined;
  if (frames.length > 0) {
    const first = frames[0]!.timeSec;
    const last = frames[frames.length - 1]!.timeSec + interval;
    const margin = Math.max(1, 2 * interval);
    if (duration !== undefined && (first > margin || last < duration - margin)) {
      return { domain: { startSec: first, endSec: Math.max(last, first + interval) }, slice: true };
    }
    return { domain: { startSec: 0, endSec: Math.max(duration ?? 0, last) }, slice: false };
  }
  const speechEnd = utterances.reduce((end, u) => Math.max(end, u.endSec), 0);
  return { domain: { startSec: 0, endSec: Math.max(duration ?? 0, speechEnd, 1) }, slice: false };
}

/**
 * Groups consecutive samples of one person into at most about MAX_POINTS steps (mean probabilities, majority
 * final label), and breaks the chart where the person was out of the picture.
 */
function downsample(samples: readonly FaceSample[], labels: readonly string[], interval: number): TrackPoint[][] {
  const withProbs = samples.filter((s) => s.probs !== undefined);
  if (withProbs.length === 0 || labels.length === 0) return [];
  const per = Math.max(1, Math.ceil(withProbs.length / MAX_POINTS));
  const runs: TrackPoint[][] = [];
  let run: TrackPoint[] = [];
  let group: FaceSample[] = [];
  const flush = (endSec: number): void => {
    if (group.length === 0) return;
    run.push(point(group, labels, endSec));
    group = [];
  };
  for (let i = 0; i < withProbs.length; i++) {
    const s = withProbs[i]!;
    const next = withProbs[i + 1];
    group.push(s);
    const gap = next !== undefined && next.timeSec - s.timeSec > GAP_FACTOR * interval;
    const end = next === undefined || gap ? s.timeSec + interval : next.timeSec;
    if (group.length >= per || gap || next === undefined) flush(end);
    if (gap) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function point(group: readonly FaceSample[], labels: readonly string[], endSec: number): TrackPoint {
  const sums = new Array<number>(labels.length).fill(0);
  const counts = new Map<string, number>();
  let human = 0;
  for (const s of group) {
    const probs = s.probs!;
    for (let k = 0; k < sums.length; k++) sums[k]! += probs[k]!;
    counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
    if (s.human) human += 1;
  }
  return { startSec: group[0]!.timeSec, endSec, probs: sums.map((v) => v / group.length), label: mostFrequent(counts, labels), human };
}

/** The most frequent key; ties go to the one first in `labels` order, then alphabetical. */
function mostFrequent(counts: Map<string, number>, labels: readonly string[]): string {
  const order = (l: string): number => {
    const i = labels.indexOf(l);
    return i < 0 ? labels.length : i;
  };
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || order(a[0]) - order(b[0]) || a[0].localeCompare(b[0]))[0]?.[0] ?? 'unknown';
}

function summarise(samples: readonly FaceSample[], labels: readonly string[]): TrackSummaryView {
  const counts = new Map<string, number>();
  let human = 0;
  let confidenceSum = 0;
  let confidenceCount = 0;
  for (const s of samples) {
    counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
    if (s.human) human += 1;
    if (s.confidence !== undefined) {
      confidenceSum += s.confidence;
      confidenceCount += 1;
    }
  }
  const dominantLabel = mostFrequent(counts, labels);
  return {
    frames: samples.length,
    firstSec: samples[0]?.timeSec ?? 0,
    lastSec: samples[samples.length - 1]?.timeSec ?? 0,
    dominantLabel,
    dominantShare: samples.length > 0 ? (counts.get(dominantLabel) ?? 0) / samples.length : 0,
    meanConfidence: confidenceCount > 0 ? confidenceSum / confidenceCount : NaN,
    humanLabels: human,
    stored: false,
  };
}

/** The document's own track summaries, for an output that has `tracks` but no frames. */
function storedSummaries(value: unknown, labels: readonly string[]): { id: number; view: TrackSummaryView }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((t) => {
    const id = finite(t.id);
    if (id === undefined) return [];
    const dominantLabel = text(t.dominantLabel) ?? 'unknown';
    const share = Array.isArray(t.labelShare) ? finite(t.labelShare[labels.indexOf(dominantLabel)]) : undefined;
    return [{
      id,
      view: {
        frames: finite(t.frameCount) ?? 0,
        firstSec: finite(t.firstTimeSec) ?? 0,
        lastSec: finite(t.lastTimeSec) ?? 0,
        dominantLabel,
        dominantShare: share ?? NaN,
        meanConfidence: finite(t.meanConfidence) ?? NaN,
        humanLabels: 0,
        stored: true,
      },
    }];
  }).sort((a, b) => a.id - b.id);
}

function readSpeech(transcript: unknown, all: UtteranceView[], window: OutputView['domain'] | undefined, notes: string[]): SpeechView {
  if (!isObject(transcript)) {
    notes.push('No transcript in this output.');
    return { status: 'missing', utterances: [], notListed: 0, sentiment: [] };
  }
  const status = text(transcript.status) ?? (all.length > 0 ? 'ok' : 'unknown');
  const reason = text(transcript.reason);
  let utterances = all;
  if (window) {
    utterances = all.filter((u) => u.endSec > window.startSec && u.startSec < window.endSec);
    const outside = all.length - utterances.length;
    if (outside > 0) notes.push(`${plural(outside, 'utterance')} outside the frames' time window not shown.`);
  }
  const scored = utterances.filter((u): u is UtteranceView & { compound: number } => u.compound !== undefined);
  const listed = utterances.slice(0, MAX_UTTERANCES);
  return { status, reason, utterances: listed, notListed: utterances.length - listed.length, sentiment: sentimentSteps(scored) };
}

/** One step per utterance, or (over MAX_POINTS utterances) groups of consecutive ones, weighted by length. */
export function sentimentSteps(utterances: readonly { startSec: number; endSec: number; compound: number }[]): SentimentStep[] {
  const per = Math.max(1, Math.ceil(utterances.length / MAX_POINTS));
  const out: SentimentStep[] = [];
  for (let i = 0; i < utterances.length; i += per) {
    const group = utterances.slice(i, i + per);
    let weight = 0;
    let sum = 0;
    for (const u of group) {
      const w = Math.max(0.05, u.endSec - u.startSec);
      weight += w;
      sum += w * u.compound;
    }
    const compound = sum / weight;
    out.push({ startSec: group[0]!.startSec, endSec: group[group.length - 1]!.endSec, compound, label: sentimentLabel(compound) });
  }
  return out;
}

function reviewLink(doc: Json, mediaPath: string | undefined): ReviewLink | undefined {
  const documentPath = text(doc.documentPath);
  if (documentPath) return { documentPath, mediaPath, target: documentPath };
  if (mediaPath) return { mediaPath, target: `${mediaPath}${DOCUMENT_SUFFIX}` };
  return undefined;
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** Ticks for a time axis: a round step giving at most about `most` ticks over the span. */
export function timeTicks(domain: OutputView['domain'], most = 8): number[] {
  const span = domain.endSec - domain.startSec;
  if (!(span > 0)) return [domain.startSec];
  const steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
  const step = steps.find((s) => span / s <= most) ?? Math.ceil(span / most / 3600) * 3600;
  const out: number[] = [];
  for (let t = Math.ceil(domain.startSec / step - 1e-9) * step; t <= domain.endSec + 1e-9; t += step) out.push(Math.round(t * 1000) / 1000 + 0);
  return out;
}
