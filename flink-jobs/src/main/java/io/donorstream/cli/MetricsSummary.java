package io.donorstream.cli;

import java.util.List;
import java.util.Map;

/** The headline numbers of a training run as a small table. */
final class MetricsSummary {
  private static final List<String> KEYS = List.of("accuracy", "macro_f1", "weighted_f1", "balanced_accuracy",
      "baseline_logreg_accuracy", "baseline_majority_accuracy", "sex_probe_balanced_accuracy", "sex_probe_auc",
      "sex_probe_group_balanced_accuracy", "input_sex_probe_group_balanced_accuracy", "cross_sex_error_rate",
      "test_unknown_donor_rate", "epochs", "best_epoch", "train_seconds");

  private MetricsSummary() {}

  static String format(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("\ntest metrics (" + m.get("model") + ", seed " + m.get("seed") + "):\n");
    for (String k : KEYS) {
      Object v = m.get(k);
      String text = v == null ? "not available" : v instanceof Double d ? String.format("%.4f", d) : String.valueOf(v);
      sb.append(String.format("  %-40s %s%n", k, text));
    }
    if (m.get("sex_metrics_note") != null) sb.append("  note: ").append(m.get("sex_metrics_note")).append('\n');
    return sb.toString();
  }
}
