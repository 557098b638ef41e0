package io.donorstream.quality;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * ADWIN (Bifet and Gavaldà 2007): keeps a window of recent values that it cuts whenever two of its
 * parts have means too different to be one distribution, with the bound and the defaults of River's
 * {@code drift.ADWIN} (delta 0.002, a check every 32 values, 5 buckets per row, sub-windows of at
 * least 5, no check before 10 values). The window lives in an exponential histogram: row {@code i}
 * holds buckets of {@code 2^i} values, so memory is logarithmic in the window's length.
 */
public final class Adwin implements Serializable {
  public static final double DEFAULT_DELTA = 0.002;
  static final int CLOCK = 32;
  static final int MAX_BUCKETS = 5;
  static final int MIN_WINDOW_LENGTH = 5;
  static final int GRACE_PERIOD = 10;

  private final double delta;
  /** Row i: buckets of 2^i values, oldest first; a bucket is {total, variance}. */
  private final List<ArrayDeque<double[]>> rows = new ArrayList<>();
  private long width;
  private double total;
  private double variance;
  private long tick;
  private long detections;
  private boolean lastChangeUp;

  public Adwin() {
    this(DEFAULT_DELTA);
  }

  public Adwin(double delta) {
    this.delta = delta;
    rows.add(new ArrayDeque<>());
  }

  /** Adds a value; true when the window was cut because its mean changed. */
  public boolean update(double value) {
    tick++;
    insert(value);
    return detectChange();
  }

  public double mean() {
    return width == 0 ? 0 : total / width;
  }

  public long width() {
    return width;
  }

  public long detections() {
    return detections;
  }

  /** Whether the last change detected was a rise of the mean (for an error stream: worse). */
  public boolean lastChangeUp() {
    return lastChangeUp;
  }

  private void insert(double value) {
    width++;
    if (width > 1) {
      double d = value - total / (width - 1);
      variance += (width - 1) * d * d / width;
    }
    total += value;
    rows.get(0).addLast(new double[] {value, 0});
    compress();
  }

  private void compress() {
    for (int i = 0; i < rows.size(); i++) {
      ArrayDeque<double[]> row = rows.get(i);
      if (row.size() <= MAX_BUCKETS) return;
      if (i + 1 == rows.size()) rows.add(new ArrayDeque<>());
      double[] a = row.pollFirst();
      double[] b = row.pollFirst();
      double n = size(i);
      double d = a[0] / n - b[0] / n;
      rows.get(i + 1).addLast(new double[] {a[0] + b[0], a[1] + b[1] + n * n * d * d / (2 * n)});
    }
  }

  private boolean detectChange() {
    if (tick % CLOCK != 0 || width <= GRACE_PERIOD) return false;
    boolean changed = false;
    boolean cut = true;
    while (cut) {
      cut = false;
      double n0 = 0;
      double n1 = width;
      double u0 = 0;
      double u1 = total;
      scan:
      for (int i = rows.size() - 1; i >= 0; i--) {
        double n2 = size(i);
        Iterator<double[]> it = rows.get(i).iterator();
        while (it.hasNext()) {
          double[] bucket = it.next();
          n0 += n2;
          n1 -= n2;
          u0 += bucket[0];
          u1 -= bucket[0];
          if (n1 <= 0) break scan;
          double deltaMean = u0 / n0 - u1 / n1;
          if (n0 >= MIN_WINDOW_LENGTH && n1 >= MIN_WINDOW_LENGTH && cutsHere(n0, n1, deltaMean)) {
            lastChangeUp = deltaMean < 0;
            changed = true;
            cut = true;
            dropOldest();
            break scan;
          }
        }
      }
    }
    if (changed) detections++;
    return changed;
  }

  private boolean cutsHere(double n0, double n1, double deltaMean) {
    double deltaPrime = Math.log(2 * Math.log(width) / delta);
    double mRecip = 1.0 / (n0 - MIN_WINDOW_LENGTH + 1) + 1.0 / (n1 - MIN_WINDOW_LENGTH + 1);
    double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime) + 2.0 / 3 * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  private void dropOldest() {
    int last = rows.size() - 1;
    double[] bucket = rows.get(last).pollFirst();
    double n = size(last);
    width -= (long) n;
    total -= bucket[0];
    if (width > 0) {
      double d = bucket[0] / n - total / width;
      variance -= bucket[1] + n * width * d * d / (n + width);
    } else {
      variance = 0;
    }
    variance = Math.max(0, variance);
    if (rows.get(last).isEmpty() && last > 0) rows.remove(last);
  }

  private static double size(int row) {
    return (double) (1L << row);
  }
}
