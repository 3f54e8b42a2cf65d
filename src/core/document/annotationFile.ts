import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { DOCUMENT_SUFFIX } from '../../shared/annotationDocument';
import { EmotionLensError } from '../errors';
import { annotationProblems } from './annotationValidation';
import { upgradeDocument } from './documentUpgrade';

/** `<dir>/<video file name>.emotion.json`: beside the video unless another folder is given. */
export function documentPathFor(mediaFile: string, outDir?: string): string {
  return path.join(outDir ?? path.dirname(mediaFile), path.basename(mediaFile) + DOCUMENT_SUFFIX);
}

/**
 * Parses and validates a document's text, upgrading a document of an older schema version in memory;
 * errors name the file and the first problems found.
 */
export function parseAnnotationDocument(text: string, file: string): AnnotationDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `is not valid JSON (${(error as Error).message})`);
  }
  const upgraded = upgradeDocument(parsed);
  if (!upgraded.ok) throw new EmotionLensError('document-invalid', upgraded.problem, file, 'Update Emotion Lens to open it; this version never overwrites it.');
  const value = upgraded.value;
  const problems = annotationProblems(value);
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).join('; ');
    const more = problems.length > 3 ? ` and ${problems.length - 3} more` : '';
    throw invalid(file, `is not a valid Emotion Lens annotation document: ${shown}${more}`);
  }
  return value as AnnotationDocument;
}

function invalid(file: string, problem: string): EmotionLensError {
  return new EmotionLensError('document-invalid', problem, file, 'Fix it in a text editor, or move it away to analyse the video again; Emotion Lens never overwrites an invalid document.');
}

export async function readAnnotationDocument(file: string): Promise<AnnotationDocument> {
  return parseAnnotationDocument(await fs.readFile(file, 'utf8'), file);
}

/** Reads the document if the file exists; undefined when it does not. */
export async function readExistingDocument(file: string): Promise<AnnotationDocument | undefined> {
  try {
    await fs.access(file);
  } catch {
    return undefined;
  }
  return readAnnotationDocument(file);
}

/**
 * Serialised form: readable at the top, one line per array item (frame, word, segment, correction). A
 * one-hour video stays around a third of the size of fully indented JSON and still diffs line by line.
 */
export function serialiseAnnotationDocument(doc: AnnotationDocument): string {
  const lines = Object.entries(doc).map(([key, value]) => `  ${JSON.stringify(key)}: ${serialiseValue(value, '  ')}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

function serialiseValue(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every((item) => typeof item !== 'object' || item === null)) return JSON.stringify(value);
    return `[\n${value.map((item) => `${indent}  ${JSON.stringify(item)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = entries.map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${serialiseValue(v, indent + '  ')}`);
    return `{\n${inner.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * Writes the document atomically: a temporary file in the same folder, flushed to disk, then renamed over
 * the target. A crash or cancellation at any point leaves either the old document or the new one, never half.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temp = await tempPathFor(file);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await (typeof content === 'string' ? handle.writeFile(content, 'utf8') : handle.writeFile(content));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * A temporary name beside `file` (same folder, so the rename that puts it in place is atomic), owned by this
 * host and process; the folder's stale temporary files are cleared first.
 */
export async function tempPathFor(file: string): Promise<string> {
  await removeStaleTemps(file);
  return path.join(path.dirname(file), `.${path.basename(file)}.${tempOwner()}.${Date.now()}.tmp`);
}

/** Temporary files carry their writer's host and process, so a node of a cluster only ever clears its own. */
const TEMP_HOST = os.hostname().replace(/[^A-Za-z0-9-]/g, '_');

function tempOwner(): string {
  return `${TEMP_HOST}-${process.pid}`;
}

/** Folders this process has already cleared of stale temporary files (once each: a batch writes thousands). */
const clearedFolders = new Set<string>();

/**
 * Temporary files left in `file`'s folder by a process of this host that was killed between writing and
 * renaming (SIGKILL, a cluster's time limit): removed the first time this process writes there, so a resumed
 * batch leaves nothing behind. A live writer's file, and any other host's, is kept.
 */
async function removeStaleTemps(file: string): Promise<void> {
  const folder = path.dirname(file);
  if (clearedFolders.has(folder)) return;
  clearedFolders.add(folder);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const owner = new RegExp(`^\\..+\\.${TEMP_HOST}-(\\d+)\\.\\d+\\.tmp$`);
  for (const name of names) {
    const pid = Number(owner.exec(name)?.[1] ?? 0);
    if (pid > 0 && pid !== process.pid && !processAlive(pid)) await fs.rm(path.join(folder, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function writeAnnotationDocument(file: string, doc: AnnotationDocument): Promise<void> {
  const problems = annotationProblems(doc);
  if (problems.length > 0) throw new EmotionLensError('internal', `refusing to write an invalid document: ${problems.slice(0, 3).join('; ')}`, file);
  await writeFileAtomic(file, serialiseAnnotationDocument(doc));
}
