/** A sparse feature vector: parallel arrays of bucket indices and weights. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}
