package io.donorstream.eval;

/**
 * Multi-class metrics from true and predicted class indices: accuracy, macro and weighted F1,
 * balanced accuracy (mean recall over classes present), per-class precision/recall/F1 and the
 * confusion matrix (rows true, columns predicted).
 */
public record ClassificationMetrics(
    double accuracy,
    double macroF1,
    double weightedF1,
    double balancedAccuracy,
    double[] precision,
    double[] recall,
    double[] f1,
    int[] support,
    int[][] confusion) {

  public static ClassificationMetrics of(int[] truth, int[] predicted, int classes) {
    int[][] cm = new int[classes][classes];
    for (int i = 0; i < truth.length; i++) cm[truth[i]][predicted[i]]++;
    return fromConfusion(cm);
  }

  /** The same metrics from a confusion matrix (rows true, columns predicted), for counts kept while cells stream past. */
  public static ClassificationMetrics fromConfusion(int[][] cm) {
    int classes = cm.length;
    int correct = 0;
    int n = 0;
    for (int t = 0; t < classes; t++) {
      correct += cm[t][t];
      for (int q = 0; q < classes; q++) n += cm[t][q];
    }
    double[] p = new double[classes];
    double[] r = new double[classes];
    double[] f = new double[classes];
    int[] support = new int[classes];
    int[] predictedCount = new int[classes];
    for (int t = 0; t < classes; t++) {
      for (int q = 0; q < classes; q++) {
        support[t] += cm[t][q];
        predictedCount[q] += cm[t][q];
      }
    }
    double macro = 0;
    double weighted = 0;
    double recallSum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      p[c] = predictedCount[c] == 0 ? 0 : (double) cm[c][c] / predictedCount[c];
      r[c] = support[c] == 0 ? 0 : (double) cm[c][c] / support[c];
      f[c] = p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
      if (support[c] > 0) {
        macro += f[c];
        recallSum += r[c];
        present++;
      }
      weighted += f[c] * support[c];
    }
    return new ClassificationMetrics(n == 0 ? 0 : (double) correct / n, present == 0 ? 0 : macro / present,
        n == 0 ? 0 : weighted / n, present == 0 ? 0 : recallSum / present, p, r, f, support, cm);
  }

  /** The most frequent class (the lowest of tied ones). */
  public static int majorityClass(int[] truth, int classes) {
    int[] counts = new int[classes];
    for (int t : truth) counts[t]++;
    int major = 0;
    for (int c = 1; c < classes; c++) if (counts[c] > counts[major]) major = c;
    return major;
  }

  /** Accuracy of always predicting the most frequent training class. */
  public static double majorityBaseline(int[] trainTruth, int[] testTruth, int classes) {
    int major = majorityClass(trainTruth, classes);
    int hit = 0;
    for (int t : testTruth) if (t == major) hit++;
    return testTruth.length == 0 ? 0 : (double) hit / testTruth.length;
  }
}
