/** The Label Studio video task and labeling config (`.labelstudio.json` + `.xml`): described in docs/export-formats.md. */
import type { AnnotationDocument, Utterance } from '../../shared/annotationDocument';
import { speakerName } from '../../shared/speakerNames';
import { EmotionLensError } from '../errors';
import type { FinalLabels, LabelRun } from './finalLabels';
import { finalLabels, labelRuns } from './finalLabels';
import { layoutJson } from './jsonLayout';
import { mediaAbsolutePath, mediaKindText } from './mediaLocation';
import { videoFrameCount, videoFrameNumber } from './videoFrames';
import { xmlAttribute } from './xmlEscape';

export const LABEL_STUDIO_CONTROL = 'emotion';
export const LABEL_STUDIO_VIDEO = 'video';
/** The control of the utterances: who says them (a label per person), the words in the region's note. */
export const LABEL_STUDIO_SPEAKER = 'speaker';
export const UNKNOWN_SPEAKER_LABEL = 'Unknown speaker';
/** `model_version` of the prediction made of the adaptation's suggestions. */
export const ADAPTED_MODEL_VERSION = 'adapted';

export interface LabelStudioOptions {
  documentPath: string;
  /** What Label Studio loads the video from; default: the media file's absolute path. */
  videoUrl?: string;
  /** 'corrected' (default): annotations only when the document has corrections; 'always'; 'never'. */
  annotations?: 'corrected' | 'always' | 'never';
}

export interface LabelStudioRegion {
  id: string;
  type: 'timelinelabels';
  from_name: string;
  to_name: string;
  value: { ranges: { start: number; end: number }[]; timelinelabels: string[] };
  score?: number;
  meta: { text: string[] };
}

export interface LabelStudioTask {
  data: { video: string; media_path: string; media_sha256: string };
  annotations?: { result: LabelStudioRegion[]; ground_truth: boolean }[];
  predictions: { model_version: string; score: number; result: LabelStudioRegion[] }[];
}

export function labelStudioTask(doc: AnnotationDocument, options: LabelStudioOptions): LabelStudioTask {
  if (doc.media.kind !== 'video' || !(doc.media.fps > 0)) {
    throw new EmotionLensError('input-unsupported', `Label Studio's video timeline needs a video with a frame rate, and this document is of ${mediaKindText(doc)}`, options.documentPath, doc.media.kind === 'audio' ? 'Use the json, voice or elan export for audio.' : 'Use the json or csv export for images.');
  }
  const labels = finalLabels(doc);
  const frames = frameMapper(doc);
  const modelRuns = labelRuns(modelOnly(labels));
  const faces = labels.frames.flatMap((f) => f.faces);
  const task: LabelStudioTask = {
    data: { video: options.videoUrl ?? mediaAbsolutePath(doc, options.documentPath), media_path: doc.media.path, media_sha256: doc.media.sha256 },
    predictions: [
      {
        model_version: `${doc.provenance.tool.name} ${doc.provenance.tool.version}: ${doc.provenance.settings.expressionModels.join('+')}`,
        score: round(mean(faces.map((f) => f.modelConfidence))),
        result: [
          ...modelRuns.map((run, i) => region(`p${i + 1}_t${run.trackId}`, run, frames, `track ${run.trackId}`, round(mean(run.faces.map((f) => f.modelConfidence))))),
          ...doc.transcript.utterances.map((u, i) => utteranceRegion(`u${i + 1}`, u, frames)),
        ],
      },
    ],
  };
  if (doc.adaptation) {
    const adapted = adaptedOnly(labels);
    const suggested = adapted.frames.flatMap((f) => f.faces);
    task.predictions.push({
      model_version: ADAPTED_MODEL_VERSION,
      score: round(mean(suggested.map((f) => f.confidence))),
      result: labelRuns(adapted).map((run, i) => region(`s${i + 1}_t${run.trackId}`, run, frames, `track ${run.trackId}`, round(mean(run.faces.map((f) => f.confidence))))),
    });
  }
  const mode = options.annotations ?? 'corrected';
  if (mode === 'always' || (mode === 'corrected' && labels.appliedCorrections > 0)) {
    const runs = labelRuns(humanOnly(labels), { splitOnSource: true });
    task.annotations = [{ result: runs.map((run, i) => region(`a${i + 1}_t${run.trackId}`, run, frames, humanNote(run))), ground_truth: false }];
  }
  return task;
}

/** The import file: a JSON list of tasks (here one), ready for Label Studio's Import. */
export function labelStudioJson(doc: AnnotationDocument, options: LabelStudioOptions): string {
  return layoutJson([labelStudioTask(doc, options)], 5);
}

/** The labeling config for a project that imports these tasks (Settings → Labeling Interface → Code). */
export function labelStudioConfig(doc: AnnotationDocument): string {
  const labels = doc.labels.map((l) => `    <Label value="${xmlAttribute(l)}"/>`);
  const speakers = speakerLabels(doc).map((l) => `    <Label value="${xmlAttribute(l)}"/>`);
  return [
    '<View>',
    `  <TimelineLabels name="${LABEL_STUDIO_CONTROL}" toName="${LABEL_STUDIO_VIDEO}">`,
    ...labels,
    '  </TimelineLabels>',
    ...(speakers.length > 0 ? [`  <TimelineLabels name="${LABEL_STUDIO_SPEAKER}" toName="${LABEL_STUDIO_VIDEO}">`, ...speakers, '  </TimelineLabels>'] : []),
    `  <Video name="${LABEL_STUDIO_VIDEO}" value="$video" frameRate="${doc.media.fps}" timelineHeight="160"/>`,
    '</View>',
    '',
  ].join('\n');
}

interface FrameMapper {
  /** Inclusive 1-based frame range a run covers. */
  range(run: { startSec: number; endSec: number }): { start: number; end: number };
}

export function frameMapper(doc: AnnotationDocument): FrameMapper {
  const total = Math.max(1, videoFrameCount(doc));
  const frameAt = (sec: number) => videoFrameNumber(doc, sec);
  return {
    range(run) {
      const start = Math.min(total, frameAt(run.startSec));
      return { start, end: Math.max(start, Math.min(total, frameAt(run.endSec) - 1)) };
    },
  };
}

/** The speaker labels the utterances use, persons first (by track), then off screen and unknown. */
export function speakerLabels(doc: AnnotationDocument): string[] {
  const names = new Set(doc.transcript.utterances.map(utteranceSpeakerLabel));
  const persons = doc.transcript.utterances.flatMap((u) => (u.speaker?.kind === 'face' ? [u.speaker.trackId] : []));
  const ordered = [...new Set(persons)].sort((a, b) => a - b).map((id) => `Person ${id}`);
  return [...ordered, ...['Off screen', UNKNOWN_SPEAKER_LABEL].filter((n) => names.has(n))];
}

function utteranceSpeakerLabel(u: Utterance): string {
  return speakerName(u.speaker) ?? UNKNOWN_SPEAKER_LABEL;
}

/** An utterance on the speaker timeline: who says it as the label, its words as the note. */
function utteranceRegion(id: string, u: Utterance, frames: FrameMapper): LabelStudioRegion {
  return {
    id,
    type: 'timelinelabels',
    from_name: LABEL_STUDIO_SPEAKER,
    to_name: LABEL_STUDIO_VIDEO,
    value: { ranges: [frames.range(u)], timelinelabels: [utteranceSpeakerLabel(u)] },
    ...(u.speaker && u.speaker.kind !== 'unknown' ? { score: u.speaker.confidence } : {}),
    meta: { text: [u.text] },
  };
}

/** `meta.text` is Label Studio's region note: a list of which its editor shows the first, so one string. */
function region(id: string, run: LabelRun, frames: FrameMapper, note: string, score?: number): LabelStudioRegion {
  return {
    id,
    type: 'timelinelabels',
    from_name: LABEL_STUDIO_CONTROL,
    to_name: LABEL_STUDIO_VIDEO,
    value: { ranges: [frames.range(run)], timelinelabels: [run.label] },
    ...(score === undefined ? {} : { score }),
    meta: { text: [note] },
  };
}

/** The same frames with every face back on its model label (predictions show what the model said). */
function modelOnly(labels: FinalLabels): FinalLabels {
  return {
    ...labels,
    frames: labels.frames.map((f) => ({ ...f, faces: f.faces.map((face) => ({ ...face, label: face.modelLabel, source: 'model' as const, confidence: face.modelConfidence })) })),
  };
}

/** Only the adaptation's suggestions, as labels (faces it has no suggestion for are left out). */
function adaptedOnly(labels: FinalLabels): FinalLabels {
  return {
    ...labels,
    frames: labels.frames.map((f) => ({
      ...f,
      faces: f.faces.flatMap((face) => (face.adaptedLabel === undefined ? [] : [{ ...face, label: face.adaptedLabel, source: 'adapted' as const, confidence: face.adaptedConfidence ?? 0 }])),
    })),
  };
}

/** Only the faces a reviewer labelled. */
function humanOnly(labels: FinalLabels): FinalLabels {
  return { ...labels, frames: labels.frames.map((f) => ({ ...f, faces: f.faces.filter((face) => face.source === 'human') })) };
}

function humanNote(run: LabelRun): string {
  const annotators = [...new Set(run.faces.map((f) => f.annotator).filter((a): a is string => a !== undefined))];
  return `track ${run.trackId} (human${annotators.length > 0 ? `, ${annotators.join(', ')}` : ''})`;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
