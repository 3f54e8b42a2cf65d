/**
 * Reads a document's mesh sidecar back (meshSidecar.ts), checked against the link the document holds: the file
 * is there, its size and sha256 are the ones recorded, it parses, it has the rows recorded. Anything else is not
 * an error but a one-line warning naming the file and what to do: what needs the mesh is left empty, and the
 * rest of the work goes on.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import type { MeshSidecarLink } from '../../shared/faceGeometry';
import { errorMessage } from '../errors';
import { parquetLibraries } from '../parquet/parquetStreamWriter';

/** Some columns of a sidecar, every row: the keys, and the mesh columns asked for. */
export interface MeshColumns {
  rows: number;
  frame: Int32Array;
  trackId: Int32Array;
  timeSec: Float64Array;
  /** By column name (`mesh_x_4`). */
  values: Map<string, Float32Array>;
}

export type MeshSidecarRead =
  /** The document links no sidecar (geometry off, not analysed, or no face had any). */
  | { status: 'none' }
  | { status: 'ok'; columns: MeshColumns }
  | { status: 'unusable'; warning: string };

/** The sidecar's path, from the document's path and its link. */
export function linkedSidecarPath(documentPath: string, link: MeshSidecarLink): string {
  return path.join(path.dirname(documentPath), link.path);
}

/** The file's bytes when they are what the document links; else why not (the warning's middle part). */
export async function verifiedSidecarBytes(file: string, link: MeshSidecarLink): Promise<{ bytes: Uint8Array } | { problem: string }> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the mesh sidecar is missing' : `the mesh sidecar cannot be read (${errorMessage(error)})` };
  }
  if (bytes.length !== link.bytes || createHash('sha256').update(bytes).digest('hex') !== link.sha256) {
    return { problem: 'the mesh sidecar does not match its document (changed, or from another analysis)' };
  }
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * The sidecar's key columns and `columns` (mesh column names), or a warning: `<file>: <problem>; <consequence>.
 * Analyse <media> again to write it.`
 */
export async function readMeshSidecar(doc: AnnotationDocument, documentPath: string, columns: readonly string[], consequence: string): Promise<MeshSidecarRead> {
  const link = doc.geometry.mesh;
  if (!link) return { status: 'none' };
  const file = linkedSidecarPath(documentPath, link);
  const unusable = (problem: string): MeshSidecarRead => ({ status: 'unusable', warning: `${file}: ${problem}; ${consequence}. Analyse ${doc.media.path} again to write it.` });
  const verified = await verifiedSidecarBytes(file, link);
  if ('problem' in verified) return unusable(verified.problem);
  try {
    const read = await readColumns(verified.bytes, ['frame', 'time_sec', 'track_id', ...columns]);
    if (read.rows !== link.rows) return unusable(`the mesh sidecar has ${read.rows} rows where its document says ${link.rows}`);
    return { status: 'ok', columns: read };
  } catch (error) {
    return unusable(`the mesh sidecar cannot be read as Parquet (${errorMessage(error).split('\n')[0]})`);
  }
}

async function readColumns(bytes: Uint8Array, names: readonly string[]): Promise<MeshColumns> {
  const { arrow, parquet } = await parquetLibraries();
  // ParquetFile's reader reads only the columns asked for (readParquet decodes them all: 12x the time and memory).
  const file = await parquet.ParquetFile.fromFile(new Blob([bytes]));
  const table = arrow.tableFromIPC((await file.read({ columns: [...names] })).intoIPCStream());
  file.free();
  const numbers = (name: string): ArrayLike<number> => {
    const vector = table.getChild(name);
    if (!vector) throw new Error(`no column ${name}`);
    return vector.toArray() as ArrayLike<number>;
  };
  const values = new Map<string, Float32Array>();
  for (const name of names.slice(3)) {
    const read = numbers(name);
    values.set(name, read instanceof Float32Array ? read : Float32Array.from(read));
  }
  return { rows: table.numRows, frame: Int32Array.from(numbers('frame')), timeSec: Float64Array.from(numbers('time_sec')), trackId: Int32Array.from(numbers('track_id')), values };
}
