/**
 * JSON for training sets: one record per sampled frame and face with its final label (human > adapted > model),
 * where it came from and the model's probabilities, every sampled frame with the records of its faces (an empty
 * list where no face was found, so "no face" and "not sampled" differ), plus segments, utterances with sentiment and their voice,
 * and the voice segments, under the document's provenance so a data set says which models and settings made it.
 * An audio file has no records and no faces in its segments: its utterances and voice segments are the data.
 */
import type { AnnotationDocument, Segment, Sentiment, Speaker, UtteranceVoice, Voice, VoiceSegment, Word } from '../../shared/annotationDocument';
import type { GeometrySection } from '../../shared/faceGeometry';
import type { FinalFace } from './finalLabels';
import { finalLabels } from './finalLabels';
import { layoutJson } from './jsonLayout';

export const TRAINING_FORMAT = 'emotion-lens-training';
export const TRAINING_FORMAT_VERSION = 1;

/**
 * One frame and face, as finalLabels() gives it: `source` is the label's source (`human`, `adapted`, `model`),
 * `faceSource` how the face was found; `adaptedLabel`/`adaptedConfidence` only with an adaptation, `annotator`
 * only for a human label that names its author, `rawProbs` only when the document has smoothed probabilities,
 * `geometry` (the document's per-face measures) only when the face's geometry was measured.
 */
export type TrainingRecord = Omit<FinalFace, 'rawProbs'> & { rawProbs?: number[] };

/** A sampled frame: its index and time, and its faces as indices into `records` (empty: sampled, no face found). */
export interface TrainingFrame {
  frameIndex: number;
  timeSec: number;
  faces: { trackId: number; record: number }[];
}

export interface TrainingUtterance {
  id: number;
  startSec: number;
  endSec: number;
  text: string;
  sentiment: Sentiment;
  /** Prosody, voice quality and arousal over the utterance; absent when the voice was not analysed. */
  voice?: UtteranceVoice;
  /** Who says it (a face track, off screen, or unknown); absent when speakers were not attributed. */
  speaker?: Speaker;
  words: Word[];
}

export interface TrainingExport {
  format: typeof TRAINING_FORMAT;
  formatVersion: typeof TRAINING_FORMAT_VERSION;
  media: AnnotationDocument['media'];
  provenance: AnnotationDocument['provenance'];
  labels: string[];
  /** How many corrections were applied, and how many name a frame or face the document does not have. */
  corrections: { applied: number; unmatched: number };
  records: TrainingRecord[];
  /** Every sampled frame, faceless ones included, in order. */
  frames: TrainingFrame[];
  /** Segments as analysed: their face labels are the model's summary of the span (`source: 'model'`). */
  segments: (Omit<Segment, 'faces'> & { faces: (Segment['faces'][number] & { source: 'model' })[] })[];
  transcript: { status: AnnotationDocument['transcript']['status']; reason?: string; engine?: string; model?: string };
  utterances: TrainingUtterance[];
  /** How the voice was analysed: status (and why not), segmentation, the arousal baseline, the whole recording's measures. */
  voice: Omit<Voice, 'segments'>;
  /** The voice segments (spans of speech) with their measures, arousal and speaker, as in the document. */
  voiceSegments: VoiceSegment[];
  /** Whether face geometry was measured, and what each record's `geometry` arrays hold, in order (the mesh stays in the document's sidecar). */
  geometry: Omit<GeometrySection, 'mesh'>;
}

export function trainingExport(doc: AnnotationDocument): TrainingExport {
  const labels = finalLabels(doc);
  const smoothed = doc.frames.some((f) => f.faces.some((face) => face.smoothedProbs !== undefined));
  const records: TrainingRecord[] = [];
  const frames = labels.frames.map((frame): TrainingFrame => ({
    frameIndex: frame.index,
    timeSec: frame.timeSec,
    faces: frame.faces.map((face) => ({ trackId: face.trackId, record: records.push(trainingRecord(face, smoothed)) - 1 })),
  }));
  const { transcript, voice } = doc;
  const { segments: voiceSegments, ...voiceSummary } = voice;
  return {
    format: TRAINING_FORMAT,
    formatVersion: TRAINING_FORMAT_VERSION,
    media: doc.media,
    provenance: doc.provenance,
    labels: doc.labels,
    corrections: { applied: labels.appliedCorrections, unmatched: labels.unmatchedCorrections },
    records,
    frames,
    segments: doc.segments.map((s) => ({ ...s, faces: s.faces.map((f) => ({ ...f, source: 'model' as const })) })),
    transcript: {
      status: transcript.status,
      ...(transcript.reason !== undefined ? { reason: transcript.reason } : {}),
      ...(transcript.engine !== undefined ? { engine: transcript.engine } : {}),
      ...(transcript.model !== undefined ? { model: transcript.model.id } : {}),
    },
    utterances: transcript.utterances.map((u) => ({
      id: u.id,
      startSec: u.startSec,
      endSec: u.endSec,
      text: u.text,
      sentiment: u.sentiment,
      ...(u.voice !== undefined ? { voice: u.voice } : {}),
      ...(u.speaker !== undefined ? { speaker: u.speaker } : {}),
      words: transcript.words.slice(u.wordStart, u.wordEnd),
    })),
    voice: voiceSummary,
    voiceSegments,
    geometry: { status: doc.geometry.status, ...(doc.geometry.reason !== undefined ? { reason: doc.geometry.reason } : {}), layout: doc.geometry.layout },
  };
}

function trainingRecord(face: FinalFace, smoothed: boolean): TrainingRecord {
  return {
    timeSec: face.timeSec,
    frameIndex: face.frameIndex,
    trackId: face.trackId,
    box: face.box,
    faceSource: face.faceSource,
    detectorScore: face.detectorScore,
    label: face.label,
    source: face.source,
    confidence: face.confidence,
    modelLabel: face.modelLabel,
    modelConfidence: face.modelConfidence,
    ...(face.adaptedLabel !== undefined ? { adaptedLabel: face.adaptedLabel, adaptedConfidence: face.adaptedConfidence } : {}),
    ...(face.annotator !== undefined ? { annotator: face.annotator } : {}),
    probs: face.probs,
    ...(smoothed ? { rawProbs: face.rawProbs } : {}),
    ...(face.geometry ? { geometry: face.geometry } : {}),
  };
}

/** The export as text: readable at the top, one line per record, segment, utterance and voice segment (diffs line by line). */
export function trainingJson(doc: AnnotationDocument): string {
  return layoutJson(trainingExport(doc), 2);
}
