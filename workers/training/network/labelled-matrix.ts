import type { SparseMatrix } from '../features/sparse-matrix.js';

/** Feature rows with the index of each row's label. */
export interface LabelledMatrix {
  features: SparseMatrix;
  targets: Int32Array;
}
