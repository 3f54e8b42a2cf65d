/**
 * The export formats, their file names, and the one way to run them: render from a validated document, then
 * write atomically. Exports read the document and never change it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { DOCUMENT_SUFFIX } from '../../shared/annotationDocument';
import { readAnnotationDocument, writeFileAtomic } from '../document/annotationFile';
import { EmotionLensError } from '../errors';
import { elanEaf } from './elan';
import { frameCsv } from './frameCsv';
import { labelStudioConfig, labelStudioJson } from './labelStudio';
import { loadMeshLandmarks } from './meshLandmarks';
import type { MeshLandmarks } from './meshLandmarks';
import { mediaKindText } from './mediaLocation';
import { pyFeatCsv } from './pyFeat';
import { trainingJson } from './trainingJson';
import { noVoiceSegments, voiceCsv } from './voiceCsv';
import { webVtt } from './webVtt';

export type ExportFormat = 'json' | 'csv' | 'pyfeat' | 'voice' | 'elan' | 'vtt' | 'labelstudio';

export interface ExportOptions {
  /** Path of the annotation document: media paths in it are relative to its folder. */
  documentPath: string;
  /** Where the export will be written (ELAN's relative media URL); default: beside the document. */
  outputPath?: string;
  /** Label Studio: the URL it loads the video from (default: the media file's absolute path). */
  videoUrl?: string;
  /** The 68 landmarks from the mesh sidecar (loadExportLandmarks), for the formats that carry them. */
  landmarks?: MeshLandmarks;
}

export interface ExportFormatInfo {
  id: ExportFormat;
  /** Appended to the media file name: `clip.mp4` + `.frames.csv`. */
  suffix: string;
  description: string;
  render(doc: AnnotationDocument, options: ExportOptions): string;
  /** Why this format cannot hold this document, if it cannot. */
  unsupported?(doc: AnnotationDocument): string | undefined;
  /** A second file written beside the export (Label Studio's labeling config). */
  companion?: { suffix: string; render(doc: AnnotationDocument): string };
  /** Carries the 68 landmarks, read from the document's mesh sidecar. */
  usesMesh?: true;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { id: 'json', suffix: '.training.json', description: 'training-set JSON: every sampled frame, a record per face, segments, utterances, voice segments', render: (doc) => trainingJson(doc) },
  {
    id: 'csv',
    suffix: '.frames.csv',
    description: 'per-frame CSV (OpenFace columns: frame from 1, face_id from 0), with the voice at each frame',
    render: (doc, o) => frameCsv(doc, o.landmarks),
    usesMesh: true,
    unsupported: (doc) => (doc.media.kind === 'audio' ? 'the per-frame CSV holds video frames, and this document is of an audio file: its voice segments are in the voice CSV (.voice.csv)' : undefined),
  },
  {
    id: 'pyfeat',
    suffix: '.pyfeat.csv',
    description: "Py-Feat CSV: read_feat() loads it into a Fex (emotions, face boxes, frame)",
    render: (doc, o) => pyFeatCsv(doc, o),
    usesMesh: true,
    unsupported: (doc) => (doc.media.kind === 'audio' ? "Py-Feat's CSV holds faces in video frames or images, and this document is of an audio file" : undefined),
  },
  { id: 'voice', suffix: '.voice.csv', description: 'voice segments CSV: prosody, voice quality and arousal per span of speech', render: (doc) => voiceCsv(doc), unsupported: noVoiceSegments },
  { id: 'elan', suffix: '.eaf', description: 'ELAN annotation file (EAF 3.0): a tier per face, transcript, words, sentiment, voice arousal and pitch', render: (doc, o) => elanEaf(doc, o) },
  { id: 'vtt', suffix: '.vtt', description: 'WebVTT subtitles of the transcript, sentiment in NOTEs', render: (doc) => webVtt(doc) },
  {
    id: 'labelstudio',
    suffix: '.labelstudio.json',
    description: 'Label Studio video task (timelinelabels), with its labeling config',
    render: (doc, o) => labelStudioJson(doc, o),
    unsupported: (doc) => (doc.media.kind === 'video' && doc.media.fps > 0 ? undefined : `Label Studio's video timeline needs a video, and this document is of ${mediaKindText(doc)}`),
    companion: { suffix: '.labelstudio.xml', render: labelStudioConfig },
  },
];

export const EXPORT_FORMAT_IDS: readonly ExportFormat[] = EXPORT_FORMATS.map((f) => f.id);

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMAT_IDS as readonly string[]).includes(value);
}

export function exportFormat(format: ExportFormat): ExportFormatInfo {
  const info = EXPORT_FORMATS.find((f) => f.id === format);
  if (!info) throw new Error(`unknown export format '${format}'`);
  return info;
}

/** The export as text. Pure: the same document and options give the same bytes. */
export function exportDocument(doc: AnnotationDocument, format: ExportFormat, options: ExportOptions): string {
  const info = exportFormat(format);
  const reason = info.unsupported?.(doc);
  if (reason) throw new EmotionLensError('input-unsupported', `cannot export as ${format}: ${reason}`, options.documentPath);
  return info.render(doc, options);
}

/** `<dir>/<media file name><suffix>`: `clip.mp4.emotion.json` → `clip.mp4.frames.csv`, beside it unless outDir. */
export function exportPathFor(documentPath: string, format: ExportFormat, outDir?: string): string {
  const name = path.basename(documentPath);
  const stem = name.endsWith(DOCUMENT_SUFFIX) ? name.slice(0, -DOCUMENT_SUFFIX.length) : name.replace(/\.json$/i, '');
  return path.join(outDir ?? path.dirname(documentPath), stem + exportFormat(format).suffix);
}

export interface RenderedExport {
  path: string;
  text: string;
}

/**
 * Renders one format of a read document into the files to write (the export, and its companion if any),
 * without writing anything: a failure leaves no file behind.
 */
export function renderExport(doc: AnnotationDocument, documentPath: string, format: ExportFormat, outPath: string, options: Omit<ExportOptions, 'documentPath' | 'outputPath'> = {}): RenderedExport[] {
  const info = exportFormat(format);
  const files = [{ path: outPath, text: exportDocument(doc, format, { ...options, documentPath, outputPath: outPath }) }];
  if (info.companion) files.push({ path: companionPath(outPath, info), text: info.companion.render(doc) });
  return files;
}

function companionPath(outPath: string, info: ExportFormatInfo): string {
  const base = outPath.endsWith(info.suffix) ? outPath.slice(0, -info.suffix.length) : outPath;
  return base + (info.companion?.suffix ?? '');
}

/**
 * The 68 landmarks for the formats that carry them, read once per document from its mesh sidecar; a sidecar
 * that is missing or does not match gives a one-line warning (the landmark columns are then left empty).
 */
export async function loadExportLandmarks(doc: AnnotationDocument, documentPath: string, formats: readonly ExportFormat[]): Promise<{ landmarks?: MeshLandmarks; warning?: string }> {
  if (!formats.some((f) => exportFormat(f).usesMesh && !exportFormat(f).unsupported?.(doc))) return {};
  return loadMeshLandmarks(doc, documentPath);
}

/** Reads and validates a document; a missing file is a one-line error naming it. */
export async function readDocumentForExport(documentPath: string): Promise<AnnotationDocument> {
  try {
    await fs.access(documentPath);
  } catch {
    throw new EmotionLensError('input-missing', 'not found', documentPath, 'Give the path of a <video>.emotion.json document.');
  }
  return readAnnotationDocument(documentPath);
}

/**
 * Reads and validates the document, renders the format, writes it (and its companion) atomically.
 * Returns the paths written. Nothing is written when the document is invalid or the format cannot hold it.
 */
export async function exportToFile(
  documentPath: string,
  format: ExportFormat,
  outPath?: string,
  options: Omit<ExportOptions, 'documentPath' | 'outputPath' | 'landmarks'> & { onWarning?: (warning: string) => void } = {},
): Promise<string[]> {
  const doc = await readDocumentForExport(documentPath);
  const { onWarning, ...rest } = options;
  const { landmarks, warning } = await loadExportLandmarks(doc, documentPath, [format]);
  if (warning) onWarning?.(warning);
  const files = renderExport(doc, documentPath, format, outPath ?? exportPathFor(documentPath, format), { ...rest, ...(landmarks ? { landmarks } : {}) });
  await writeRendered(files);
  return files.map((f) => f.path);
}

/** Writes rendered exports atomically, creating their folders. */
export async function writeRendered(files: RenderedExport[]): Promise<void> {
  for (const file of files) {
    await fs.mkdir(path.dirname(file.path), { recursive: true });
    await writeFileAtomic(file.path, file.text);
  }
}
