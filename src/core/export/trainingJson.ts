/**
 * JSON for training sets: one record per sampled frame and face with its final label (human where corrected),
 * where it came from and the model's probabilities, plus segments, utterances with sentiment and their voice,
 * and the voice segments, under the document's provenance so a data set says which models and settings made it.
 * An audio file has no records and no faces in its segments: its utterances and voice segments are the data.
 */
import type { AnnotationDocument, Segment, Sentiment, UtteranceVoice, Voice, VoiceSegment, Word } from '../../shared/annotationDocument';
import type { FinalFace } from './finalLabels';
import { finalLabels } from './finalLabels';
import { layoutJson } from './jsonLayout';

export const TRAINING_FORMAT = 'emotion-lens-training';
export const TRAINING_FORMAT_VERSION = 1;

/** One frame and face, as finalLabels() gives it; `rawProbs` only when the document has smoothed probabilities. */
export type TrainingRecord = Omit<FinalFace, 'rawProbs'> & { rawProbs?: number[] };

export interface TrainingUtterance {
  id: number;
  startSec: number;
  endSec: number;
  text: string;
  sentiment: Sentiment;
  /** Prosody, voice quality and arousal over the utterance; absent when the voice was not analysed. */
  voice?: UtteranceVoice;
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
  /** Segments as analysed: their face labels are the model's summary of the span (`source: 'model'`). */
  segments: (Omit<Segment, 'faces'> & { faces: (Segment['faces'][number] & { source: 'model' })[] })[];
  transcript: { status: AnnotationDocument['transcript']['status']; reason?: string; engine?: string; model?: string };
  utterances: TrainingUtterance[];
  /** How the voice was analysed: status (and why not), segmentation, the arousal baseline, the whole recording's measures. */
  voice: Omit<Voice, 'segments'>;
  /** The voice segments (spans of speech) with their measures and arousal, as in the document. */
  voiceSegments: VoiceSegment[];
}

export function trainingExport(doc: AnnotationDocument): TrainingExport {
  const labels = finalLabels(doc);
  const smoothed = doc.frames.some((f) => f.faces.some((face) => face.smoothedProbs !== undefined));
  const records = labels.frames.flatMap((frame) =>
    frame.faces.map((face): TrainingRecord => ({
      timeSec: face.timeSec,
      frameIndex: face.frameIndex,
      trackId: face.trackId,
      box: face.box,
      detectorScore: face.detectorScore,
      label: face.label,
      source: face.source,
      confidence: face.confidence,
      modelLabel: face.modelLabel,
      modelConfidence: face.modelConfidence,
      probs: face.probs,
      ...(smoothed ? { rawProbs: face.rawProbs } : {}),
    })),
  );
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
      words: transcript.words.slice(u.wordStart, u.wordEnd),
    })),
    voice: voiceSummary,
    voiceSegments,
  };
}

/** The export as text: readable at the top, one line per record, segment, utterance and voice segment (diffs line by line). */
export function trainingJson(doc: AnnotationDocument): string {
  return layoutJson(trainingExport(doc), 2);
}
