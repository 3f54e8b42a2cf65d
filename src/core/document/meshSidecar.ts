/**
 * The mesh sidecar: every face's 478-point mesh beside the annotation document, as Parquet
 * (`clip.mp4.emotion.json` → `clip.mp4.emotion.mesh.parquet`; docs/annotation-format.md, The mesh sidecar).
 * One row per face with geometry: `frame` (the document's frames[].index), `time_sec`, `track_id`, then `mesh_x`,
 * `mesh_y`, `mesh_z`, each the 478 points' coordinate as a fixed-size list of float32: x, y in pixels of the
 * displayed source frame, z MediaPipe's relative depth on x's scale (negative towards the camera), rounded to
 * 1/64 pixel. Three list columns rather than 1,434 columns of one number: a file's overhead is per column (its
 * metadata and page headers), which made a one-face file 261 kB. Rows are written as frames come, so an hour of
 * faces is never held in memory.
 */
import path from 'node:path';
import type { MeshSidecarLink } from '../../shared/faceGeometry';
import { DOCUMENT_SUFFIX } from '../../shared/annotationDocument';
import { MESH_POINTS } from '../geometry/geometryModels';
import { parquetLibraries, ParquetStreamWriter, writeParquetOnce } from '../parquet/parquetStreamWriter';
import type { ArrowModule, StreamedParquet } from '../parquet/parquetStreamWriter';

export { MESH_POINTS };
/** 1/64 pixel: far below the mesh's accuracy, and exact in binary, so the rounding zeroes low mantissa bits and the file compresses to half. */
export const MESH_QUANTUM = 1 / 64;
export const MESH_KEY_COLUMNS = ['frame', 'time_sec', 'track_id'] as const;
/** One list column per axis, point i at index i (Py-Feat 2 names the same values mesh_x_i, mesh_y_i, mesh_z_i). */
export const MESH_COLUMNS = ['mesh_x', 'mesh_y', 'mesh_z'] as const;
const SIDECAR_SUFFIX = '.mesh.parquet';
/** Faces per record batch; the Parquet writer flushes a row group every ROW_GROUP_ROWS (about 23 MB of coordinates). */
const BATCH_ROWS = 512;
const ROW_GROUP_ROWS = 4096;

/** How every mesh table is written: the sidecar, and the dataset's mesh table (with its string columns). */
export function meshWriterOptions(stringColumns: readonly string[] = []): { maxRowGroupRows: number; byteStreamSplit: { plain: readonly string[] }; dictionary: readonly string[]; metadata: Record<string, string> } {
  return { maxRowGroupRows: ROW_GROUP_ROWS, byteStreamSplit: { plain: [...stringColumns, ...MESH_KEY_COLUMNS] }, dictionary: stringColumns, metadata: MESH_METADATA };
}

/** The arrow type of a mesh column: 478 float32 per face. */
export function meshListType(arrow: ArrowModule): InstanceType<ArrowModule['FixedSizeList']> {
  return new arrow.FixedSizeList(MESH_POINTS, new arrow.Field('item', new arrow.Float32(), false));
}

/**
 * What the columns mean, in the footer. One key: parquet-wasm keeps key-value metadata in a Rust HashMap, whose
 * order changes from run to run, so two keys made the same rows give different bytes (and sha256) each run.
 */
export const MESH_METADATA: Record<string, string> = {
  'emotion_lens.mesh':
    'MediaPipe Face Mesh V2, 478 points per face (468 + 10 iris): mesh_x[i], mesh_y[i] in pixels of the displayed source frame, mesh_z[i] relative depth on the x scale, negative towards the camera; rounded to 1/64 pixel. ' +
    "Keys: frame is the annotation document's frames[].index; time_sec the presentation time in seconds; track_id the face track (the document's trackId).",
};

/** `<document without .json>.mesh.parquet`, beside the document. */
export function meshSidecarPathFor(documentPath: string): string {
  const base = documentPath.endsWith(DOCUMENT_SUFFIX) ? documentPath.slice(0, -'.json'.length) : documentPath.replace(/\.json$/i, '');
  return base + SIDECAR_SUFFIX;
}

/** A finished sidecar at its temporary path, and the link the document will carry once it is in place. */
export interface PreparedSidecar {
  finalPath: string;
  tempPath: string;
  link: MeshSidecarLink;
}

/** Collects face meshes into record batches and streams them into the sidecar (opened on the first face). */
export class MeshSidecarWriter {
  private writer: Promise<ParquetStreamWriter> | undefined;
  // Grown as faces come, up to a batch: a still image has one face, and 3 MB zeroed per input cost more than its mesh.
  private frame = new Int32Array(0);
  private time = new Float64Array(0);
  private track = new Int32Array(0);
  /** Per axis, row-major: point p of row r at [r * MESH_POINTS + p]. */
  private axes = [0, 1, 2].map(() => new Float32Array(0));
  private count = 0;

  constructor(readonly finalPath: string) {}

  /**
   * Loads the Parquet libraries now (once per process, about 0.13 s), while the caller waits on something else,
   * instead of after the last frame, when the sidecar is written and nothing else is left to overlap with.
   */
  static prepare(): void {
    parquetLibraries().catch(() => undefined);
  }

  /** One face: `mesh` holds x, y, z per point (478 x 3), in source pixels. */
  async add(frameIndex: number, timeSec: number, trackId: number, mesh: ArrayLike<number>): Promise<void> {
    if (mesh.length !== MESH_POINTS * 3) throw new Error(`a face mesh has ${MESH_POINTS * 3} values, not ${mesh.length}`);
    if (this.count === this.frame.length) this.grow();
    const row = this.count++;
    this.frame[row] = frameIndex;
    this.time[row] = timeSec;
    this.track[row] = trackId;
    for (let axis = 0; axis < 3; axis++) {
      const values = this.axes[axis]!;
      for (let p = 0; p < MESH_POINTS; p++) values[row * MESH_POINTS + p] = Math.round(mesh[3 * p + axis]! / MESH_QUANTUM) * MESH_QUANTUM;
    }
    if (this.count === BATCH_ROWS) await this.flush();
  }

  /** The finished file, or undefined when no face had a mesh (then no file is written). */
  async finish(): Promise<PreparedSidecar | undefined> {
    const done = await this.finishFile();
    if (!done) return undefined;
    const link: MeshSidecarLink = { path: path.basename(this.finalPath), format: 'parquet', sha256: done.sha256, rows: done.rows, bytes: done.bytes };
    return { finalPath: this.finalPath, tempPath: done.tempPath, link };
  }

  /** Leaves nothing behind (a failed or cancelled analysis). */
  async abandon(): Promise<void> {
    const writer = await this.writer?.catch(() => undefined);
    await writer?.abandon();
  }

  /** Room for twice the rows (at least 8, at most a batch), the rows so far kept. */
  private grow(): void {
    const rows = Math.min(BATCH_ROWS, Math.max(8, 2 * this.frame.length));
    const grown = <T extends Int32Array | Float64Array | Float32Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(rows * width);
      next.set(old);
      return next;
    };
    this.frame = grown(this.frame, (n) => new Int32Array(n));
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.track = grown(this.track, (n) => new Int32Array(n));
    this.axes = this.axes.map((values) => grown(values, (n) => new Float32Array(n), MESH_POINTS));
  }

  /** Faces that fit one batch (a still image, a clip of up to BATCH_ROWS faces) are written at once; more are streamed. */
  private async finishFile(): Promise<StreamedParquet | undefined> {
    if (!this.writer && this.count > 0) {
      const { arrow } = await parquetLibraries();
      const batch = this.takeBatch(arrow);
      return writeParquetOnce(this.finalPath, batch, meshWriterOptions());
    }
    await this.flush();
    return this.writer ? (await this.writer).finish() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.count === 0) return;
    this.writer ??= ParquetStreamWriter.open(this.finalPath, meshWriterOptions());
    const writer = await this.writer;
    await writer.write(this.takeBatch(writer.arrowModule));
  }

  /** The rows collected so far as one record batch (over the buffers, which the next rows overwrite only after it is written). */
  private takeBatch(arrow: ArrowModule): InstanceType<ArrowModule['RecordBatch']> {
    const rows = this.count;
    this.count = 0;
    const fields = [
      new arrow.Field('frame', new arrow.Int32(), false),
      new arrow.Field('time_sec', new arrow.Float64(), false),
      new arrow.Field('track_id', new arrow.Int32(), false),
      ...MESH_COLUMNS.map((name) => new arrow.Field(name, meshListType(arrow), false)),
    ];
    const children = [
      arrow.makeData({ type: new arrow.Int32(), length: rows, data: this.frame.subarray(0, rows) }),
      arrow.makeData({ type: new arrow.Float64(), length: rows, data: this.time.subarray(0, rows) }),
      arrow.makeData({ type: new arrow.Int32(), length: rows, data: this.track.subarray(0, rows) }),
      ...this.axes.map((values) => arrow.makeData({
        type: meshListType(arrow),
        length: rows,
        nullCount: 0,
        child: arrow.makeData({ type: new arrow.Float32(), length: rows * MESH_POINTS, data: values.subarray(0, rows * MESH_POINTS) }),
      })),
    ];
    const data = arrow.makeData({ type: new arrow.Struct(fields), length: rows, children, nullCount: 0 });
    return new arrow.RecordBatch(new arrow.Schema(fields), data);
  }
}
