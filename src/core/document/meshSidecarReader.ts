/**
 * Reads a document's mesh sidecar back (meshSidecar.ts), checked against the link the document holds: the file
 * is there, its size and sha256 are the ones recorded, it parses, it has the rows recorded. Anything else is not
 * an error but a one-line warning naming the file and what to do: what needs the mesh is left empty, and the
 * rest of the work goes on. Rows come in batches (parquet-wasm's stream, only the columns asked for), so an hour
 * of meshes is never decoded at once.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as Arrow from 'apache-arrow';
import type { ParquetFile } from 'parquet-wasm';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import type { MeshSidecarLink } from '../../shared/faceGeometry';
import { errorMessage } from '../errors';
import { MESH_POINTS } from '../geometry/geometryModels';
import { parquetLibraries } from '../parquet/parquetStreamWriter';

/** Some columns of some rows: the keys, and the mesh columns asked for. */
export interface MeshColumns {
  rows: number;
  frame: Int32Array;
  trackId: Int32Array;
  timeSec: Float64Array;
  /** By column name (`mesh_x`): 478 values per row, point p of row r at [r * 478 + p]. */
  values: Map<string, Float32Array>;
}

export type MeshSidecarOpen =
  /** The document links no sidecar (geometry off, not analysed, or no face had any). */
  | { status: 'none' }
  /** Its rows in order, a batch at a time, as Arrow record batches with the keys and the columns asked for. */
  | { status: 'ok'; batches: AsyncIterable<Arrow.RecordBatch>; rows: number }
  | { status: 'unusable'; warning: string };

const BATCH_ROWS = 1024;

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
 * The sidecar's rows with its key columns and `columns` (mesh column names), or a warning: `<file>: <problem>;
 * <consequence>. Analyse <media> again to write it.`
 */
export async function openMeshSidecar(doc: AnnotationDocument, documentPath: string, columns: readonly string[], consequence: string): Promise<MeshSidecarOpen> {
  const link = doc.geometry.mesh;
  if (!link) return { status: 'none' };
  const file = linkedSidecarPath(documentPath, link);
  const unusable = (problem: string): MeshSidecarOpen => ({ status: 'unusable', warning: `${file}: ${problem}; ${consequence}. Analyse ${doc.media.path} again to write it.` });
  const verified = await verifiedSidecarBytes(file, link);
  if ('problem' in verified) return unusable(verified.problem);
  const { arrow, parquet } = await parquetLibraries();
  let parquetFile: ParquetFile;
  let rows: number;
  try {
    parquetFile = await parquet.ParquetFile.fromFile(new Blob([verified.bytes]));
    rows = parquetFile.metadata().fileMetadata().numRows();
  } catch (error) {
    return unusable(`the mesh sidecar cannot be read as Parquet (${errorMessage(error).split('\n')[0]})`);
  }
  if (rows !== link.rows) return unusable(`the mesh sidecar has ${rows} rows where its document says ${link.rows}`);
  const wasm = parquetFile;
  async function* batches(): AsyncGenerator<Arrow.RecordBatch> {
    try {
      const stream = await wasm.stream({ columns: ['frame', 'time_sec', 'track_id', ...columns], batchSize: BATCH_ROWS });
      for await (const batch of stream as AsyncIterable<{ intoIPCStream(): Uint8Array }>) yield* arrow.tableFromIPC(batch.intoIPCStream()).batches;
    } finally {
      wasm.free();
    }
  }
  return { status: 'ok', batches: batches(), rows };
}

/** A batch's keys and mesh columns as plain arrays. */
export function meshColumnsOf(batch: Arrow.RecordBatch, columns: readonly string[]): MeshColumns {
  const vector = (name: string) => {
    const found = batch.getChild(name);
    if (!found) throw new Error(`no column ${name}`);
    return found;
  };
  const numbers = (name: string): ArrayLike<number> => vector(name).toArray() as ArrayLike<number>;
  const values = new Map(columns.map((name) => [name, listValues(vector(name).data, MESH_POINTS)]));
  return { rows: batch.numRows, frame: Int32Array.from(numbers('frame')), timeSec: Float64Array.from(numbers('time_sec')), trackId: Int32Array.from(numbers('track_id')), values };
}

/** A fixed-size list column's values, every chunk's in order, as one array (`size` per row). */
function listValues(chunks: readonly { offset: number; length: number; children: readonly { values: unknown }[] }[], size: number): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length * size, 0));
  let at = 0;
  for (const chunk of chunks) {
    const values = chunk.children[0]?.values;
    if (!(values instanceof Float32Array)) throw new Error('a mesh column is not a list of float32');
    out.set(values.subarray(chunk.offset * size, (chunk.offset + chunk.length) * size), at);
    at += chunk.length * size;
  }
  return out;
}

export type MeshSidecarRead = { status: 'none' } | { status: 'ok'; columns: MeshColumns } | { status: 'unusable'; warning: string };

/** The whole sidecar's keys and `columns` at once (for small files and checks; exports go batch by batch). */
export async function readMeshSidecar(doc: AnnotationDocument, documentPath: string, columns: readonly string[], consequence: string): Promise<MeshSidecarRead> {
  const opened = await openMeshSidecar(doc, documentPath, columns, consequence);
  if (opened.status !== 'ok') return opened;
  const parts: MeshColumns[] = [];
  try {
    for await (const batch of opened.batches) parts.push(meshColumnsOf(batch, columns));
  } catch (error) {
    return { status: 'unusable', warning: `${linkedSidecarPath(documentPath, doc.geometry.mesh!)}: the mesh sidecar cannot be read as Parquet (${errorMessage(error).split('\n')[0]}); ${consequence}. Analyse ${doc.media.path} again to write it.` };
  }
  const join = <T extends Int32Array | Float64Array | Float32Array>(make: (n: number) => T, pick: (c: MeshColumns) => T): T => {
    const out = make(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(pick(part), at);
      at += pick(part).length;
    }
    return out;
  };
  return {
    status: 'ok',
    columns: {
      rows: opened.rows,
      frame: join((n) => new Int32Array(n), (c) => c.frame),
      trackId: join((n) => new Int32Array(n), (c) => c.trackId),
      timeSec: join((n) => new Float64Array(n), (c) => c.timeSec),
      values: new Map(columns.map((name) => [name, join((n) => new Float32Array(n), (c) => c.values.get(name)!)])),
    },
  };
}
