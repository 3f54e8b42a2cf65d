/**
 * One table for a whole dataset (`emotion-lens export ... --format dataset --out DIR`): every sampled face of
 * every document in dataset.faces.csv and dataset.faces.parquet (with its face geometry), every face mesh in
 * dataset.mesh.parquet (datasetMesh.ts), every voice segment in dataset.voice.csv and dataset.voice.parquet, and
 * one line per document in dataset.summary.csv.
 *
 * Documents are read one at a time, never held: face rows are streamed out as each is read, so memory holds the
 * Parquet columns only. Voice rows carry arousal on their speaker group's scale over the whole dataset, known
 * only once every document is read: their rows (small: one per span of speech) are held as typed columns with
 * each segment's two arousal measures, each group's scale (duration-weighted median and MAD, core/voice/arousal.ts)
 * is taken at the end, and the voice and summary files are written then. Every file is written to a temporary
 * name first, then renamed: never half-written.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import type { WriteStream } from 'node:fs';
import path from 'node:path';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { CANONICAL_LABELS } from '../models/modelManifest';
import { writeFileAtomic } from '../document/annotationFile';
import { throwIfAborted } from '../errors';
import type { Cell, ColumnSpec } from './datasetColumns';
import { DatasetTable } from './datasetColumns';
import { DATASET_GEOMETRY_COLUMNS, datasetGeometryCells } from './datasetGeometry';
import { DatasetMeshTable } from './datasetMesh';
import { finalLabels } from './finalLabels';
import { mediaAbsolutePath } from './mediaLocation';
import { parquetBytes } from './parquetFile';
import { arousalMeasuresOf, arousalOnScale, arousalScaleOf } from '../voice/arousal';
import type { ArousalMeasures, MeasuredSpan } from '../voice/arousal';
import { speakerGroupOf } from './speakerGroups';
import { speakerCode, speakerConfidence, speakerTrackId } from '../../shared/speakerNames';
import { VOICE_FEATURE_COLUMNS, voiceFeatureValues } from './voiceColumns';

export const DATASET_FILES = {
  faces: 'dataset.faces.csv',
  facesParquet: 'dataset.faces.parquet',
  mesh: 'dataset.mesh.parquet',
  voice: 'dataset.voice.csv',
  voiceParquet: 'dataset.voice.parquet',
  summary: 'dataset.summary.csv',
} as const;

/** One document of the dataset, and its media's path as the dataset names it (relative to the inputs given). */
export interface DatasetDocument {
  documentPath: string;
  mediaPath: string;
}

export interface DatasetOptions {
  signal?: AbortSignal;
  onDocument?: (done: number, total: number) => void;
  /** The speaker group is this pattern's first capture group on the media file name (default: the media's folder). */
  speakerPattern?: RegExp;
}

export interface DatasetResult {
  documents: number;
  faceRows: number;
  /** Face meshes in dataset.mesh.parquet (not written when no document has a mesh). */
  meshRows: number;
  voiceRows: number;
  speakerGroups: number;
  files: string[];
  /** Documents that could not be read, each one line naming it (they are left out of the tables). */
  failures: string[];
  /** One line each: media files the speaker pattern does not match (grouped by their folder instead). */
  warnings: string[];
}

const PROBABILITY_COLUMNS = CANONICAL_LABELS.map((l) => `p_${l}`);

export const FACE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'media_path', type: 'string' },
  { name: 'media_sha256', type: 'string' },
  { name: 'time_sec', type: 'float64' },
  { name: 'frame', type: 'int32' },
  { name: 'track_id', type: 'int32' },
  { name: 'face_source', type: 'string' },
  { name: 'box_x', type: 'float64' },
  { name: 'box_y', type: 'float64' },
  { name: 'box_width', type: 'float64' },
  { name: 'box_height', type: 'float64' },
  { name: 'detector_score', type: 'float64' },
  { name: 'label', type: 'string' },
  { name: 'label_source', type: 'string' },
  { name: 'label_confidence', type: 'float64' },
  { name: 'model_label', type: 'string' },
  { name: 'model_confidence', type: 'float64' },
  { name: 'adapted_label', type: 'string' },
  { name: 'adapted_confidence', type: 'float64' },
  { name: 'annotator', type: 'string' },
  ...PROBABILITY_COLUMNS.map((name): ColumnSpec => ({ name, type: 'float64' })),
  ...DATASET_GEOMETRY_COLUMNS,
];

export const SUMMARY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'media_path', type: 'string' },
  { name: 'media_sha256', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'duration_sec', type: 'float64' },
  { name: 'analysed_until_sec', type: 'float64' },
  { name: 'frames', type: 'int32' },
  { name: 'faces', type: 'int32' },
  { name: 'tracks', type: 'int32' },
  { name: 'track_labels', type: 'string' },
  { name: 'transcript_status', type: 'string' },
  { name: 'utterances', type: 'int32' },
  { name: 'faces_reviewed', type: 'int32' },
  { name: 'corrections', type: 'int32' },
  { name: 'unplaced_corrections', type: 'int32' },
  { name: 'models', type: 'string' },
  { name: 'warnings', type: 'string' },
  { name: 'speaker_group', type: 'string' },
  { name: 'voice_status', type: 'string' },
  { name: 'voice_segments', type: 'int32' },
  { name: 'speech_sec', type: 'float64' },
  { name: 'f0_mean_semitones', type: 'float64' },
  { name: 'mean_arousal', type: 'float64' },
];

export const VOICE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'media_path', type: 'string' },
  { name: 'media_sha256', type: 'string' },
  { name: 'speaker_group', type: 'string' },
  { name: 'segment', type: 'int32' },
  { name: 'start_sec', type: 'float64' },
  { name: 'end_sec', type: 'float64' },
  ...VOICE_FEATURE_COLUMNS.map((c): ColumnSpec => ({ name: c.name, type: 'float64' })),
  { name: 'words_per_second', type: 'float64' },
  { name: 'arousal_raw', type: 'float64' },
  { name: 'arousal', type: 'float64' },
  { name: 'recording_arousal', type: 'float64' },
  { name: 'speaker', type: 'string' },
  { name: 'speaker_track_id', type: 'int32' },
  { name: 'speaker_confidence', type: 'float64' },
];

/**
 * The face rows of one document, final labels (source `human`, `adapted` or `model`) and probabilities in the
 * canonical label order; the adapted suggestion and the human label's annotator where there are any.
 */
export function faceRows(doc: AnnotationDocument, mediaPath: string): Cell[][] {
  const order = CANONICAL_LABELS.map((label) => doc.labels.indexOf(label));
  return finalLabels(doc).frames.flatMap((frame) => frame.faces.map((face): Cell[] => [
    mediaPath, doc.media.sha256, frame.timeSec, frame.index, face.trackId, face.faceSource,
    ...face.box, face.detectorScore, face.label, face.source, face.confidence, face.modelLabel, face.modelConfidence,
    face.adaptedLabel ?? null, face.adaptedConfidence ?? null, face.annotator ?? null,
    ...order.map((i) => (i >= 0 ? (face.probs[i] ?? null) : null)),
    ...datasetGeometryCells(face),
  ]));
}

/**
 * The voice rows of one document: a row per voice segment. `arousal` (on the speaker group's scale) is left
 * null here and filled in once the whole dataset is read; `recording_arousal` is the document's own score.
 */
export function voiceRows(doc: AnnotationDocument, mediaPath: string, speakerGroup: string): Cell[][] {
  return doc.voice.segments.map((s, i): Cell[] => [
    mediaPath, doc.media.sha256, speakerGroup, i, s.startSec, s.endSec, ...voiceFeatureValues(s), s.wordsPerSecond ?? null, s.arousalRaw, null, s.arousal,
    speakerCode(s.speaker), speakerTrackId(s.speaker), speakerConfidence(s.speaker),
  ]);
}

/** The summary row of one document; `mean_arousal` (its segments' arousal weighted by length) is filled in at the end. */
export function summaryRow(doc: AnnotationDocument, mediaPath: string, speakerGroup: string): Cell[] {
  const labels = finalLabels(doc);
  const faces = labels.frames.reduce((n, f) => n + f.faces.length, 0);
  const { voice } = doc;
  const analyzedUntil = doc.media.kind === 'audio' ? doc.media.analysedUntilSec?.audio : doc.media.analysedUntilSec?.video;
  return [
    mediaPath, doc.media.sha256, doc.media.kind, doc.media.durationSec, analyzedUntil ?? null,
    doc.frames.length, faces, doc.tracks.length, doc.tracks.map((t) => `${t.id}:${t.dominantLabel}`).join(' '),
    doc.transcript.status, doc.transcript.utterances.length, labels.appliedCorrections, doc.corrections.length,
    doc.unplacedCorrections.length, doc.provenance.models.map((m) => m.id).join(' '), doc.warnings.join(' | '),
    speakerGroup, voice.status, voice.segments.length, voice.segments.reduce((sum, s) => sum + (s.endSec - s.startSec), 0),
    voice.overall?.f0MeanSemitones ?? null, null,
  ];
}

export async function writeDataset(
  documents: readonly DatasetDocument[],
  outDir: string,
  read: (documentPath: string) => Promise<AnnotationDocument>,
  options: DatasetOptions = {},
): Promise<DatasetResult> {
  await fs.mkdir(outDir, { recursive: true });
  const faces = new DatasetTable(FACE_COLUMNS);
  const voice = new DatasetTable(VOICE_COLUMNS);
  const summary = new DatasetTable(SUMMARY_COLUMNS);
  const facesCsv = await streamingFile(path.join(outDir, DATASET_FILES.faces), faces.csvHeader());
  const meshes = new DatasetMeshTable(path.join(outDir, DATASET_FILES.mesh));
  const files = [facesCsv];
  const failures: string[] = [];
  const warnings: string[] = [];
  /** Each speaker group's measured segments, as they come. */
  const groups = new Map<string, MeasuredSpan[]>();
  /** Per voice row: its arousal measures (null: unvoiced), in row order. */
  const rowMeasures: (ArousalMeasures | null)[] = [];
  /** Per summary row: its voice rows. */
  const documentRows: { first: number; count: number }[] = [];
  let done = 0;
  try {
    for (const { documentPath, mediaPath } of documents) {
      throwIfAborted(options.signal);
      let doc: AnnotationDocument;
      try {
        doc = await read(documentPath);
      } catch (error) {
        failures.push((error as Error).message);
        continue;
      }
      const { group, warning } = speakerGroupOf(mediaPath, path.dirname(mediaAbsolutePath(doc, documentPath)), options.speakerPattern);
      if (warning) warnings.push(warning);
      for (const row of faceRows(doc, mediaPath)) await facesCsv.write(faces.add(row));
      const mesh = await meshes.addDocument(doc, documentPath, mediaPath);
      if (mesh.warning) warnings.push(mesh.warning);
      const spans = groups.get(group) ?? [];
      groups.set(group, spans);
      documentRows.push({ first: voice.rowCount, count: doc.voice.segments.length });
      for (const row of voiceRows(doc, mediaPath, group)) voice.add(row);
      for (const s of doc.voice.segments) {
        const measures = arousalMeasuresOf(s);
        rowMeasures.push(measures);
        if (measures) spans.push({ measures, sec: s.endSec - s.startSec });
      }
      summary.add(summaryRow(doc, mediaPath, group));
      done++;
      options.onDocument?.(done, documents.length);
    }
    throwIfAborted(options.signal);
    const scales = new Map([...groups].map(([group, spans]) => [group, arousalScaleOf(spans)]));
    for (let row = 0; row < voice.rowCount; row++) {
      const scale = scales.get(String(voice.get(row, 'speaker_group')));
      const measures = rowMeasures[row];
      if (scale && measures) voice.set(row, 'arousal', arousalOnScale(scale, measures));
    }
    documentRows.forEach(({ first, count }, row) => summary.set(row, 'mean_arousal', meanArousal(voice, first, count)));
    const voiceCsv = await streamingFile(path.join(outDir, DATASET_FILES.voice), voice.csvHeader());
    files.push(voiceCsv);
    for (let row = 0; row < voice.rowCount; row++) await voiceCsv.write(voice.csvLine(row));
    const summaryCsv = await streamingFile(path.join(outDir, DATASET_FILES.summary), summary.csvHeader());
    files.push(summaryCsv);
    for (let row = 0; row < summary.rowCount; row++) await summaryCsv.write(summary.csvLine(row));
    await writeFileAtomic(path.join(outDir, DATASET_FILES.facesParquet), await parquetBytes(faces));
    await writeFileAtomic(path.join(outDir, DATASET_FILES.voiceParquet), await parquetBytes(voice));
    if (!(await meshes.commit())) await fs.rm(path.join(outDir, DATASET_FILES.mesh), { force: true });
    await Promise.all(files.map((f) => f.commit()));
  } finally {
    await Promise.all([...files.map((f) => f.abandon()), meshes.abandon()]);
  }
  return {
    documents: done,
    faceRows: faces.rowCount,
    meshRows: meshes.rowCount,
    voiceRows: voice.rowCount,
    speakerGroups: groups.size,
    files: Object.values(DATASET_FILES).filter((f) => f !== DATASET_FILES.mesh || meshes.rowCount > 0).map((f) => path.join(outDir, f)),
    failures,
    warnings,
  };
}

/** The duration-weighted mean arousal of a document's voice rows, null when none has one. */
function meanArousal(voice: DatasetTable, first: number, count: number): number | null {
  let weighted = 0, sec = 0;
  for (let row = first; row < first + count; row++) {
    const arousal = voice.get(row, 'arousal');
    if (arousal === null) continue;
    const length = Number(voice.get(row, 'end_sec')) - Number(voice.get(row, 'start_sec'));
    weighted += Number(arousal) * length;
    sec += length;
  }
  return sec > 0 ? weighted / sec : null;
}

/** A file written line by line to a temporary name beside it, renamed into place by commit(). */
async function streamingFile(file: string, header: string): Promise<{ write(text: string): Promise<void>; commit(): Promise<void>; abandon(): Promise<void> }> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const stream: WriteStream = createWriteStream(temp, { flags: 'wx' });
  await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
  let committed = false;
  const write = (text: string): Promise<void> => (stream.write(text) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve())));
  const close = (): Promise<void> => new Promise((resolve, reject) => (stream.closed ? resolve() : stream.end((error?: Error | null) => (error ? reject(error) : resolve()))));
  await write(header);
  return {
    write,
    async commit() {
      await close();
      const handle = await fs.open(temp, 'r+');
      await handle.sync();
      await handle.close();
      await fs.rename(temp, file);
      committed = true;
    },
    async abandon() {
      if (committed) return;
      await close().catch(() => undefined);
      await fs.rm(temp, { force: true });
    },
  };
}
