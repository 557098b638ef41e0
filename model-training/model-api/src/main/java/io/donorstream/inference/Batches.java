package io.donorstream.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Encoded cells and the text table their types index, and how a range of them becomes network
 * inputs (gene, text, unknown-type flag) in a given manager: for evaluation and scoring, where
 * cells pass once; training keeps its cells on the device instead (see ResidentCells).
 */
public final class Batches {
  private final EncodedCells cells;
  private final float[][] textTable;
  private final int textDim;

  public Batches(EncodedCells cells, float[][] textTable, int textDim) {
    this.cells = cells;
    this.textTable = textTable;
    this.textDim = textDim;
  }

  public EncodedCells cells() {
    return cells;
  }

  /** The standardised text vector of each known cell type, by type index. */
  public float[][] textTable() {
    return textTable;
  }

  /**
   * Inputs for cells {@code from} (inclusive) to {@code to}: embeddings, each cell's row of the
   * type table (one past its end for an unknown type), the type table.
   */
  public NDList inputs(NDManager m, int from, int to) {
    int b = to - from;
    int w = cells.width();
    float[] gene = new float[b * w];
    System.arraycopy(cells.gene(), from * w, gene, 0, b * w);
    long[] row = new long[b];
    for (int k = 0; k < b; k++) {
      int t = cells.typeIndex()[from + k];
      row[k] = t < 0 ? textTable.length : t;
    }
    return new NDList(m.create(gene, new Shape(b, w)), m.create(row), table(m));
  }

  /** The type table as one array ({@code [T, D]}; a table without types has one zero row, never read). */
  public NDArray table(NDManager m) {
    int rows = Math.max(1, textTable.length);
    float[] flat = new float[rows * textDim];
    for (int t = 0; t < textTable.length; t++) System.arraycopy(textTable[t], 0, flat, t * textDim, textDim);
    return m.create(flat, new Shape(rows, textDim));
  }

  /** One-hot donors of cells {@code from} to {@code to}. */
  public NDArray donorOneHot(NDManager m, int from, int to, int donors) {
    int b = to - from;
    float[] y = new float[b * donors];
    for (int k = 0; k < b; k++) y[k * donors + cells.donor()[from + k]] = 1f;
    return m.create(y, new Shape(b, donors));
  }
}
