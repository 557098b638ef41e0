package io.donorstream.preprocess;

/**
 * Subtracts from each cell the mean embedding of its cell type in the training cells (the overall
 * training mean for a type never seen there). Cell types move whole clusters of an embedding far
 * more than donors do; removing that shift first leaves the donor signal as the main variation,
 * which a classifier then learns from far fewer cells than if it had to learn a donor-by-type
 * offset for every pair.
 */
public record TypeCentering(float[][] typeMeans, float[] globalMean) {

  /** Means over {@code trainRows}, per type index (types without training cells get the global mean). */
  public static TypeCentering fit(float[] x, int width, int[] trainRows, int[] typeOfRow, int types) {
    double[][] sum = new double[types][width];
    int[] count = new int[types];
    double[] all = new double[width];
    for (int r : trainRows) {
      int t = typeOfRow[r];
      for (int j = 0; j < width; j++) {
        double v = x[r * width + j];
        all[j] += v;
        if (t >= 0) sum[t][j] += v;
      }
      if (t >= 0) count[t]++;
    }
    float[] global = new float[width];
    for (int j = 0; j < width; j++) global[j] = (float) (all[j] / trainRows.length);
    float[][] means = new float[types][];
    for (int t = 0; t < types; t++) {
      means[t] = new float[width];
      for (int j = 0; j < width; j++) means[t][j] = count[t] == 0 ? global[j] : (float) (sum[t][j] / count[t]);
    }
    return new TypeCentering(means, global);
  }

  /** The mean a cell of type index {@code t} is centred on: its type's, or the overall one for a type without a training mean. */
  public float[] meanOf(int t) {
    return t >= 0 && t < typeMeans.length ? typeMeans[t] : globalMean;
  }

  /** The given rows, centred; {@code typeOfRow[r] < 0} or beyond the known types uses the global mean. */
  public float[] center(float[] x, int width, int[] rows, int[] typeOfRow) {
    float[] out = new float[rows.length * width];
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      float[] m = meanOf(typeOfRow[r]);
      for (int j = 0; j < width; j++) out[k * width + j] = x[r * width + j] - m[j];
    }
    return out;
  }
}
