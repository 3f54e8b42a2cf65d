/**
 * dataset.mesh.parquet: every face mesh of every document in one table, the sidecars' rows with the media's path
 * and sha256 in front (`media_path, media_sha256, frame, time_sec, track_id, mesh_x, mesh_y, mesh_z`). Streamed:
 * each sidecar is read 1,024 rows at a time and written on, so the table is never held whole. Parquet only:
 * three lists of 478 coordinates per row is not a table anyone reads as CSV.
 */
import { promises as fs } from 'node:fs';
import type { AnnotationDocument } from '../../shared/annotationDocument';
import { MESH_COLUMNS, meshWriterOptions } from '../document/meshSidecar';
import { openMeshSidecar } from '../document/meshSidecarReader';
import { ParquetStreamWriter } from '../parquet/parquetStreamWriter';

export class DatasetMeshTable {
  private writer: Promise<ParquetStreamWriter> | undefined;
  private rows = 0;

  constructor(private readonly file: string) {}

  /** Appends the document's mesh rows; a sidecar that is missing or does not match is a warning (its rows are left out). */
  async addDocument(doc: AnnotationDocument, documentPath: string, mediaPath: string): Promise<{ rows: number; warning?: string }> {
    const consequence = 'its faces are left out of dataset.mesh.parquet';
    const opened = await openMeshSidecar(doc, documentPath, MESH_COLUMNS, consequence);
    if (opened.status === 'none') return { rows: 0 };
    if (opened.status === 'unusable') return { rows: 0, warning: opened.warning };
    this.writer ??= ParquetStreamWriter.open(this.file, meshWriterOptions(['media_path', 'media_sha256']));
    const writer = await this.writer;
    const arrow = writer.arrowModule;
    let rows = 0;
    for await (const batch of opened.batches) {
      const text = (value: string) => arrow.vectorFromArray(Array.from({ length: batch.numRows }, () => value), new arrow.Utf8()).data[0]!;
      const fields = [new arrow.Field('media_path', new arrow.Utf8(), false), new arrow.Field('media_sha256', new arrow.Utf8(), false), ...batch.schema.fields];
      const data = arrow.makeData({ type: new arrow.Struct(fields), length: batch.numRows, nullCount: 0, children: [text(mediaPath), text(doc.media.sha256), ...batch.data.children] });
      await writer.write(new arrow.RecordBatch(new arrow.Schema(fields), data));
      rows += batch.numRows;
    }
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
