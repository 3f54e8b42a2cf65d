/**
 * One table for a whole dataset (`emotion-lens export ... --format dataset --out DIR`): every sampled face of
 * every document in dataset.faces.csv and dataset.faces.parquet, and one line per document in
 * dataset.summary.csv. Documents are read one at a time and their rows streamed out, so memory holds the
 * Parquet columns only. Every file is written to a temporary name first, then renamed: never half-written.
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
import { finalLabels } from './finalLabels';
import { parquetBytes } from './parquetFile';

export const DATASET_FILES = { faces: 'dataset.faces.csv', facesParquet: 'dataset.faces.parquet', summary: 'dataset.summary.csv' } as const;

/** One document of the dataset, and its media's path as the dataset names it (relative to the inputs given). */
export interface DatasetDocument {
  documentPath: string;
  mediaPath: string;
}

export interface DatasetResult {
  documents: number;
  faceRows: number;
  files: string[];
  /** Documents that could not be read, each one line naming it (they are left out of the tables). */
  failures: string[];
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
  ...PROBABILITY_COLUMNS.map((name): ColumnSpec => ({ name, type: 'float64' })),
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
];

/** The face rows of one document, final labels and probabilities in the canonical label order. */
export function faceRows(doc: AnnotationDocument, mediaPath: string): Cell[][] {
  const order = CANONICAL_LABELS.map((label) => doc.labels.indexOf(label));
  const sources = new Map(doc.frames.flatMap((f) => f.faces.map((face) => [`${f.index}:${face.trackId}`, face.source] as const)));
  return finalLabels(doc).frames.flatMap((frame) => frame.faces.map((face): Cell[] => [
    mediaPath, doc.media.sha256, frame.timeSec, frame.index, face.trackId, sources.get(`${frame.index}:${face.trackId}`) ?? 'detected',
    ...face.box, face.detectorScore, face.label, face.source, face.confidence, face.modelLabel, face.modelConfidence,
    ...order.map((i) => (i >= 0 ? (face.probs[i] ?? null) : null)),
  ]));
}

/** The summary row of one document. */
export function summaryRow(doc: AnnotationDocument, mediaPath: string): Cell[] {
  const labels = finalLabels(doc);
  const faces = labels.frames.reduce((n, f) => n + f.faces.length, 0);
  return [
    mediaPath, doc.media.sha256, doc.media.kind, doc.media.durationSec, doc.media.analysedUntilSec?.video ?? null,
    doc.frames.length, faces, doc.tracks.length, doc.tracks.map((t) => `${t.id}:${t.dominantLabel}`).join(' '),
    doc.transcript.status, doc.transcript.utterances.length, labels.appliedCorrections, doc.corrections.length,
    doc.unplacedCorrections.length, doc.provenance.models.map((m) => m.id).join(' '), doc.warnings.join(' | '),
  ];
}

export async function writeDataset(
  documents: readonly DatasetDocument[],
  outDir: string,
  read: (documentPath: string) => Promise<AnnotationDocument>,
  hooks: { signal?: AbortSignal; onDocument?: (done: number, total: number) => void } = {},
): Promise<DatasetResult> {
  await fs.mkdir(outDir, { recursive: true });
  const faces = new DatasetTable(FACE_COLUMNS);
  const summary = new DatasetTable(SUMMARY_COLUMNS);
  const facesCsv = await streamingFile(path.join(outDir, DATASET_FILES.faces), faces.csvHeader());
  const summaryCsv = await streamingFile(path.join(outDir, DATASET_FILES.summary), summary.csvHeader());
  const failures: string[] = [];
  let done = 0;
  try {
    for (const { documentPath, mediaPath } of documents) {
      throwIfAborted(hooks.signal);
      let doc: AnnotationDocument;
      try {
        doc = await read(documentPath);
      } catch (error) {
        failures.push((error as Error).message);
        continue;
      }
      for (const row of faceRows(doc, mediaPath)) await facesCsv.write(faces.add(row));
      await summaryCsv.write(summary.add(summaryRow(doc, mediaPath)));
      done++;
      hooks.onDocument?.(done, documents.length);
    }
    await writeFileAtomic(path.join(outDir, DATASET_FILES.facesParquet), await parquetBytes(faces));
    await Promise.all([facesCsv.commit(), summaryCsv.commit()]);
  } finally {
    await Promise.all([facesCsv.abandon(), summaryCsv.abandon()]);
  }
  return { documents: done, faceRows: faces.rowCount, files: Object.values(DATASET_FILES).map((f) => path.join(outDir, f)), failures };
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
