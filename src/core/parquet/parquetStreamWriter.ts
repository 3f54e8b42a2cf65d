/**
 * A Parquet file written as its rows come, never held whole: Apache Arrow record batches (apache-arrow) go into
 * parquet-wasm's streaming writer (transformParquetStream: the Rust parquet crate's async writer, which flushes a
 * row group every `maxRowGroupRows` rows), whose bytes are written to a temporary file beside the target and
 * hashed on the way. Nothing is renamed here: the caller puts the file in place (documentCommit.ts), or abandons
 * it and nothing is left.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type * as Arrow from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm';
import { tempPathFor } from '../document/annotationFile';

export type ArrowModule = typeof Arrow;
type ParquetModule = typeof ParquetWasm;

/** A finished file at its temporary path, with what a link to it records. */
export interface StreamedParquet {
  tempPath: string;
  sha256: string;
  bytes: number;
  rows: number;
}

export interface StreamOptions {
  /** Rows per row group: what the writer holds in memory before it flushes (encoded and compressed). */
  maxRowGroupRows: number;
  /**
   * Floats split by byte (BYTE_STREAM_SPLIT: with ZSTD, half the size for coordinates) in every column but
   * `plain` ones (the integer and string columns). Set for all columns, as a column path given by name cannot
   * reach the values of a list column.
   */
  byteStreamSplit?: { plain: readonly string[] };
  /** Columns to dictionary-encode (repeated strings such as a media path); no other column is. */
  dictionary?: readonly string[];
  /** Key-value metadata in the file's footer (what the columns mean). One key keeps the bytes reproducible: the writer orders several at random. */
  metadata?: Record<string, string>;
}

/** Both libraries, loaded on first use only (their start-up is not paid by analyses that write no Parquet). */
export function parquetLibraries(): Promise<{ arrow: ArrowModule; parquet: ParquetModule }> {
  // Imported once per process: resolving a dynamic import again cost about a millisecond per sidecar.
  libraries ??= Promise.all([import('apache-arrow'), import('parquet-wasm')]).then(([arrow, parquet]) => ({ arrow, parquet }));
  return libraries;
}
let libraries: Promise<{ arrow: ArrowModule; parquet: ParquetModule }> | undefined;

/**
 * A Parquet file of one record batch written at once (parquet-wasm's writeParquet) to a temporary file beside
 * `file`, flushed to disk: the same bytes as the streaming writer given that batch (measured, 1 and 300 rows),
 * without its stream machinery, which cost a one-face file about 8 CPU ms against 1 ms this way.
 */
export async function writeParquetOnce(file: string, batch: Arrow.RecordBatch, options: StreamOptions): Promise<StreamedParquet> {
  const { arrow, parquet } = await parquetLibraries();
  const table = parquet.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(batch), 'stream'));
  const bytes = parquet.writeParquet(table, writerProperties(parquet, options));
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tempPath = await tempPathFor(file);
  try {
    const handle = await fs.open(tempPath, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    throw error;
  }
  return { tempPath, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength, rows: batch.numRows };
}

export class ParquetStreamWriter {
  private rows = 0;
  private finished = false;
  private failure: Error | undefined;

  private constructor(
    private readonly arrow: ArrowModule,
    private readonly parquet: ParquetModule,
    private readonly controller: ReadableStreamDefaultController,
    private readonly pump: Promise<{ sha256: string; bytes: number }>,
    private readonly handle: FileHandle,
    readonly tempPath: string,
  ) {
    pump.catch((error: unknown) => (this.failure ??= error instanceof Error ? error : new Error(String(error))));
  }

  /** Starts a file that will replace `file` (its temporary name is in the same folder). */
  static async open(file: string, options: StreamOptions): Promise<ParquetStreamWriter> {
    const { arrow, parquet } = await parquetLibraries();
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tempPath = await tempPathFor(file);
    const handle = await fs.open(tempPath, 'wx');
    let controller!: ReadableStreamDefaultController;
    // Two batches queued at most: write() waits when the Parquet writer falls behind.
    const batches = new ReadableStream({ start: (c) => void (controller = c) }, { highWaterMark: 2 });
    // transformParquetStream reads the first batch (for the schema) before it resolves: never await it before writing.
    const bytes = parquet.transformParquetStream(batches, writerProperties(parquet, options));
    const pump = (async () => {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of (await bytes) as ReadableStream<Uint8Array>) {
        hash.update(chunk);
        size += chunk.byteLength;
        await handle.write(chunk);
      }
      await handle.sync();
      return { sha256: hash.digest('hex'), bytes: size };
    })();
    return new ParquetStreamWriter(arrow, parquet, controller, pump, handle, tempPath);
  }

  get arrowModule(): ArrowModule {
    return this.arrow;
  }

  /** Queues one batch (every batch with the same schema); resolves when there is room for the next. */
  async write(batch: Arrow.RecordBatch): Promise<void> {
    if (this.failure) throw this.failure;
    if (batch.numRows === 0) return;
    const table = this.parquet.Table.fromIPCStream(this.arrow.tableToIPC(new this.arrow.Table(batch), 'stream'));
    const converted = table.recordBatch(0);
    table.free();
    if (!converted) throw new Error('parquet-wasm lost a record batch');
    this.controller.enqueue(converted);
    this.rows += batch.numRows;
    while ((this.controller.desiredSize ?? 1) <= 0 && !this.failure) await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.failure) throw this.failure;
  }

  /** Ends the file (footer written, flushed to disk); it stays at its temporary path. */
  async finish(): Promise<StreamedParquet> {
    this.finished = true;
    this.controller.close();
    try {
      const { sha256, bytes } = await this.pump;
      return { tempPath: this.tempPath, sha256, bytes, rows: this.rows };
    } finally {
      await this.handle.close();
    }
  }

  /** Stops writing and removes the temporary file. */
  async abandon(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      this.controller.error(new Error('abandoned'));
      await this.pump.catch(() => undefined);
      await this.handle.close().catch(() => undefined);
    }
    await fs.rm(this.tempPath, { force: true });
  }
}

function writerProperties(parquet: ParquetModule, options: StreamOptions): ParquetWasm.WriterProperties {
  let builder = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.ZSTD)
    .setMaxRowGroupSize(options.maxRowGroupRows)
    // A dictionary of float coordinates is never smaller than the values; min/max of 1,434 columns bloat the footer.
    .setDictionaryEnabled(false)
    .setStatisticsEnabled(parquet.EnabledStatistics.None);
  if (options.byteStreamSplit) {
    builder = builder.setEncoding(parquet.Encoding.BYTE_STREAM_SPLIT);
    for (const column of options.byteStreamSplit.plain) builder = builder.setColumnEncoding(column, parquet.Encoding.PLAIN);
  }
  for (const column of options.dictionary ?? []) builder = builder.setColumnDictionaryEnabled(column, true);
  if (options.metadata) builder = builder.setKeyValueMetadata(new Map(Object.entries(options.metadata)));
  return builder.build();
}
