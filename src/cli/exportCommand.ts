import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AnnotationDocument } from '../shared/annotationDocument';
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';
import { errorMessage } from '../core/errors';
import type { ExportFormat, RenderedExport } from '../core/export/exportFormats';
import { EXPORT_FORMAT_IDS, EXPORT_FORMATS, exportFormat, exportPathFor, isExportFormat, loadExportLandmarks, readDocumentForExport, renderExport, writeRendered } from '../core/export/exportFormats';
import type { MeshLandmarks } from '../core/export/meshLandmarks';
import { writeDataset } from '../core/export/datasetTable';
import { parseSpeakerPattern } from '../core/export/speakerGroups';
import { UsageError } from './analyzeOptions';
import type { CommandIo } from './analyzeCommand';
import { expandDocuments } from './documentInputs';

const DATASET_FORMAT = 'dataset';

export const EXPORT_USAGE = `Usage: emotion-lens export <document.emotion.json or folder>... [options]

Writes annotation documents in other formats with their final labels: a human correction wins over the
adapted model's suggestion, which wins over the model's label, and every record says which it is. The
documents are never changed. Folders are searched for *${DOCUMENT_SUFFIX}.

Formats (files are named after the video: clip.mp4.emotion.json -> clip.mp4<suffix>):
${EXPORT_FORMATS.map((f) => `  ${f.id.padEnd(12)} ${f.suffix.padEnd(18)} ${f.description}`).join('\n')}

  dataset      one table for all the documents (needs --out): dataset.faces.csv + .parquet (a row per face),
               dataset.voice.csv + .parquet (a row per voice segment, arousal normalised per speaker group),
               dataset.summary.csv (a row per document)

Formats that cannot hold a document (the frames and Py-Feat CSVs of an audio file, the voice CSV of a
document without voice segments, Label Studio for anything but a video) are skipped with a note under "all", and are an
error naming the document when asked for by name.

Options:
  --format F             ${EXPORT_FORMAT_IDS.join(', ')}, dataset or all; several with commas (default all)
  --out DIR              write into DIR instead of beside each document
  --video-url-prefix P   Label Studio: load the video from P + its file name
                         (for example /data/local-files/?d=videos/); default: its absolute path
  --speaker-pattern R    dataset: a recording's speaker group is the first capture group of the regular
                         expression R on its media file name (RAVDESS: '-(\\d+)\\.wav$' gives the actor);
                         default: the media's folder (one folder per speaker)
  -h, --help             show this help`;

interface ExportArgs {
  inputs: string[];
  formats: ExportFormat[];
  /** Also (or only) the one dataset table over every document. */
  dataset: boolean;
  /** Whether the formats came from "all": formats that cannot hold a document are then skipped, not failed. */
  all: boolean;
  outDir?: string;
  videoUrlPrefix?: string;
  /** Dataset: speaker groups from the media file name instead of its folder. */
  speakerPattern?: RegExp;
}

/**
 * `emotion-lens export`: renders every requested format of each document before writing any of them, reports
 * a bad document in one line and goes on. Returns the exit code: 0 all good, 1 any failed, 130 cancelled.
 */
export async function runExport(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseExportArgs(args);
  if (parsed === 'help') {
    io.out.write(EXPORT_USAGE + '\n');
    return 0;
  }
  const { documents: found, failures } = await expandDocuments(parsed.inputs);
  const documents = found.map((d) => d.path);
  for (const failure of failures) io.err.write(`✗ ${failure}\n`);
  const inputFailures = failures.length;
  const written = new Map<string, string>();
  let exported = 0;
  for (const documentPath of parsed.formats.length > 0 ? documents : []) {
    if (io.signal.aborted) {
      io.err.write('cancelled\n');
      return 130;
    }
    try {
      const doc = await readDocumentForExport(documentPath);
      const { landmarks, warning } = await loadExportLandmarks(doc, documentPath, parsed.formats);
      if (warning) io.err.write(`warning: ${warning}\n`);
      const { files, skipped } = renderAll(doc, documentPath, parsed, landmarks);
      claimPaths(files, documentPath, written);
      await writeRendered(files);
      exported++;
      const notes = skipped.map((s) => `\n    (${s})`).join('');
      io.out.write(`✓ ${documentPath}\n${files.map((f) => `    → ${f.path}`).join('\n')}${notes}\n`);
    } catch (error) {
      const message = errorMessage(error);
      failures.push(message);
      io.err.write(`✗ ${message.includes(documentPath) ? message : `${documentPath}: ${message}`}\n`);
    }
  }
  if (parsed.dataset) {
    const datasetOptions = { signal: io.signal, ...(parsed.speakerPattern ? { speakerPattern: parsed.speakerPattern } : {}) };
    const result = await writeDataset(found.map((d) => ({ documentPath: d.path, mediaPath: datasetMediaPath(d) })), parsed.outDir!, readDocumentForExport, datasetOptions);
    for (const failure of result.failures) io.err.write(`✗ ${failure}\n`);
    for (const warning of result.warnings) io.err.write(`warning: ${warning}\n`);
    failures.push(...result.failures);
    const meshes = result.meshRows > 0 ? `, ${result.meshRows} face mesh(es)` : '';
    const rows = `${result.faceRows} face row(s)${meshes}, ${result.voiceRows} voice row(s) in ${result.speakerGroups} speaker group(s)`;
    io.out.write(`✓ dataset: ${result.documents} document(s), ${rows}\n${result.files.map((f) => `    → ${f}`).join('\n')}\n`);
    if (parsed.formats.length === 0) exported = result.documents;
  }
  const total = documents.length + inputFailures;
  io.out.write(`\n${exported} of ${total} document(s) exported${failures.length > 0 ? `, ${failures.length} failed` : ''}\n`);
  return failures.length > 0 ? 1 : 0;
}

/**
 * The media path a dataset row gives: the document's path below the folder it was found in, without the
 * document suffix (`actor_01/clip.wav`), which is the media's own path there whether documents sit beside the
 * media or were written with --out; a document given by name gives its media's file name.
 */
function datasetMediaPath(document: { path: string; root?: string }): string {
  const relative = document.root ? path.relative(document.root, document.path) : path.basename(document.path);
  const stem = relative.endsWith(DOCUMENT_SUFFIX) ? relative.slice(0, -DOCUMENT_SUFFIX.length) : relative;
  return stem.split(path.sep).join('/');
}

export function parseExportArgs(args: string[]): ExportArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: joinPatternValues(args),
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      out: { type: 'string' },
      'video-url-prefix': { type: 'string' },
      'speaker-pattern': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('export needs at least one annotation document or folder');
  const requested = (values.format ?? 'all').split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
  const all = requested.includes('all');
  const unknown = requested.filter((f) => f !== 'all' && f !== DATASET_FORMAT && !isExportFormat(f));
  if (unknown.length > 0 || requested.length === 0) throw new UsageError(`unknown export format '${unknown.join(',') || values.format}': use ${EXPORT_FORMAT_IDS.join(', ')}, ${DATASET_FORMAT} or all`);
  const dataset = requested.includes(DATASET_FORMAT);
  if (dataset && !values.out) throw new UsageError(`--format ${DATASET_FORMAT} writes one table for all the documents: give the folder for it with --out DIR`);
  const formats = all ? [...EXPORT_FORMAT_IDS] : [...new Set(requested.filter(isExportFormat))];
  const speakerPattern = values['speaker-pattern'] === undefined ? undefined : speakerPatternOption(values['speaker-pattern'], dataset);
  return { inputs: positionals, formats, dataset, all, outDir: values.out, videoUrlPrefix: values['video-url-prefix'], ...(speakerPattern ? { speakerPattern } : {}) };
}

/**
 * `--speaker-pattern R` as `--speaker-pattern=R`: the value is a regular expression, which may well start with
 * a dash (RAVDESS: -(\d+)\.wav$), and parseArgs would take that for an option.
 */
function joinPatternValues(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') {
      joined.push(...args.slice(i));
      break;
    }
    if (args[i] === '--speaker-pattern' && i + 1 < args.length) joined.push(`--speaker-pattern=${args[++i]}`);
    else joined.push(args[i]!);
  }
  return joined;
}

function speakerPatternOption(source: string, dataset: boolean): RegExp {
  if (!dataset) throw new UsageError(`--speaker-pattern groups the speakers of --format ${DATASET_FORMAT}, which was not asked for`);
  try {
    return parseSpeakerPattern(source);
  } catch (error) {
    throw new UsageError(`--speaker-pattern: ${errorMessage(error)}`);
  }
}

/** Files as given; folders searched recursively for documents (hidden folders and node_modules skipped), with the folder they were found in. */
function renderAll(doc: AnnotationDocument, documentPath: string, args: ExportArgs, landmarks: MeshLandmarks | undefined): { files: RenderedExport[]; skipped: string[] } {
  const files: RenderedExport[] = [];
  const skipped: string[] = [];
  const videoUrl = args.videoUrlPrefix === undefined ? undefined : args.videoUrlPrefix + encodeURIComponent(path.basename(doc.media.path));
  for (const format of args.formats) {
    const reason = exportFormat(format).unsupported?.(doc);
    if (reason && args.all) {
      skipped.push(`${format} skipped: ${reason}`);
      continue;
    }
    files.push(...renderExport(doc, documentPath, format, exportPathFor(documentPath, format, args.outDir), { ...(videoUrl === undefined ? {} : { videoUrl }), ...(landmarks ? { landmarks } : {}) }));
  }
  return { files, skipped };
}

/** Two documents with the same name exported into one --out folder must not overwrite each other silently. */
function claimPaths(files: RenderedExport[], documentPath: string, written: Map<string, string>): void {
  for (const file of files) {
    const owner = written.get(path.resolve(file.path));
    if (owner !== undefined) throw new Error(`${documentPath}: not exported: ${file.path} was already written from ${owner}. Export it into another --out folder`);
  }
  for (const file of files) written.set(path.resolve(file.path), documentPath);
}
