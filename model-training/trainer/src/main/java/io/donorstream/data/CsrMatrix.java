package io.donorstream.data;

/** A compressed-sparse-row matrix as AnnData stores {@code X}; dense input is held the same way. */
public record CsrMatrix(int rows, int cols, float[] data, int[] indices, long[] indptr) {

  /** One row expanded to a dense vector. */
  public float[] denseRow(int row) {
    float[] out = new float[cols];
    for (long k = indptr[row]; k < indptr[row + 1]; k++) {
      out[indices[(int) k]] = data[(int) k];
    }
    return out;
  }

  public long nonZeros() {
    return indptr[rows];
  }

  static CsrMatrix fromDense(float[] flat, int rows, int cols) {
    int nnz = 0;
    for (float v : flat) {
      if (v != 0f) {
        nnz++;
      }
    }
    float[] data = new float[nnz];
    int[] indices = new int[nnz];
    long[] indptr = new long[rows + 1];
    int k = 0;
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float v = flat[r * cols + c];
        if (v != 0f) {
          data[k] = v;
          indices[k++] = c;
        }
      }
      indptr[r + 1] = k;
    }
    return new CsrMatrix(rows, cols, data, indices, indptr);
  }
}
