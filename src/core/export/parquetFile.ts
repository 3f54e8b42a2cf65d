/**
 * Parquet from a DatasetTable: the columns become an Apache Arrow table (apache-arrow) written by parquet-wasm
 * (the Rust parquet crate compiled to WebAssembly: no native build, installs offline), ZSTD-compressed. Both
 * are loaded only when a Parquet file is written, so nothing else pays for their start-up.
 */
import type { DatasetTable } from './datasetColumns';

export async function parquetBytes(table: DatasetTable): Promise<Uint8Array> {
  const arrow = await import('apache-arrow');
  const parquet = await import('parquet-wasm');
  const typeOf = (type: 'string' | 'int32' | 'float64'): InstanceType<typeof arrow.DataType> => (type === 'string' ? new arrow.Utf8() : type === 'int32' ? new arrow.Int32() : new arrow.Float64());
  const vectors: Record<string, InstanceType<typeof arrow.Vector>> = {};
  for (const { spec, values } of table.columnValues()) vectors[spec.name] = arrow.vectorFromArray(values, typeOf(spec.type));
  const arrowTable = new arrow.Table(vectors);
  const wasmTable = parquet.Table.fromIPCStream(arrow.tableToIPC(arrowTable, 'stream'));
  const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.ZSTD).build();
  return parquet.writeParquet(wasmTable, properties);
}
