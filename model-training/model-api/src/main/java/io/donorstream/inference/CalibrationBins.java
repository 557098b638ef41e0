package io.donorstream.inference;

/**
 * Top-1 confidences and outcomes in equal-width bins, for the expected calibration error
 * (Guo et al. 2017: the share-weighted gap between mean confidence and accuracy per bin).
 * Mergeable, so windows and partitions can be summed.
 */
public final class CalibrationBins implements java.io.Serializable {
  public static final int BINS = 10;

  private final long[] count = new long[BINS];
  private final long[] correct = new long[BINS];
  private final double[] confidenceSum = new double[BINS];

  public void add(double confidence, boolean right) {
    int b = bin(confidence);
    count[b]++;
    if (right) correct[b]++;
    confidenceSum[b] += confidence;
  }

  public void merge(CalibrationBins other) {
    for (int b = 0; b < BINS; b++) {
      count[b] += other.count[b];
      correct[b] += other.correct[b];
      confidenceSum[b] += other.confidenceSum[b];
    }
  }

  public long total() {
    long n = 0;
    for (long c : count) n += c;
    return n;
  }

  /** Null when nothing was added. */
  public Double expectedCalibrationError() {
    long n = total();
    if (n == 0) return null;
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      if (count[b] == 0) continue;
      ece += Math.abs(confidenceSum[b] / count[b] - (double) correct[b] / count[b]) * count[b] / n;
    }
    return ece;
  }

  public static Double ece(float[] confidence, boolean[] right) {
    CalibrationBins bins = new CalibrationBins();
    for (int i = 0; i < confidence.length; i++) bins.add(confidence[i], right[i]);
    return bins.expectedCalibrationError();
  }

  private static int bin(double confidence) {
    return Math.min(BINS - 1, Math.max(0, (int) (confidence * BINS)));
  }
}
