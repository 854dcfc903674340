import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { PermanentJobError } from '../../../core/index.js';
import type { DatasetTable } from './dataset-table.js';

/** A Parquet file; its top-level columns are the dataset's columns. */
export async function readParquetTable(bytes: Uint8Array, path: string): Promise<DatasetTable> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let columns: string[];
  let rows: Array<Record<string, unknown>>;
  try {
    columns = parquetSchema(parquetMetadata(file)).children.map((child) => child.element.name);
    rows = await parquetReadObjects({ file });
  } catch (error) {
    throw new PermanentJobError(`dataset ${path} is not a readable Parquet file (${(error as Error).message})`);
  }
  return { columns, rows, locate: (i) => `row ${i + 1}` };
}
