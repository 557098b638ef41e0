package io.donorstream.retrain;

/**
 * Two models answered the same labelled cells: their accuracies and a one-sided 95 % lower bound on
 * the difference (paired per cell, normal approximation), so a promotion rests on more than a point
 * estimate.
 */
public record HoldoutComparison(int cells, double candidateAccuracy, double championAccuracy, double lowerBound) {
  static final double Z_95_ONE_SIDED = 1.645;

  public static HoldoutComparison of(boolean[] candidateRight, boolean[] championRight) {
    int n = candidateRight.length;
    if (n != championRight.length || n < 2) throw new IllegalArgumentException("need the same two or more cells for both models");
    double sum = 0;
    double sumSq = 0;
    int cand = 0;
    int champ = 0;
    for (int i = 0; i < n; i++) {
      int d = (candidateRight[i] ? 1 : 0) - (championRight[i] ? 1 : 0);
      sum += d;
      sumSq += d * d;
      if (candidateRight[i]) cand++;
      if (championRight[i]) champ++;
    }
    double mean = sum / n;
    double variance = Math.max(0, (sumSq - n * mean * mean) / (n - 1));
    return new HoldoutComparison(n, (double) cand / n, (double) champ / n, mean - Z_95_ONE_SIDED * Math.sqrt(variance / n));
  }

  public double difference() {
    return candidateAccuracy - championAccuracy;
  }
}
