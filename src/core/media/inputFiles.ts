// Turns what the user named (files and folders) into the list of files to analyse.
import { promises as fs } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { EmotionLensError } from '../errors';

export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.ts', '.mts', '.m2ts', '.3gp', '.3g2', '.ogv',
];
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff'];
/** Speech recordings: analysed for words and voice, without faces. */
export const AUDIO_EXTENSIONS: readonly string[] = ['.wav', '.flac', '.mp3', '.m4a', '.aac', '.ogg', '.oga', '.opus', '.wma'];

export interface ExpandedInputs {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Inputs that could not be used, each with a one-line message naming the path. */
  errors: { path: string; message: string }[];
}

export function isVideoPath(p: string): boolean {
  return VIDEO_EXTENSIONS.includes(path.extname(p).toLowerCase());
}

export function isImagePath(p: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(p).toLowerCase());
}

export function isAudioPath(p: string): boolean {
  return AUDIO_EXTENSIONS.includes(path.extname(p).toLowerCase());
}

/** Videos and speech recordings: what "Analyze all videos in folder" and the Explorer menu offer. */
export function isTimedMediaPath(p: string): boolean {
  return isVideoPath(p) || isAudioPath(p);
}

/**
 * Files are kept whatever their extension (probing decides later); folders are searched recursively for
 * videos, images and speech recordings by extension, skipping hidden folders and node_modules.
 */
export async function expandInputs(paths: string[]): Promise<ExpandedInputs> {
  const files = new Set<string>();
  const errors: ExpandedInputs['errors'] = [];
  for (const given of paths) {
    const full = path.resolve(given);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat) {
      errors.push({ path: given, message: new EmotionLensError('input-missing', 'not found', given, 'Check the path').message });
    } else if (stat.isDirectory()) {
      const found = await searchFolder(full, new Set());
      if (found.length === 0) {
        errors.push({ path: given, message: new EmotionLensError('input-unsupported', 'folder contains no videos, images or speech recordings', given, `Supported: ${[...VIDEO_EXTENSIONS, ...IMAGE_EXTENSIONS, ...AUDIO_EXTENSIONS].join(' ')}`).message });
      }
      for (const file of found) files.add(file);
    } else {
      files.add(full);
    }
  }
  return { files: [...files].sort(), errors };
}

async function searchFolder(dir: string, visited: Set<string>): Promise<string[]> {
  // Symlinked folders can form loops; the real path identifies a folder once.
  const real = await fs.realpath(dir).catch(() => dir);
  if (visited.has(real)) return [];
  visited.add(real);
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(full)));
    if (isDir) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') found.push(...(await searchFolder(full, visited)));
    } else if (isVideoPath(entry.name) || isImagePath(entry.name) || isAudioPath(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

async function isDirectory(p: string): Promise<boolean> {
  const stat = await fs.stat(p).catch(() => undefined);
  return stat?.isDirectory() === true;
}
