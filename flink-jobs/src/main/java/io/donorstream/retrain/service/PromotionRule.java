package io.donorstream.retrain.service;

import io.donorstream.promotion.HoldoutComparison;
import io.donorstream.promotion.LeakageReading;
import io.donorstream.promotion.PromotionGate;
import io.donorstream.promotion.Reason;
import io.donorstream.schema.QualityReport;
import java.util.Set;

/**
 * When a shadow becomes champion, judged on live cells: after {@code minPairedCells} labelled cells
 * both answered (and, for a shadow answering a leakage alarm, once its online sex probe has tested
 * {@code minLeakageCells}: a prequential probe reads too little leakage while it is still learning),
 * the {@link PromotionGate} decides by the reasons the shadow answers, with the paired accuracies
 * and both models' donor-held-out leakage from their latest quality reports. Otherwise it is
 * retired, with the numbers; but while it fails on accuracy at the bound only (its point estimate
 * passes), it waits for more paired cells, up to {@link #UNDECIDED_FACTOR} times the minimum.
 */
public record PromotionRule(long minPairedCells, long minLeakageCells, PromotionGate gate) {
  /** How much longer an undecided shadow may be watched: the bound narrows as the square root of the cells. */
  public static final int UNDECIDED_FACTOR = 4;

  public static PromotionRule defaults() {
    return new PromotionRule(500, 1_000, PromotionGate.defaults(0.01));
  }

  public enum Action { WAIT, PROMOTE, RETIRE }

  public record Verdict(Action action, String reason) {}

  /**
   * @param shadow the shadow's latest quality report (its paired fields set)
   * @param champion the latest report of the champion it was paired with; null when none came yet
   * @param answers the reasons the shadow was trained to answer
   * @param donors donors the shadow knows, for the probe's noise; null when unknown
   */
  public Verdict judge(QualityReport shadow, QualityReport champion, Set<Reason> answers, Double donors) {
    Double bound = shadow.getPairedDifferenceLowerBound();
    if (shadow.getPairedCells() < minPairedCells || bound == null) {
      return new Verdict(Action.WAIT, String.format("%,d of %,d paired labelled cells", shadow.getPairedCells(), minPairedCells));
    }
    if (answers.contains(Reason.LEAKAGE) && shadow.getSexProbeCells() < minLeakageCells) {
      return new Verdict(Action.WAIT, String.format("%,d of %,d labelled cells for its sex probe to settle", shadow.getSexProbeCells(),
          minLeakageCells));
    }
    HoldoutComparison c = new HoldoutComparison((int) shadow.getPairedCells(), shadow.getPairedShadowAccuracy(),
        shadow.getPairedChampionAccuracy(), bound);
    PromotionGate.Verdict v = gate.judge(answers, c, reading(shadow), champion == null ? LeakageReading.NONE : reading(champion), donors);
    String numbers = v.text().replaceFirst("labelled cells both answered", "labelled live cells both answered") + " (champion v"
        + shadow.getPairedChampionVersion() + ", online probes)";
    if (v.pass()) return new Verdict(Action.PROMOTE, "promoted from shadow: " + numbers);
    if (v.undecided() && shadow.getPairedCells() < UNDECIDED_FACTOR * minPairedCells) {
      return new Verdict(Action.WAIT, String.format("undecided at %,d paired cells (the point passes, the bound does not): watching up to %,d;"
          + " %s", shadow.getPairedCells(), UNDECIDED_FACTOR * minPairedCells, v.text()));
    }
    return new Verdict(Action.RETIRE, "retired from shadow: " + numbers);
  }

  /** A quality report's donor-held-out leakage as a reading. */
  public static LeakageReading reading(QualityReport q) {
    return new LeakageReading(q.getSexLeakageGrouped(), q.getSexLeakageGroupedSe(), q.getSexProbeDonors(), q.getSexProbeCells());
  }
}
