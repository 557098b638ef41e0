package io.donorstream.preprocess;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The network's view of an embedding: its coordinates in the subspace that tells the training
 * donors apart, whitened by their shrunk within-donor covariance (a regularised linear discriminant
 * analysis, used as a fixed input layer). A 512-d embedding whose donor signal lives in a dozen
 * directions otherwise lets the first layer fit noise in the other ~500: on the generated
 * seed-cns data the vanilla MLP sat 2.3 points under the Bayes rate, and a shrunk discriminant on
 * the same cells reached it (docs/removing-sex.md).
 *
 * <p>With {@code Sw} the pooled within-donor covariance of the training cells, shrunk halfway to a
 * multiple of the identity ({@code Ss = (1-s) Sw + s (tr Sw / d) I}), and {@code Sb} the covariance
 * of the donor means weighted by their cells: {@code P = Ss^-1/2 U}, with {@code U} the top
 * {@code donors - 1} eigenvectors of {@code Ss^-1/2 Sb Ss^-1/2}, so that {@code Pᵀ Ss P = I}. Fitted
 * on the training cells after sex erasure (never on validation or test cells), stored in the
 * artifact, applied when scoring.
 *
 * @param projection row-major {@code width x dims}
 */
public record DiscriminantSubspace(float[] projection, int width, int dims) {
  /** Shrinkage towards the identity: 0.3-0.7 measured alike on seed-cns; 0.5 best on OneK1K, within noise. */
  public static final double SHRINKAGE = 0.5;

  /**
   * Fits on rows of a row-major matrix.
   *
   * @param donorOfRow donor index per row of {@code x}
   */
  public static DiscriminantSubspace fit(float[] x, int width, int[] donorOfRow, int donors, double shrinkage) {
    int n = donorOfRow.length;
    double[][] means = new double[donors][width];
    int[] counts = new int[donors];
    for (int i = 0; i < n; i++) {
      int k = donorOfRow[i];
      counts[k]++;
      for (int j = 0; j < width; j++) means[k][j] += x[i * width + j];
    }
    double[] overall = new double[width];
    for (int k = 0; k < donors; k++) {
      for (int j = 0; j < width; j++) {
        overall[j] += means[k][j];
        if (counts[k] > 0) means[k][j] /= counts[k];
      }
    }
    for (int j = 0; j < width; j++) overall[j] /= n;
    // Pooled within-donor covariance: the upper triangle, row by row (a rank-one update per cell).
    double[][] within = new double[width][width];
    double[] r = new double[width];
    for (int i = 0; i < n; i++) {
      double[] m = means[donorOfRow[i]];
      for (int j = 0; j < width; j++) r[j] = x[i * width + j] - m[j];
      for (int a = 0; a < width; a++) {
        double ra = r[a];
        double[] row = within[a];
        for (int b = a; b < width; b++) row[b] += ra * r[b];
      }
    }
    double trace = 0;
    for (int a = 0; a < width; a++) {
      for (int b = a; b < width; b++) {
        within[a][b] /= n;
        within[b][a] = within[a][b];
      }
      trace += within[a][a];
    }
    for (int a = 0; a < width; a++) {
      for (int b = 0; b < width; b++) within[a][b] *= 1 - shrinkage;
      within[a][a] += shrinkage * trace / width;
    }
    // Ss^-1/2 from its eigendecomposition (symmetric, positive definite once shrunk).
    EigenDecomposition shrunk = new EigenDecomposition(new Array2DRowRealMatrix(within, false));
    RealMatrix v = shrunk.getV();
    double[] lambda = shrunk.getRealEigenvalues();
    double[][] scaled = new double[width][width];
    for (int a = 0; a < width; a++) {
      for (int c = 0; c < width; c++) scaled[a][c] = v.getEntry(a, c) / Math.sqrt(Math.max(lambda[c], 1e-12));
    }
    RealMatrix inverseRoot = new Array2DRowRealMatrix(scaled, false).multiply(v.transpose());
    // Whitened between-donor scatter B Bᵀ with B = Ss^-1/2 [sqrt(pi_k) (m_k - m)]: its top eigenvectors
    // are B's left singular vectors, found from the small donors x donors matrix Bᵀ B.
    double[][] centredMeans = new double[width][donors];
    for (int k = 0; k < donors; k++) {
      double w = Math.sqrt((double) counts[k] / n);
      for (int j = 0; j < width; j++) centredMeans[j][k] = counts[k] == 0 ? 0 : w * (means[k][j] - overall[j]);
    }
    RealMatrix b = inverseRoot.multiply(new Array2DRowRealMatrix(centredMeans, false));
    EigenDecomposition small = new EigenDecomposition(b.transpose().multiply(b));
    double[] mu = small.getRealEigenvalues();
    Integer[] order = new Integer[donors];
    for (int k = 0; k < donors; k++) order[k] = k;
    java.util.Arrays.sort(order, (p, q) -> Double.compare(mu[q], mu[p]));
    int dims = 0;
    while (dims < Math.min(donors - 1, width) && mu[order[dims]] > 1e-9 * Math.max(mu[order[0]], 1e-300)) dims++;
    RealMatrix u = new Array2DRowRealMatrix(width, dims);
    for (int c = 0; c < dims; c++) u.setColumnVector(c, b.operate(small.getEigenvector(order[c])).mapDivide(Math.sqrt(mu[order[c]])));
    RealMatrix p = inverseRoot.multiply(u);
    float[] projection = new float[width * dims];
    for (int a = 0; a < width; a++) for (int c = 0; c < dims; c++) projection[a * dims + c] = (float) p.getEntry(a, c);
    return new DiscriminantSubspace(projection, width, dims);
  }

  /** Row-major {@code n x dims} coordinates of a row-major {@code n x width} matrix. */
  public float[] apply(float[] x) {
    int n = x.length / width;
    float[] y = new float[n * dims];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < width; a++) {
        float xa = x[i * width + a];
        int row = a * dims;
        int out = i * dims;
        for (int c = 0; c < dims; c++) y[out + c] += xa * projection[row + c];
      }
    }
    return y;
  }
}
