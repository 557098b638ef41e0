package io.donorstream.promotion;

/**
 * A balanced accuracy over cells grouped by donor, with a standard error that treats donors, not
 * cells, as the units: a sex probe reads a donor's cells together (all right or all wrong for a
 * donor it misjudges), so the cell count overstates its precision. Each sex's rate is a ratio
 * estimate over its donors, its variance the cluster-robust (sandwich) one with the small-sample
 * factor D / (D - 1); the balanced accuracy is the mean of the two rates.
 *
 * @param standardError null with fewer than {@link #MIN_DONORS_PER_SEX} donors of a sex (with two, the
 *     donors' spread says next to nothing about the noise)
 */
public record DonorClusteredRate(double balancedAccuracy, Double standardError, int donors) {
  public static final int MIN_DONORS_PER_SEX = 3;

  /**
   * @param cells per donor, the (possibly fading) weight of its cells
   * @param right per donor, the weight of those the probe read right
   * @param female per donor, its sex
   * @return null when a sex has no cells
   */
  public static DonorClusteredRate of(double[] cells, double[] right, boolean[] female) {
    double[] rate = new double[2];
    double[] variance = new double[2];
    int[] donors = new int[2];
    for (int s = 0; s < 2; s++) {
      double n = 0;
      double c = 0;
      for (int d = 0; d < cells.length; d++) {
        if (female[d] != (s == 1) || cells[d] <= 0) continue;
        n += cells[d];
        c += right[d];
        donors[s]++;
      }
      if (n == 0) return null;
      rate[s] = c / n;
      double ss = 0;
      for (int d = 0; d < cells.length; d++) {
        if (female[d] != (s == 1) || cells[d] <= 0) continue;
        double e = right[d] - rate[s] * cells[d];
        ss += e * e;
      }
      variance[s] = donors[s] < MIN_DONORS_PER_SEX ? Double.NaN : donors[s] / (donors[s] - 1.0) * ss / (n * n);
    }
    double v = variance[0] + variance[1];
    return new DonorClusteredRate((rate[0] + rate[1]) / 2, Double.isNaN(v) ? null : 0.5 * Math.sqrt(v), donors[0] + donors[1]);
  }
}
