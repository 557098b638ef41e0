package io.donorstream.service;

import io.donorstream.retrain.HoldoutComparison;
import io.donorstream.schema.QualityReport;

/**
 * When a shadow becomes champion: after {@code minPairedCells} labelled live cells that both
 * answered, only if the one-sided 95 % lower bound on (shadow − champion) accuracy exceeds {@code
 * margin} and the shadow's online donor-grouped sex leakage is not above the champion's beyond
 * {@code leakageTolerance} (or the probe's donor-level noise, if larger). Otherwise it is retired,
 * with the numbers.
 */
public record PromotionRule(long minPairedCells, double margin, double leakageTolerance) {
  public static PromotionRule defaults() {
    return new PromotionRule(500, 0.01, 0.02);
  }

  public enum Action { WAIT, PROMOTE, RETIRE }

  public record Verdict(Action action, String reason) {}

  /**
   * @param shadow the shadow's latest quality report (its paired fields set)
   * @param champion the latest report of the champion it was paired with; null when none came yet
   * @param donors donors the shadow knows, for the probe's noise; null when unknown
   */
  public Verdict judge(QualityReport shadow, QualityReport champion, Double donors) {
    Double bound = shadow.getPairedDifferenceLowerBound();
    if (shadow.getPairedCells() < minPairedCells || bound == null) {
      return new Verdict(Action.WAIT, String.format("%,d of %,d paired labelled cells", shadow.getPairedCells(), minPairedCells));
    }
    double tolerance = HoldoutComparison.leakageTolerance(leakageTolerance, donors);
    Double shadowLeak = shadow.getSexLeakageGrouped();
    Double championLeak = champion == null ? null : champion.getSexLeakageGrouped();
    boolean leaksMore = shadowLeak != null && championLeak != null && shadowLeak > championLeak + tolerance;
    boolean better = bound > margin;
    String numbers = String.format("on %,d labelled live cells both answered: shadow %.3f, champion v%s %.3f, difference 95%% lower bound"
        + " %+.3f (margin %.3f); online donor-grouped sex leakage %s vs %s (tolerance %.3f)", shadow.getPairedCells(),
        shadow.getPairedShadowAccuracy(), shadow.getPairedChampionVersion(), shadow.getPairedChampionAccuracy(), bound, margin, fmt(shadowLeak),
        fmt(championLeak), tolerance);
    if (better && !leaksMore) return new Verdict(Action.PROMOTE, "promoted from shadow: " + numbers);
    return new Verdict(Action.RETIRE, "retired from shadow: " + (leaksMore ? "it leaks more sex; " : "not better with confidence; ") + numbers);
  }

  private static String fmt(Double v) {
    return v == null ? "n/a" : String.format("%.3f", v);
  }
}
