package io.donorstream.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chance that a top-1 prediction is right, as a function of its confidence, learned on the
 * validation split by isotonic regression (pool-adjacent-violators) and read with linear
 * interpolation between knots, as scikit-learn's {@code IsotonicRegression} does. A monitor that
 * averages calibrated confidences over a window estimates accuracy without labels (NannyML's CBPE).
 * Stored in the model manifest; public fields so that it reads and writes as JSON.
 */
public final class ConfidenceCalibration implements java.io.Serializable {
  public static final String ISOTONIC = "isotonic";

  public String method = ISOTONIC;
  /** Knot confidences, ascending. */
  public float[] confidence;
  /** Accuracy at each knot, non-decreasing. */
  public float[] accuracy;
  /** Validation cells it was fitted on. */
  public int n;

  public static ConfidenceCalibration fit(float[] confidence, boolean[] correct) {
    if (confidence.length != correct.length || confidence.length == 0) {
      throw new IllegalArgumentException("calibration needs one correctness flag per confidence, and at least one cell");
    }
    Integer[] order = new Integer[confidence.length];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Float.compare(confidence[a], confidence[b]));
    // Blocks of pooled points: [sum of y, weight, lowest x, highest x].
    List<double[]> blocks = new ArrayList<>();
    for (int k : order) {
      blocks.add(new double[] {correct[k] ? 1 : 0, 1, confidence[k], confidence[k]});
      while (blocks.size() > 1) {
        double[] last = blocks.get(blocks.size() - 1);
        double[] prev = blocks.get(blocks.size() - 2);
        if (prev[0] / prev[1] < last[0] / last[1]) break;
        prev[0] += last[0];
        prev[1] += last[1];
        prev[3] = last[3];
        blocks.remove(blocks.size() - 1);
      }
    }
    float[] x = new float[2 * blocks.size()];
    float[] y = new float[2 * blocks.size()];
    int m = 0;
    for (double[] b : blocks) {
      float mean = (float) (b[0] / b[1]);
      x[m] = (float) b[2];
      y[m++] = mean;
      if (b[3] > b[2]) {
        x[m] = (float) b[3];
        y[m++] = mean;
      }
    }
    ConfidenceCalibration c = new ConfidenceCalibration();
    c.confidence = Arrays.copyOf(x, m);
    c.accuracy = Arrays.copyOf(y, m);
    c.n = confidence.length;
    return c;
  }

  /** The calibrated probability of being right at confidence {@code c}. */
  public double apply(double c) {
    if (c <= confidence[0]) return accuracy[0];
    int last = confidence.length - 1;
    if (c >= confidence[last]) return accuracy[last];
    int hi = Arrays.binarySearch(confidence, (float) c);
    if (hi >= 0) return accuracy[hi];
    hi = -hi - 1;
    int lo = hi - 1;
    double t = (c - confidence[lo]) / (confidence[hi] - confidence[lo]);
    return accuracy[lo] + t * (accuracy[hi] - accuracy[lo]);
  }
}
