package io.donorstream.preprocess;

/** Per-dimension centring and scaling with statistics of the training cells only. */
public record Standardizer(float[] mean, float[] std) {

  public static Standardizer fit(float[] values, int width, int[] rows) {
    double[] sum = new double[width];
    double[] sq = new double[width];
    for (int r : rows) {
      for (int j = 0; j < width; j++) {
        double v = values[r * width + j];
        sum[j] += v;
        sq[j] += v * v;
      }
    }
    float[] mean = new float[width];
    float[] std = new float[width];
    for (int j = 0; j < width; j++) {
      double m = sum[j] / rows.length;
      double var = Math.max(0, sq[j] / rows.length - m * m);
      mean[j] = (float) m;
      // A constant dimension carries no information; scaling it by 1 keeps it at zero.
      std[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
    }
    return new Standardizer(mean, std);
  }

  public int width() {
    return mean.length;
  }

  /** Standardises {@code rows} of a row-major matrix into a new array. */
  public float[] apply(float[] values, int[] rows) {
    int w = width();
    float[] out = new float[rows.length * w];
    for (int k = 0; k < rows.length; k++) {
      int src = rows[k] * w;
      for (int j = 0; j < w; j++) out[k * w + j] = (values[src + j] - mean[j]) / std[j];
    }
    return out;
  }
}
