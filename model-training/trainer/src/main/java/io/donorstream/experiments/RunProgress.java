package io.donorstream.experiments;

import io.donorstream.progress.Progress;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a many-run experiment stands and when it will end: the estimate for a run not done yet is
 * the mean time of the same variant's finished runs (the variants differ by 10x in cost), else the
 * mean of all finished runs.
 */
final class RunProgress {
  private final int total;
  private final long startNanos = System.nanoTime();
  private final Map<String, double[]> secondsByVariant = new HashMap<>();
  private double allSeconds;
  private int done;
  private String current = "";

  RunProgress(int total) {
    this.total = total;
  }

  void start(String variant, long seed) {
    current = String.format("[run %d/%d %s seed %d]", done + 1, total, variant, seed);
  }

  void finish(String variant, double seconds) {
    double[] s = secondsByVariant.computeIfAbsent(variant, k -> new double[2]);
    s[0] += seconds;
    s[1]++;
    allSeconds += seconds;
    done++;
  }

  /** The prefix of every line a run logs, e.g. "[run 3/12 multimodal seed 2]". */
  String prefix() {
    return current;
  }

  /** Estimated seconds left for the given variants still to run; NaN before the first run finishes. */
  double etaSeconds(Iterable<String> remainingVariants) {
    if (done == 0) return Double.NaN;
    double eta = 0;
    for (String v : remainingVariants) {
      double[] s = secondsByVariant.get(v);
      eta += s == null ? allSeconds / done : s[0] / s[1];
    }
    return eta;
  }

  String summary(Iterable<String> remainingVariants) {
    double eta = etaSeconds(remainingVariants);
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    return String.format("progress: %d/%d runs done, %s elapsed, ETA %s", done, total, Progress.clock(elapsed), Double.isNaN(eta) ? "after the first run" : Progress.clock(eta));
  }
}
