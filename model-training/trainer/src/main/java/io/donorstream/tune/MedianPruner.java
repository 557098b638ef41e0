package io.donorstream.tune;

import java.util.List;

/**
 * Stops a trial whose validation curve falls below the median of the finished trials, after Optuna's
 * MedianPruner (maximising). At 1-based {@code step}:
 * <ul>
 *   <li>never prune while {@code step <= warmupSteps}: early epochs are too noisy to judge;</li>
 *   <li>never prune while fewer than {@code startupTrials} COMPLETE trials reported a value at this step:
 *       a median of one or two curves says little;</li>
 *   <li>otherwise prune when {@code value} is below the median, over those trials, of their best value up
 *       to this step (so a finished trial whose curve dipped at this step still counts at its best), or
 *       when {@code value} is NaN.</li>
 * </ul>
 * Optuna instead compares the running trial's best-so-far with the completed trials' values at exactly
 * this step; to be as lenient as it is, pass your trial's best-so-far as {@code value}.
 */
public final class MedianPruner {
  public static final int DEFAULT_STARTUP_TRIALS = 5;
  public static final int DEFAULT_WARMUP_STEPS = 3;

  private final int startupTrials;
  private final int warmupSteps;

  public MedianPruner() { this(DEFAULT_STARTUP_TRIALS, DEFAULT_WARMUP_STEPS); }

  public MedianPruner(int startupTrials, int warmupSteps) {
    if (startupTrials < 1) throw new IllegalArgumentException("startupTrials must be >= 1, got " + startupTrials);
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    this.startupTrials = startupTrials;
    this.warmupSteps = warmupSteps;
  }

  public boolean shouldPrune(int step, double value, List<Trial> history) {
    if (step < 1) throw new IllegalArgumentException("step is 1-based, got " + step);
    if (step <= warmupSteps) return false;
    double[] bests = history.stream()
        .filter(t -> t.state() == Trial.State.COMPLETE && t.intermediate().size() >= step)
        .mapToDouble(t -> bestUpTo(t.intermediate(), step))
        .filter(v -> !Double.isNaN(v))
        .sorted().toArray();
    if (bests.length < startupTrials) return false;
    return Double.isNaN(value) || value < median(bests);
  }

  // NaN epochs are skipped, as numpy's nanmax does in Optuna.
  private static double bestUpTo(List<Double> curve, int step) {
    return curve.subList(0, step).stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
  }

  private static double median(double[] sorted) {
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
  }

  @Override
  public String toString() { return "MedianPruner[startupTrials=" + startupTrials + ", warmupSteps=" + warmupSteps + "]"; }
}
