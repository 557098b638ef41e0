package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Builds a batch's input arrays (gene, text, unknown-type flag) in the batch's own manager. */
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

  /** Box-Muller: SplittableRandom has no nextGaussian on Java 17. */
  private static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /**
   * @param hideTypeRate share of cells whose type is replaced by "unknown" (training only)
   * @param noise standard deviation of Gaussian noise added to the embedding (training only)
   * @param rng used only when {@code hideTypeRate > 0} or {@code noise > 0}
   */
  public NDList inputs(NDManager m, int[] rows, int from, int to, double hideTypeRate, double noise, SplittableRandom rng) {
    int b = to - from;
    int w = cells.width();
    float[] gene = new float[b * w];
    float[] text = new float[b * textDim];
    float[] unknown = new float[b];
    for (int k = 0; k < b; k++) {
      int r = rows[from + k];
      System.arraycopy(cells.gene(), r * w, gene, k * w, w);
      if (noise > 0) for (int j = k * w; j < (k + 1) * w; j++) gene[j] += (float) (noise * gaussian(rng));
      int t = cells.typeIndex()[r];
      boolean hide = t < 0 || (hideTypeRate > 0 && rng.nextDouble() < hideTypeRate);
      if (hide) {
        unknown[k] = 1f;
      } else {
        System.arraycopy(textTable[t], 0, text, k * textDim, textDim);
      }
    }
    return new NDList(m.create(gene, new Shape(b, w)), m.create(text, new Shape(b, textDim)), m.create(unknown, new Shape(b, 1)));
  }

  public NDArray donorOneHot(NDManager m, int[] rows, int from, int to, int donors) {
    int b = to - from;
    float[] y = new float[b * donors];
    for (int k = 0; k < b; k++) y[k * donors + cells.donor()[rows[from + k]]] = 1f;
    return m.create(y, new Shape(b, donors));
  }

  public NDArray weights(NDManager m, int[] rows, int from, int to, float[] classWeights) {
    int b = to - from;
    float[] w = new float[b];
    for (int k = 0; k < b; k++) w[k] = classWeights == null ? 1f : classWeights[cells.donor()[rows[from + k]]];
    return m.create(w, new Shape(b));
  }

  /** Sex targets (1 female) and a mask of cells whose sex is known. */
  public NDList sex(NDManager m, int[] rows, int from, int to) {
    int b = to - from;
    float[] y = new float[b];
    float[] mask = new float[b];
    for (int k = 0; k < b; k++) {
      int s = cells.sex()[rows[from + k]];
      y[k] = s == 1 ? 1f : 0f;
      mask[k] = s >= 0 ? 1f : 0f;
    }
    return new NDList(m.create(y, new Shape(b)), m.create(mask, new Shape(b)));
  }

  /** 1 where two cells of the batch share a (known) cell type, and on the diagonal. */
  public NDArray sameType(NDManager m, int[] rows, int from, int to) {
    int b = to - from;
    float[] p = new float[b * b];
    for (int i = 0; i < b; i++) {
      int ti = cells.typeIndex()[rows[from + i]];
      for (int j = 0; j < b; j++) {
        int tj = cells.typeIndex()[rows[from + j]];
        p[i * b + j] = (i == j || (ti >= 0 && ti == tj)) ? 1f : 0f;
      }
    }
    return m.create(p, new Shape(b, b));
  }
}
