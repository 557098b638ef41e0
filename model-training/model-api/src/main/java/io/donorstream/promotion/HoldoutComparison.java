package io.donorstream.promotion;

/**
 * Two models answered the same labelled cells: their accuracies and a one-sided 95 % lower bound on
 * the difference (paired per cell, normal approximation), so a promotion rests on more than a point
 * estimate.
 */
public record HoldoutComparison(int cells, double candidateAccuracy, double championAccuracy, double lowerBound) implements java.io.Serializable {
  public static final double Z_95_ONE_SIDED = 1.645;

  public static HoldoutComparison of(boolean[] candidateRight, boolean[] championRight) {
    int n = candidateRight.length;
    if (n != championRight.length || n < 2) throw new IllegalArgumentException("need the same two or more cells for both models");
    long candidateOnly = 0;
    long championOnly = 0;
    long cand = 0;
    long champ = 0;
    for (int i = 0; i < n; i++) {
      if (candidateRight[i]) cand++;
      if (championRight[i]) champ++;
      if (candidateRight[i] && !championRight[i]) candidateOnly++;
      if (championRight[i] && !candidateRight[i]) championOnly++;
    }
    return ofCounts(n, cand, champ, candidateOnly, championOnly);
  }

  /**
   * From counts over {@code n} paired cells: how many each model got right, and how many only
   * one of them got right (the per-cell difference is +1, -1 or 0).
   */
  public static HoldoutComparison ofCounts(long n, long candidateRight, long championRight, long candidateOnly, long championOnly) {
    if (n < 2) throw new IllegalArgumentException("need two or more paired cells, got " + n);
    double mean = (double) (candidateOnly - championOnly) / n;
    double variance = Math.max(0, (candidateOnly + championOnly - n * mean * mean) / (n - 1));
    return new HoldoutComparison((int) n, (double) candidateRight / n, (double) championRight / n, mean - Z_95_ONE_SIDED * Math.sqrt(variance / n));
  }

  /**
   * How much higher a new model's donor-grouped sex probe may read than the champion's and still
   * count as "not higher": at least {@code floor}, and the probe's own donor-level noise, a one-sided
   * 95 % bound of sqrt(0.25 / donors) (the probe scores whole donors).
   */
  public static double leakageTolerance(double floor, Double donors) {
    return Math.max(floor, donors == null || donors <= 0 ? 0 : Z_95_ONE_SIDED * Math.sqrt(0.25 / donors));
  }

  public double difference() {
    return candidateAccuracy - championAccuracy;
  }
}
