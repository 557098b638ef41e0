package io.donorstream.quality;

import io.donorstream.inference.DonorNovelty;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns a window's counts into metrics, with what the model knows (donors, sexes, calibration). */
public final class QualityReportMaker {
  private QualityReportMaker() {}

  public static QualitySnapshot make(QualityStats s, ModelInfo model, long windowStart, long windowEnd) {
    Double accuracy = s.labelled == 0 ? null : (double) s.correct / s.labelled;
    Double cbpe = estimatedAccuracy(s, model);
    DonorNovelty.Share share = unknownShare(s, model);
    // Open-set CBPE: a cell of a donor the model does not know cannot be named right, however
    // confident the answer; CBPE alone is blind to them (their answers are confident too). The share's
    // one-sided 95 % lower bound is taken off, so that its noise alone does not pull the estimate down.
    Double estimated = cbpe == null || share == null ? cbpe : Double.valueOf(cbpe * (1 - share.lowerBound()));
    return new QualitySnapshot(model.name(), model.version(), windowStart, windowEnd, s.predictions, s.labelled, accuracy,
        macroF1(s), balancedAccuracy(s), shares(s.perCellType), shares(s.perSex), sexGap(s), crossSexErrorRate(s, model),
        s.predictions == 0 ? null : (double) s.unknownFlags / s.predictions, unseenShare(s, model),
        s.predictions == 0 ? null : s.confidenceSum / s.predictions, s.calibration.expectedCalibrationError(), estimated,
        estimated == null || accuracy == null ? null : estimated - accuracy, psi(s.cellTypeCounts, model.cellTypeMix()), cbpe,
        share == null ? null : share.share(), share == null ? null : share.standardError());
  }

  /** F1 averaged over every donor that was the truth or the answer (scikit-learn's macro F1). */
  static Double macroF1(QualityStats s) {
    if (s.labelled == 0) return null;
    double sum = 0;
    int classes = 0;
    for (long[] c : s.perDonor.values()) {
      long fp = c[QualityStats.FP_FEMALE] + c[QualityStats.FP_MALE] + c[QualityStats.FP_UNKNOWN];
      long tp = c[QualityStats.TP];
      double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
      double recall = tp + c[QualityStats.FN] == 0 ? 0 : (double) tp / (tp + c[QualityStats.FN]);
      sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      classes++;
    }
    return sum / classes;
  }

  /** Recall averaged over the donors that were the truth. */
  static Double balancedAccuracy(QualityStats s) {
    double sum = 0;
    int classes = 0;
    for (long[] c : s.perDonor.values()) {
      long support = c[QualityStats.TP] + c[QualityStats.FN];
      if (support == 0) continue;
      sum += (double) c[QualityStats.TP] / support;
      classes++;
    }
    return classes == 0 ? null : sum / classes;
  }

  private static Double sexGap(QualityStats s) {
    long[] f = s.perSex.get("female");
    long[] m = s.perSex.get("male");
    if (f == null || m == null) return null;
    return (double) f[1] / f[0] - (double) m[1] / m[0];
  }

  /** Same definition as training's {@code cross_sex_error_rate}: among errors where both sexes are known. */
  private static Double crossSexErrorRate(QualityStats s, ModelInfo model) {
    long errors = 0;
    long cross = 0;
    for (Map.Entry<String, long[]> e : s.perDonor.entrySet()) {
      String predictedSex = model.donorSex().get(e.getKey());
      if (predictedSex == null) continue;
      long[] c = e.getValue();
      errors += c[QualityStats.FP_FEMALE] + c[QualityStats.FP_MALE];
      cross += "female".equals(predictedSex) ? c[QualityStats.FP_MALE] : c[QualityStats.FP_FEMALE];
    }
    return errors == 0 ? null : (double) cross / errors;
  }

  private static Double unseenShare(QualityStats s, ModelInfo model) {
    if (s.labelled == 0 || !model.hasDonors()) return null;
    long unseen = 0;
    for (Map.Entry<String, long[]> e : s.perDonor.entrySet()) {
      if (!model.knows(e.getKey())) unseen += e.getValue()[QualityStats.TP] + e.getValue()[QualityStats.FN];
    }
    return (double) unseen / s.labelled;
  }

  private static DonorNovelty.Share unknownShare(QualityStats s, ModelInfo model) {
    if (model.novelty() == null || s.noveltyCells == 0) return null;
    double mean = s.noveltySum / s.noveltyCells;
    double sd = s.noveltyCells < 2 ? Double.NaN
        : Math.sqrt(Math.max(0, (s.noveltySquares - s.noveltyCells * mean * mean) / (s.noveltyCells - 1)));
    return model.novelty().unknownShare(s.noveltyCells, mean, sd);
  }

  private static Double estimatedAccuracy(QualityStats s, ModelInfo model) {
    if (model.calibration() == null || s.predictions == 0) return null;
    double sum = 0;
    for (int b = 0; b < QualityStats.CONFIDENCE_BINS; b++) {
      if (s.confidenceHistogram[b] > 0) sum += s.confidenceHistogram[b] * model.calibration().apply(QualityStats.binCenter(b));
    }
    return sum / s.predictions;
  }

  /** Population stability index, sum of (p - q) ln(p / q) over cell types, shares floored at 1e-4. */
  static Double psi(Map<String, Long> counts, Map<String, Double> reference) {
    if (reference.isEmpty() || counts.isEmpty()) return null;
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    Set<String> types = new HashSet<>(counts.keySet());
    types.addAll(reference.keySet());
    double psi = 0;
    for (String t : types) {
      double p = Math.max(1e-4, (double) counts.getOrDefault(t, 0L) / total);
      double q = Math.max(1e-4, reference.getOrDefault(t, 0.0));
      psi += (p - q) * Math.log(p / q);
    }
    return psi;
  }

  private static Map<String, Double> shares(Map<String, long[]> m) {
    Map<String, Double> out = new TreeMap<>();
    m.forEach((k, c) -> out.put(k, (double) c[1] / c[0]));
    return out;
  }
}
