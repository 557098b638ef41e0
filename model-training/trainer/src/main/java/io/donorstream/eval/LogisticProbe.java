package io.donorstream.eval;

/**
 * L2-regularised binary logistic regression, fitted by full-batch gradient descent with Adam on
 * standardised features, classes weighted to balance. Small and deterministic: it probes what a
 * representation reveals; it is not a model we ship.
 */
public final class LogisticProbe {
  private static final int ITERATIONS = 300;
  private static final double LEARNING_RATE = 0.05;
  private static final double L2 = 1e-3;

  private final double[] mean;
  private final double[] std;
  private final double[] w;
  private double b;

  private LogisticProbe(int dim) {
    mean = new double[dim];
    std = new double[dim];
    w = new double[dim];
  }

  /** Fits on rows {@code train} of a row-major matrix {@code x} with labels {@code y} (0/1). */
  public static LogisticProbe fit(float[] x, int dim, int[] y, int[] train) {
    LogisticProbe p = new LogisticProbe(dim);
    int n = train.length;
    for (int r : train) for (int j = 0; j < dim; j++) p.mean[j] += x[r * dim + j];
    for (int j = 0; j < dim; j++) p.mean[j] /= n;
    for (int r : train) for (int j = 0; j < dim; j++) {
      double d = x[r * dim + j] - p.mean[j];
      p.std[j] += d * d;
    }
    for (int j = 0; j < dim; j++) p.std[j] = Math.sqrt(p.std[j] / n) + 1e-8;
    int pos = 0;
    for (int r : train) pos += y[r];
    double wPos = pos == 0 ? 0 : n / (2.0 * pos);
    double wNeg = pos == n ? 0 : n / (2.0 * (n - pos));
    double[] z = new double[n * dim];
    for (int k = 0; k < n; k++) for (int j = 0; j < dim; j++) z[k * dim + j] = (x[train[k] * dim + j] - p.mean[j]) / p.std[j];
    double[] m1 = new double[dim + 1];
    double[] m2 = new double[dim + 1];
    double[] g = new double[dim + 1];
    for (int it = 1; it <= ITERATIONS; it++) {
      java.util.Arrays.fill(g, 0);
      double wsum = 0;
      for (int k = 0; k < n; k++) {
        double s = p.b + dot(p.w, z, k * dim);
        int label = y[train[k]];
        double weight = label == 1 ? wPos : wNeg;
        double err = weight * (sigmoid(s) - label);
        wsum += weight;
        for (int j = 0; j < dim; j++) g[j] += err * z[k * dim + j];
        g[dim] += err;
      }
      for (int j = 0; j <= dim; j++) {
        g[j] /= wsum;
        if (j < dim) g[j] += L2 * p.w[j];
        m1[j] = 0.9 * m1[j] + 0.1 * g[j];
        m2[j] = 0.999 * m2[j] + 0.001 * g[j] * g[j];
        double step = LEARNING_RATE * (m1[j] / (1 - Math.pow(0.9, it))) / (Math.sqrt(m2[j] / (1 - Math.pow(0.999, it))) + 1e-8);
        if (j < dim) p.w[j] -= step; else p.b -= step;
      }
    }
    return p;
  }

  /** Probability of class 1 for row {@code r}. */
  public double probability(float[] x, int r) {
    int dim = w.length;
    double s = b;
    for (int j = 0; j < dim; j++) s += w[j] * (x[r * dim + j] - mean[j]) / std[j];
    return sigmoid(s);
  }

  /**
   * {@code w · z[from, from + w.length)} in four running sums: one sum waits on each addition before
   * the next (the JIT keeps their order), and the fit takes hundreds of these per cell; the donor-grouped
   * leakage figure fits 50 probes.
   */
  static double dot(double[] w, double[] z, int from) {
    int n = w.length;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += w[j] * z[from + j];
      s1 += w[j + 1] * z[from + j + 1];
      s2 += w[j + 2] * z[from + j + 2];
      s3 += w[j + 3] * z[from + j + 3];
    }
    for (; j < n; j++) s0 += w[j] * z[from + j];
    return (s0 + s1) + (s2 + s3);
  }

  private static double sigmoid(double s) {
    return 1 / (1 + Math.exp(-s));
  }
}
