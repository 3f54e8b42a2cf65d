/** Reads the members of a MediaPipe `.task` bundle (a plain zip) into memory with yauzl. */
import yauzl from 'yauzl';

/** Every file of the zip, by name. */
export async function readTaskBundle(file: string): Promise<Map<string, Uint8Array>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const members = new Map<string, Uint8Array>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      members.set(entry.fileName, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
  } finally {
    zip.close();
  }
  return members;
}

/** One member, or an error naming the bundle and what it holds. */
export function bundleMember(members: Map<string, Uint8Array>, name: string, bundle: string): Uint8Array {
  const bytes = members.get(name);
  if (!bytes) throw new Error(`${bundle} has no ${name} (members: ${[...members.keys()].join(', ')})`);
  return bytes;
}
