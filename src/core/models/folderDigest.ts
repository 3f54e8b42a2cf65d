import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cachedSha256 } from './download';

/**
 * One sha256 for a model that is a folder of files (speech models): the hash of every file's relative
 * path and own sha256, in sorted order. Two folders with the same digest hold the same model. Each file's
 * hash is remembered by path, size and mtime, so a batch hashes its speech model once.
 */
export async function folderDigest(dir: string): Promise<string> {
  const files = (await listFiles(dir)).sort();
  const outer = createHash('sha256');
  for (const file of files) {
    outer.update(`${path.relative(dir, file).split(path.sep).join('/')}\0${await cachedSha256(file)}\n`);
  }
  return outer.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return Promise.resolve(entry.isFile() ? [full] : []);
    }),
  );
  return nested.flat();
}
