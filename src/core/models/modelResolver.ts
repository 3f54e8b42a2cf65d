/**
 * Finds a model's files on disk (explicit models folder, then the user's cache), verifies them by sha256,
 * and downloads missing ones into the cache when allowed. Every failure is one actionable line.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmotionLensError, throwIfAborted } from '../errors';
import { fixNames } from '../fixNames';
import { bundledModelsDir } from './bundledModels';
import { cachedSha256, downloadFile } from './download';
import type { ModelEntry, ModelManifest } from './modelManifest';
import { findModel, loadManifest } from './modelManifest';

export interface ModelDownloadProgress {
  modelId: string;
  file: string;
  receivedBytes: number;
  totalBytes?: number;
}

export interface ResolveOptions {
  /** Explicit folder (`--models DIR` or env EMOTION_LENS_MODELS); holds `<id>/<file>` or `<file>`. */
  modelsDir?: string;
  /** Defaults to defaultModelCacheDir(). */
  cacheDir?: string;
  /** The models shipped with Emotion Lens (default: bundledModelsDir()); null: do not use them. */
  bundledDir?: string | null;
  allowDownload?: boolean;
  /** Check sha256 of every file (default true; results are cached per path, size and mtime). */
  verify?: boolean;
  manifest?: ModelManifest;
  onProgress?: (progress: ModelDownloadProgress) => void;
  signal?: AbortSignal;
}

/** A manifest entry whose files were found (and verified unless verify was false). Plain data: workers receive it. */
export interface ResolvedModel {
  entry: ModelEntry;
  /** Absolute paths, in the order of `entry.files`. */
  paths: string[];
  /** sha256 of the first file (the model's identity in provenance). */
  sha256: string;
}

export type FileLocation = 'modelsDir' | 'bundled' | 'cache' | 'missing';

export interface ModelFileStatus {
  name: string;
  location: FileLocation;
  path?: string;
  /** Undefined when not checked (missing, or verify false). */
  sha256Ok?: boolean;
  actualSha256?: string;
  downloadable: boolean;
}

export interface ModelStatus {
  id: string;
  role: ModelEntry['role'];
  /** ok: all present (and verified when asked); missing: some file absent; mismatch: some sha256 wrong. */
  state: 'ok' | 'missing' | 'mismatch';
  verified: boolean;
  files: ModelFileStatus[];
  notes?: string;
}

/** `$XDG_CACHE_HOME/emotion-lens/models`, `~/.cache/...`, `%LOCALAPPDATA%\emotion-lens\models`, `~/Library/Caches/...`. */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'emotion-lens', 'models');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'emotion-lens', 'models');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'emotion-lens', 'models');
}

/** Finds, verifies and if needed downloads every file of model `id`. */
export async function resolveModel(id: string, options: ResolveOptions = {}): Promise<ResolvedModel> {
  const entry = findModel(options.manifest ?? loadManifest(), id);
  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const verify = options.verify ?? true;
  const paths: string[] = [];
  for (const file of entry.files) {
    throwIfAborted(options.signal);
    const found = findFile(entry, file.name, { ...options, cacheDir });
    if (found) {
      if (verify) await checkSha256(found.path, file.sha256, file.url);
      paths.push(found.path);
      continue;
    }
    if (!options.allowDownload || !file.url) throw missingError(entry, options.modelsDir, cacheDir, Boolean(options.allowDownload), options.bundledDir);
    const destination = path.join(cacheDir, entry.id, file.name);
    await downloadFile(file.url, destination, {
      sha256: file.sha256,
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ modelId: entry.id, file: file.name, receivedBytes: p.receivedBytes, totalBytes: p.totalBytes ?? file.bytes }),
    });
    paths.push(destination);
  }
  return { entry, paths, sha256: entry.files[0]?.sha256 ?? '' };
}

/** Where each model of the manifest is, and whether its files check out (for `emotion-lens models`). */
export async function listModels(options: ResolveOptions = {}): Promise<ModelStatus[]> {
  const manifest = options.manifest ?? loadManifest();
  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const verify = options.verify ?? true;
  const result: ModelStatus[] = [];
  for (const entry of manifest.models) {
    const files: ModelFileStatus[] = [];
    for (const file of entry.files) {
      const found = findFile(entry, file.name, { ...options, cacheDir });
      const status: ModelFileStatus = { name: file.name, location: found?.location ?? 'missing', downloadable: Boolean(file.url) };
      if (found) {
        status.path = found.path;
        if (verify) {
          status.actualSha256 = await cachedSha256(found.path);
          status.sha256Ok = status.actualSha256 === file.sha256.toLowerCase();
        }
      }
      files.push(status);
    }
    const state = files.some((f) => f.location === 'missing') ? 'missing' : files.some((f) => f.sha256Ok === false) ? 'mismatch' : 'ok';
    result.push({ id: entry.id, role: entry.role, state, verified: verify && state !== 'missing', files, ...(entry.notes ? { notes: entry.notes } : {}) });
  }
  return result;
}

/** Folders searched for a model, in order (for messages and `models` output). */
export function searchedFolders(id: string, modelsDir: string | undefined, cacheDir: string, bundledDir: string | null | undefined = bundledModelsDir()): string[] {
  return [...(modelsDir ? [path.join(modelsDir, id), modelsDir] : []), ...(bundledDir ? [path.join(bundledDir, id)] : []), path.join(cacheDir, id)].map((d) => path.resolve(d));
}

/** The first copy of a model file: the models folder given, then the bundled models, then the user cache. */
function findFile(entry: ModelEntry, name: string, where: { modelsDir?: string; bundledDir?: string | null; cacheDir: string }): { path: string; location: FileLocation } | undefined {
  const candidates: { path: string; location: FileLocation }[] = [];
  const { modelsDir, cacheDir } = where;
  const bundledDir = where.bundledDir === undefined ? bundledModelsDir() : where.bundledDir;
  if (modelsDir) {
    candidates.push({ path: path.join(modelsDir, entry.id, name), location: 'modelsDir' });
    candidates.push({ path: path.join(modelsDir, name), location: 'modelsDir' });
  }
  if (bundledDir) candidates.push({ path: path.join(bundledDir, entry.id, name), location: 'bundled' });
  candidates.push({ path: path.join(cacheDir, entry.id, name), location: 'cache' });
  const hit = candidates.find((c) => existsSync(c.path));
  return hit ? { ...hit, path: path.resolve(hit.path) } : undefined;
}

function missingError(entry: ModelEntry, modelsDir: string | undefined, cacheDir: string, triedDownload: boolean, bundledDir: string | null | undefined): EmotionLensError {
  const names = entry.files.map((f) => f.name).join(', ');
  const folders = searchedFolders(entry.id, modelsDir, cacheDir, bundledDir === undefined ? bundledModelsDir() : bundledDir).join(', ');
  const noUrl = entry.files.filter((f) => !f.url).map((f) => f.name);
  const fix = fixNames();
  const setFolder = fix.setModelsFolder ?? `set ${fix.modelsFolder}`;
  const download = noUrl.length > 0
    ? `${noUrl.join(', ')} cannot be downloaded (no public copy), so place it by hand in a folder given with ${fix.modelsFolder}`
    : triedDownload ? `place the files in a folder given with ${fix.modelsFolder}` : fix.modelDownload ? `${setFolder}, or run ${fix.modelDownload}` : setFolder;
  return new EmotionLensError('model-missing', `model "${entry.id}" not found (expected ${names}; searched ${folders})`, undefined, `To fix: ${download}.`);
}

async function checkSha256(file: string, expected: string, url: string | undefined): Promise<void> {
  const actual = await cachedSha256(file);
  if (actual === expected.toLowerCase()) return;
  const { modelDownload } = fixNames();
  const where = url ? `download it again from ${url}${modelDownload ? ` (or run ${modelDownload} after deleting it)` : ''}` : 'replace it with a verified copy';
  throw new EmotionLensError('model-checksum', `sha256 mismatch (expected ${expected.slice(0, 12)}…, found ${actual.slice(0, 12)}…)`, file, `The file is damaged or a different version: ${where}.`);
}

