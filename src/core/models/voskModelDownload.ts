/**
 * Downloads the small English Vosk model, unzips it and checks every listed file against its git blob id,
 * all in a temporary folder beside the destination that is renamed into place only when everything matches.
 */
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { CancelledError, EmotionLensError, errorMessage, throwIfAborted } from '../errors';
import type { DownloadProgress } from './download';
import { downloadFile, gitBlobId } from './download';
import { VOSK_SMALL_EN_ID } from './speechModelSelection';

export const VOSK_SMALL_EN_URL = `https://alphacephei.com/vosk/models/${VOSK_SMALL_EN_ID}.zip`;

/** Git blob ids (`git hash-object`) of vosk-model-small-en-us-0.15, from ../shared/models/README.md. */
export const VOSK_SMALL_EN_BLOB_IDS: Readonly<Record<string, string>> = {
  'README': 'a7f79317d4bc64b0a46136c46728b64a0bd056e5',
  'am/final.mdl': '5596b31d4fb9735918975e48abfc04582a561393',
  'conf/mfcc.conf': 'eaa40c5b7020b73b32ddf11ee6da84796fe96c75',
  'conf/model.conf': '9d5b0da33487689a89517f3e7e8a21a9ca3a2996',
  'graph/Gr.fst': '1f292e6398e94f0c99707d9b205f26056ffb6ac8',
  'graph/HCLr.fst': '9797b2628cba6119d8b9a7dbd9a2cd78126e4075',
  'graph/disambig_tid.int': '762fd5f0e295302d4a3e3e3394cdf7d0690babc9',
  'graph/phones/word_boundary.int': 'df23fd7cbe143c944980a97ee4093b77816c0824',
  'ivector/final.dubm': 'db789eb992be85f114f5e740b799de6489fac46e',
  'ivector/final.ie': '93737bf720d6e9e3eed4d0e87431614e33f533b8',
  'ivector/final.mat': 'c3ec635b40394e0c66ffacc4f2c908d86fa93d48',
  'ivector/global_cmvn.stats': 'b9d92efbf823f043d179a73b688f28838d256686',
  'ivector/online_cmvn.conf': '7748a4a4dd395ce5cde4c47d968307e8d0fc2ada',
  'ivector/splice.conf': '960cd2e4c23521e5aecdd6627209c79a693073ff',
};

export interface VoskFileCheck {
  /** Path inside the model folder, with forward slashes. */
  file: string;
  expected: string;
  /** Undefined when the file is missing. */
  actual?: string;
  ok: boolean;
  /** What is wrong, when not ok ("missing" or "git blob id X, expected Y"). */
  problem?: string;
}

export interface VoskDownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Defaults to VOSK_SMALL_EN_URL. */
  url?: string;
  /** Defaults to VOSK_SMALL_EN_BLOB_IDS. */
  expected?: Readonly<Record<string, string>>;
}

/** Checks every file of the table in `dir` by git blob id; one result per file, in table order. */
export async function verifyVoskModel(dir: string, expected: Readonly<Record<string, string>> = VOSK_SMALL_EN_BLOB_IDS): Promise<VoskFileCheck[]> {
  const files: VoskFileCheck[] = [];
  for (const [file, id] of Object.entries(expected)) {
    const full = path.join(dir, ...file.split('/'));
    const actual = existsSync(full) ? await gitBlobId(full) : undefined;
    if (actual === id) files.push({ file, expected: id, actual, ok: true });
    else files.push({ file, expected: id, ...(actual ? { actual } : {}), ok: false, problem: actual ? `git blob id ${actual}, expected ${id}` : 'missing' });
  }
  return files;
}

/**
 * Installs the model as `destDir` (e.g. `<cache>/vosk-model-small-en-us-0.15`). Does nothing when a
 * verified copy is already there; a failed, cancelled or mismatching download leaves nothing behind.
 */
export async function downloadVoskModel(destDir: string, options: VoskDownloadOptions = {}): Promise<VoskFileCheck[]> {
  const expected = options.expected ?? VOSK_SMALL_EN_BLOB_IDS;
  if (existsSync(destDir)) {
    const current = await verifyVoskModel(destDir, expected);
    if (current.every((f) => f.ok)) return current;
  }
  const url = options.url ?? VOSK_SMALL_EN_URL;
  const work = `${destDir}.${process.pid}.${Date.now()}.tmp`;
  try {
    const zipFile = path.join(work, 'model.zip');
    await downloadFile(url, zipFile, { onProgress: options.onProgress, signal: options.signal });
    throwIfAborted(options.signal);
    const extracted = path.join(work, 'extracted');
    await extractZip(zipFile, extracted, options.signal);
    const root = await modelRoot(extracted);
    const verification = await verifyVoskModel(root, expected);
    const bad = verification.find((f) => !f.ok);
    if (bad) {
      throw new EmotionLensError('model-checksum', `downloaded Vosk model rejected: ${bad.file} ${bad.problem ?? 'differs'}`, url, 'The download was corrupted or the model changed upstream; try again or unzip a verified copy by hand.');
    }
    await fs.rm(destDir, { recursive: true, force: true });
    await fs.rename(root, destDir);
    return verification;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** The zip holds one top folder (vosk-model-small-en-us-0.15/); accept a flat zip too. */
async function modelRoot(extracted: string): Promise<string> {
  const entries = await fs.readdir(extracted, { withFileTypes: true });
  const only = entries[0];
  if (entries.length === 1 && only?.isDirectory()) return path.join(extracted, only.name);
  return extracted;
}

/** Unzips `zipFile` into `targetDir`, refusing any entry whose path would land outside it (zip-slip). */
export async function extractZip(zipFile: string, targetDir: string, signal?: AbortSignal): Promise<number> {
  await fs.mkdir(targetDir, { recursive: true });
  const root = path.resolve(targetDir);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipFile, { lazyEntries: true, validateEntrySizes: true });
  } catch (error) {
    throw unreadableZip(zipFile, error);
  }
  let count = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (signal?.aborted) throw new CancelledError(zipFile);
      const target = safeTarget(root, entry.fileName, zipFile);
      if (entry.fileName.endsWith('/')) {
        await fs.mkdir(target, { recursive: true });
        continue;
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, createWriteStream(target), { signal });
      count++;
    }
  } catch (error) {
    if (error instanceof EmotionLensError) throw error;
    if (signal?.aborted) throw new CancelledError(zipFile);
    throw unreadableZip(zipFile, error);
  } finally {
    zip.close();
  }
  return count;
}

function safeTarget(root: string, name: string, zipFile: string): string {
  const target = path.resolve(root, ...name.split(/[\\/]+/));
  const relative = path.relative(root, target);
  if (path.isAbsolute(name) || /^[a-zA-Z]:/.test(name) || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new EmotionLensError('model-corrupt', `the zip holds an unsafe path (${name})`, zipFile, 'Do not use this archive; download the model from its official source.');
  }
  return target;
}

function unreadableZip(zipFile: string, error: unknown): EmotionLensError {
  const detail = errorMessage(error);
  const unsafe = /absolute path|invalid relative path|invalid characters/.test(detail);
  return unsafe
    ? new EmotionLensError('model-corrupt', `the zip holds an unsafe path (${detail})`, zipFile, 'Do not use this archive; download the model from its official source.')
    : new EmotionLensError('model-corrupt', `the model zip could not be read (${detail})`, zipFile, 'Download it again.');
}
