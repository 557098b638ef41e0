package io.donorstream.quality;

import io.donorstream.inference.CalibrationBins;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts over a window (or since the start) of one model version, from which every quality metric
 * follows. Model-agnostic on purpose: what needs the model (its donors, their sexes, its
 * calibration) is applied when a report is made ({@link QualityReportMaker}), so windows can be
 * summed and merged without it.
 */
public final class QualityStats implements Serializable {
  /** Confidence histogram resolution for the label-free estimate: calibration is applied per bin. */
  static final int CONFIDENCE_BINS = 200;

  // Per true or predicted donor: [right, missed (true donor, wrong answer), wrongly named with the
  // true cell female, ... male, ... of unknown sex].
  static final int TP = 0, FN = 1, FP_FEMALE = 2, FP_MALE = 3, FP_UNKNOWN = 4;

  long predictions;
  long labelled;
  long correct;
  long unknownFlags;
  double confidenceSum;
  long minEventTime = Long.MAX_VALUE;
  long maxEventTime = Long.MIN_VALUE;
  final long[] confidenceHistogram = new long[CONFIDENCE_BINS];
  final Map<String, long[]> perDonor = new HashMap<>();
  /** Per cell type: [labelled, right]. */
  final Map<String, long[]> perCellType = new HashMap<>();
  /** Per sex: [labelled, right]. */
  final Map<String, long[]> perSex = new HashMap<>();
  /** Per cell type: predictions (labelled or not), for the cell-type mix. */
  final Map<String, Long> cellTypeCounts = new HashMap<>();
  final CalibrationBins calibration = new CalibrationBins();
  /** Novelty of the predictions that carry one: count, sum, sum of squares. */
  long noveltyCells;
  double noveltySum;
  double noveltySquares;

  public void add(Outcome o) {
    minEventTime = Math.min(minEventTime, o.eventTime());
    maxEventTime = Math.max(maxEventTime, o.eventTime());
    if (o.counted()) {
      predictions++;
      if (o.unknownDonor()) unknownFlags++;
      confidenceSum += o.confidence();
      confidenceHistogram[confidenceBin(o.confidence())]++;
      cellTypeCounts.merge(o.cellType(), 1L, Long::sum);
      if (Float.isFinite(o.novelty())) {
        noveltyCells++;
        noveltySum += o.novelty();
        noveltySquares += (double) o.novelty() * o.novelty();
      }
    }
    if (!o.labelled()) return;
    labelled++;
    boolean right = o.correct();
    if (right) correct++;
    if (right) {
      donor(o.trueDonor())[TP]++;
    } else {
      donor(o.trueDonor())[FN]++;
      donor(o.predictedDonor())[o.sex() == null ? FP_UNKNOWN : "female".equals(o.sex()) ? FP_FEMALE : FP_MALE]++;
    }
    bump(perCellType, o.cellType(), right);
    if (o.sex() != null) bump(perSex, o.sex(), right);
    calibration.add(o.confidence(), right);
  }

  public QualityStats merge(QualityStats other) {
    predictions += other.predictions;
    labelled += other.labelled;
    correct += other.correct;
    unknownFlags += other.unknownFlags;
    noveltyCells += other.noveltyCells;
    noveltySum += other.noveltySum;
    noveltySquares += other.noveltySquares;
    confidenceSum += other.confidenceSum;
    minEventTime = Math.min(minEventTime, other.minEventTime);
    maxEventTime = Math.max(maxEventTime, other.maxEventTime);
    for (int b = 0; b < CONFIDENCE_BINS; b++) confidenceHistogram[b] += other.confidenceHistogram[b];
    other.perDonor.forEach((k, v) -> addAll(perDonor.computeIfAbsent(k, x -> new long[5]), v));
    other.perCellType.forEach((k, v) -> addAll(perCellType.computeIfAbsent(k, x -> new long[2]), v));
    other.perSex.forEach((k, v) -> addAll(perSex.computeIfAbsent(k, x -> new long[2]), v));
    other.cellTypeCounts.forEach((k, v) -> cellTypeCounts.merge(k, v, Long::sum));
    calibration.merge(other.calibration);
    return this;
  }

  public long predictions() {
    return predictions;
  }

  public long labelled() {
    return labelled;
  }

  static int confidenceBin(double c) {
    return Math.min(CONFIDENCE_BINS - 1, Math.max(0, (int) (c * CONFIDENCE_BINS)));
  }

  static double binCenter(int b) {
    return (b + 0.5) / CONFIDENCE_BINS;
  }

  private long[] donor(String d) {
    return perDonor.computeIfAbsent(d, k -> new long[5]);
  }

  private static void bump(Map<String, long[]> m, String key, boolean right) {
    long[] c = m.computeIfAbsent(key, k -> new long[2]);
    c[0]++;
    if (right) c[1]++;
  }

  private static void addAll(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) into[i] += from[i];
  }
}
