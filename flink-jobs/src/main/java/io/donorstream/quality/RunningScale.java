package io.donorstream.quality;

import java.io.Serializable;

/** Per-dimension running mean and variance (Welford), to standardise latents learned online. */
final class RunningScale implements Serializable {
  private final double[] mean;
  private final double[] m2;
  private long n;

  RunningScale(int dim) {
    mean = new double[dim];
    m2 = new double[dim];
  }

  void observe(float[] x) {
    n++;
    for (int j = 0; j < mean.length; j++) {
      double d = x[j] - mean[j];
      mean[j] += d / n;
      m2[j] += d * (x[j] - mean[j]);
    }
  }

  double[] standardise(float[] x) {
    double[] z = new double[mean.length];
    for (int j = 0; j < z.length; j++) z[j] = (x[j] - mean[j]) / sd(j);
    return z;
  }

  /** 1 / sd per dimension, for callers that compare many vectors in standardised coordinates. */
  double[] inverseSd() {
    double[] inv = new double[mean.length];
    for (int j = 0; j < inv.length; j++) inv[j] = 1 / sd(j);
    return inv;
  }

  private double sd(int j) {
    double sd = n > 1 ? Math.sqrt(m2[j] / (n - 1)) : 1;
    return sd > 1e-6 ? sd : 1;
  }

  int dim() {
    return mean.length;
  }
}
