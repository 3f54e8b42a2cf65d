// Zip archives for tests, written by yazl (the writer the yauzl reader's author keeps): deflated or stored
// entries and directory entries, as real model downloads have them.
import yazl from 'yazl';

export interface ZipEntryInput {
  /** Path inside the zip, forward slashes; a trailing "/" makes a directory entry. */
  name: string;
  data?: Buffer | string;
  /** Store uncompressed instead of deflating. */
  store?: boolean;
}

/** The whole archive in memory. */
export function buildZip(entries: readonly ZipEntryInput[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) zip.addEmptyDirectory(entry.name);
    else zip.addBuffer(Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? '', 'utf8'), entry.name, { compress: !entry.store });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/**
 * An archive whose entry `name` climbs out of the folder it is extracted to ("zip slip"). yazl rightly refuses
 * to write such a path, so the entry is written under a name of the same length and renamed in the bytes (a
 * zip's checksums cover the contents, not the names).
 */
export async function buildSlipZip(name: string, data: string, others: readonly ZipEntryInput[] = []): Promise<Buffer> {
  const placeholder = name.replace(/\.\./g, '__');
  if (placeholder === name || placeholder.length !== name.length) throw new Error(`not a climbing path: ${name}`);
  const zip = await buildZip([...others, { name: placeholder, data }]);
  const from = Buffer.from(placeholder, 'utf8');
  const to = Buffer.from(name, 'utf8');
  let renamed = 0;
  for (let at = zip.indexOf(from); at >= 0; at = zip.indexOf(from, at + to.length)) {
    to.copy(zip, at);
    renamed++;
  }
  // The local header and the central directory each hold the name once.
  if (renamed !== 2) throw new Error(`renamed ${renamed} copies of ${placeholder}, expected 2`);
  return zip;
}
