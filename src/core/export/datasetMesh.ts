/**
 * dataset.mesh.parquet: every face mesh of every document in one table, the sidecars' rows with the media's path
 * and sha256 in front (`media_path, media_sha256, frame, time_sec, track_id, mesh_x_0 … mesh_z_477`). Streamed:
 * each sidecar is read one row group at a time and written on, so the table is never held whole. Parquet only:
 * 1,434 coordinates per row is not a table anyone reads as CSV.
 */
import { promises as fs } from 'node:fs';
import type { ParquetFile } from 'parquet-wasm';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { linkedSidecarPath, verifiedSidecarBytes } from '../document/meshSidecarReader';
import { MESH_COLUMNS } from '../document/meshSidecar';
import { errorMessage } from '../errors';
import { parquetLibraries, ParquetStreamWriter } from '../parquet/parquetStreamWriter';

const ROW_GROUP_ROWS = 4096;

export class DatasetMeshTable {
  private writer: Promise<ParquetStreamWriter> | undefined;
  private rows = 0;

  constructor(private readonly file: string) {}

  /** Appends the document's mesh rows; a sidecar that is missing or does not match is a warning (its rows are left out). */
  async addDocument(doc: AnnotationDocument, documentPath: string, mediaPath: string): Promise<{ rows: number; warning?: string }> {
    const link = doc.geometry.mesh;
    if (!link) return { rows: 0 };
    const sidecar = linkedSidecarPath(documentPath, link);
    const verified = await verifiedSidecarBytes(sidecar, link);
    const skip = (problem: string) => ({ rows: 0, warning: `${sidecar}: ${problem}; its faces are left out of dataset.mesh.parquet. Analyse ${doc.media.path} again to write it.` });
    if ('problem' in verified) return skip(verified.problem);
    const { arrow, parquet } = await parquetLibraries();
    let file: ParquetFile;
    try {
      file = await parquet.ParquetFile.fromFile(new Blob([verified.bytes]));
    } catch (error) {
      return skip(`the mesh sidecar cannot be read as Parquet (${errorMessage(error).split('\n')[0]})`);
    }
    const groups = file.metadata().numRowGroups();
    this.writer ??= ParquetStreamWriter.open(this.file, { maxRowGroupRows: ROW_GROUP_ROWS, byteStreamSplit: MESH_COLUMNS, dictionary: ['media_path', 'media_sha256'] });
    const writer = await this.writer;
    let rows = 0;
    for (let group = 0; group < groups; group++) {
      const table = arrow.tableFromIPC((await file.read({ rowGroups: [group] })).intoIPCStream());
      for (const batch of table.batches) {
        const text = (value: string) => arrow.vectorFromArray(Array.from({ length: batch.numRows }, () => value), new arrow.Utf8()).data[0]!;
        const fields = [new arrow.Field('media_path', new arrow.Utf8(), false), new arrow.Field('media_sha256', new arrow.Utf8(), false), ...batch.schema.fields];
        const data = arrow.makeData({ type: new arrow.Struct(fields), length: batch.numRows, nullCount: 0, children: [text(mediaPath), text(doc.media.sha256), ...batch.data.children] });
        await writer.write(new arrow.RecordBatch(new arrow.Schema(fields), data));
        rows += batch.numRows;
      }
    }
    file.free();
    this.rows += rows;
    return { rows };
  }

  /** Puts the table in place; false when no document had a mesh (then no file is written). */
  async commit(): Promise<boolean> {
    if (!this.writer) return false;
    const done = await (await this.writer).finish();
    await fs.rename(done.tempPath, this.file);
    return true;
  }

  async abandon(): Promise<void> {
    const writer = await this.writer?.catch(() => undefined);
    await writer?.abandon();
  }

  get rowCount(): number {
    return this.rows;
  }
}
