package io.donorstream.quality;

import java.io.Serializable;

/**
 * The last values a detector saw with their event times, so that a change it detects can be placed
 * in time: the split of the recent values that best separates their means (the two-sample
 * statistic |mean after - mean before| sqrt(n1 n2 / n), as CUSUM change-point estimates do) is when
 * the new regime began. ADWIN says that a change happened; this says where.
 */
final class RecentValues implements Serializable {
  static final int CAPACITY = 4_096;

  private final long[] times = new long[CAPACITY];
  private final float[] values = new float[CAPACITY];
  private long count;

  void add(long eventTime, double value) {
    int i = (int) (count++ % CAPACITY);
    times[i] = eventTime;
    values[i] = (float) value;
  }

  /**
   * When the change among the last {@code span} values began: the event time of the first value
   * after the best split; Long.MIN_VALUE when nothing was seen.
   */
  long changeAt(long span) {
    int n = (int) Math.min(Math.min(span, count), CAPACITY);
    if (n == 0) return Long.MIN_VALUE;
    long first = count - n;
    double total = 0;
    for (long k = first; k < count; k++) total += values[(int) (k % CAPACITY)];
    double before = 0;
    double best = -1;
    long at = first;
    for (int m = 1; m < n; m++) {
      before += values[(int) ((first + m - 1) % CAPACITY)];
      double diff = (total - before) / (n - m) - before / m;
      double score = Math.abs(diff) * Math.sqrt((double) m * (n - m) / n);
      if (score > best) {
        best = score;
        at = first + m;
      }
    }
    return times[(int) (at % CAPACITY)];
  }
}
