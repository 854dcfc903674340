import type { SparseVector } from './sparse-vector.js';

/** Rows of sparse vectors in compressed sparse row form: row r spans offsets[r] .. offsets[r + 1]. */
export interface SparseMatrix {
  rows: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function rowOf(matrix: SparseMatrix, row: number): SparseVector {
  const start = matrix.offsets[row] as number;
  const end = matrix.offsets[row + 1] as number;
  return { indices: matrix.indices.subarray(start, end), values: matrix.values.subarray(start, end) };
}

/** Appends rows into growing typed arrays, so a whole split costs a few allocations rather than one per text. */
export class SparseMatrixBuilder {
  private offsets: number[] = [0];
  private indices = new Int32Array(1 << 16);
  private values = new Float32Array(1 << 16);
  private size = 0;

  push(row: SparseVector): void {
    const needed = this.size + row.indices.length;
    if (needed > this.indices.length) {
      const capacity = Math.max(needed, this.indices.length * 2);
      const indices = new Int32Array(capacity);
      indices.set(this.indices.subarray(0, this.size));
      const values = new Float32Array(capacity);
      values.set(this.values.subarray(0, this.size));
      this.indices = indices;
      this.values = values;
    }
    this.indices.set(row.indices, this.size);
    this.values.set(row.values, this.size);
    this.size = needed;
    this.offsets.push(needed);
  }

  build(): SparseMatrix {
    return {
      rows: this.offsets.length - 1,
      offsets: Int32Array.from(this.offsets),
      indices: this.indices.slice(0, this.size),
      values: this.values.slice(0, this.size),
    };
  }
}
