/** A dataset file read into named columns, before any schema is checked. */
export interface DatasetTable {
  /** Column names as written in the file, in file order. */
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** How an error names a row: "row 12 (line 13)". */
  locate(rowIndex: number): string;
}
