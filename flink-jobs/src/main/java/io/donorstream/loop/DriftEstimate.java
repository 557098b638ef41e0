package io.donorstream.loop;

import io.donorstream.schema.QualityReport;
import java.util.List;
import java.util.Locale;

/**
 * How the label-free estimates saw the drift: the drift's champion before it (the mean of its last
 * three windows that ended before the drift began) and in the first window wholly inside it, for the
 * open-set estimate (CBPE times the share of cells from known donors), plain CBPE and the truth.
 *
 * @param before {open-set, plain CBPE, accuracy} before the drift; NaN where a window had none
 * @param first the same in the drift's first window
 */
record DriftEstimate(String version, double[] before, double[] first) {

  /** Null until the drift's first window of {@code version} has closed. */
  static DriftEstimate of(List<QualityReport> reports, String version, long driftStartMillis) {
    List<QualityReport> mine = reports.stream().filter(q -> "champion".equals(q.getRole()) && q.getModelVersion().equals(version)).toList();
    List<QualityReport> before = mine.stream().filter(q -> q.getWindowEnd().toEpochMilli() <= driftStartMillis).toList();
    QualityReport first = mine.stream().filter(q -> q.getWindowStart().toEpochMilli() >= driftStartMillis).findFirst().orElse(null);
    if (first == null || before.isEmpty()) return null;
    List<QualityReport> last = before.subList(Math.max(0, before.size() - 3), before.size());
    return new DriftEstimate(version, new double[] {mean(last, 0), mean(last, 1), mean(last, 2)},
        new double[] {value(first, 0), value(first, 1), value(first, 2)});
  }

  /** The open-set estimate fell by more than {@code drop} from before the drift to its first window. */
  boolean fellBy(double drop) {
    return first[0] < before[0] - drop;
  }

  String describe() {
    return String.format(Locale.ROOT, "label-free, v%s's open-set CBPE went %.3f -> %.3f in the drift's first window (plain CBPE %.3f -> %.3f;"
        + " the truth %.3f -> %.3f)", version, before[0], first[0], before[1], first[1], before[2], first[2]);
  }

  private static double mean(List<QualityReport> qs, int what) {
    return qs.stream().mapToDouble(q -> value(q, what)).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
  }

  private static double value(QualityReport q, int what) {
    Double v = what == 0 ? q.getEstimatedAccuracy() : what == 1 ? q.getEstimatedAccuracyCbpe() : q.getAccuracy();
    return v == null ? Double.NaN : v;
  }
}
