package io.donorstream.quality;

import java.io.Serializable;

/**
 * Scores of a binary probe against the truth over the recent past (fading): balanced accuracy at
 * 0.5 and the area under the ROC curve, from score histograms per class (Mann-Whitney over bins;
 * ties within a bin count half).
 */
public final class BinaryScores implements Serializable {
  static final int BINS = 100;

  private final double factor;
  private final double[] positives = new double[BINS];
  private final double[] negatives = new double[BINS];
  private double positiveWeight;
  private double negativeWeight;
  private double truePositive;
  private double trueNegative;

  public BinaryScores(double factor) {
    this.factor = factor;
  }

  public void add(double score, boolean positive) {
    for (int b = 0; b < BINS; b++) {
      positives[b] *= factor;
      negatives[b] *= factor;
    }
    positiveWeight *= factor;
    negativeWeight *= factor;
    truePositive *= factor;
    trueNegative *= factor;
    int bin = Math.min(BINS - 1, Math.max(0, (int) (score * BINS)));
    if (positive) {
      positives[bin]++;
      positiveWeight++;
      if (score >= 0.5) truePositive++;
    } else {
      negatives[bin]++;
      negativeWeight++;
      if (score < 0.5) trueNegative++;
    }
  }

  /** Null until both classes were seen. */
  public Double balancedAccuracy() {
    if (positiveWeight == 0 || negativeWeight == 0) return null;
    return (truePositive / positiveWeight + trueNegative / negativeWeight) / 2;
  }

  public Double auc() {
    if (positiveWeight == 0 || negativeWeight == 0) return null;
    double below = 0;
    double sum = 0;
    for (int b = 0; b < BINS; b++) {
      sum += positives[b] * (below + negatives[b] / 2);
      below += negatives[b];
    }
    return sum / (positiveWeight * negativeWeight);
  }
}
