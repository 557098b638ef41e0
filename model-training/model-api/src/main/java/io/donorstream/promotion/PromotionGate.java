package io.donorstream.promotion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a new model must show to replace the champion, by the reasons it answers; the one rule both
 * gates apply (the retrainer's on recent held-out cells, the shadow's on live cells both answered).
 * <ul>
 *   <li>A {@link Reason#LEAKAGE} answer must bring donor-held-out sex leakage under the ceiling (either
 *       direction: reading sex backwards is leakage too) and clearly below the champion's, the probes'
 *       donor-level noise accounted for ({@link LeakageReading#clearlyBelow}); it may cost accuracy up
 *       to {@code maxAccuracyCost}: the one-sided 95 % lower bound on (candidate − champion) must stay
 *       above −price. Removing sex must cost accuracy where sex helps tell donors apart (the sex-blind
 *       Bayes rate is below the Bayes rate), so "better with confidence" could never pass.
 *   <li>Every other reason asks for a model better with confidence (the bound above {@code margin})
 *       and no leakier (its leakage not above the champion's beyond the probe's noise).
 *   <li>Leakage with others at once: removing sex is owed, so its price is what the accuracy must
 *       clear; the others are answered by how it is trained (recent cells, new donors).
 * </ul>
 */
public record PromotionGate(double margin, double leakageCeiling, double maxAccuracyCost, double leakageTolerance) {
  /**
   * The price of removing sex, by default: the generator's default sex signal (1.5 noise SDs) costs
   * its Bayes-optimal classifier 0.085-0.10 of accuracy when it may not use sex (seeds 42, 1, 2 of
   * the demo's shape and seed-cns); a trained model pays 0.02-0.05 beyond that, and the 95 % bound
   * over a few hundred paired cells is 0.03-0.05 below the measured cost.
   */
  public static final double DEFAULT_MAX_ACCURACY_COST = 0.2;
  public static final double DEFAULT_LEAKAGE_CEILING = 0.2;

  public static PromotionGate defaults(double margin) {
    return new PromotionGate(margin, DEFAULT_LEAKAGE_CEILING, DEFAULT_MAX_ACCURACY_COST, 0.02);
  }

  public PromotionGate withMargin(double m) {
    return new PromotionGate(m, leakageCeiling, maxAccuracyCost, leakageTolerance);
  }

  public PromotionGate withMaxAccuracyCost(double cost) {
    return new PromotionGate(margin, leakageCeiling, cost, leakageTolerance);
  }

  public PromotionGate withLeakageCeiling(double ceiling) {
    return new PromotionGate(margin, ceiling, maxAccuracyCost, leakageTolerance);
  }

  /**
   * @param pass the candidate may replace the champion; {@code text}: why, with the numbers
   * @param undecided it fails on accuracy alone, and only at the bound: the point estimate passes
   *     (more paired cells would tell)
   */
  public record Verdict(boolean pass, String text, boolean undecided) {}

  /**
   * @param reasons what the candidate answers (empty: judged as {@link Reason#OTHER})
   * @param c both models on the same labelled cells
   * @param donors donors the candidate knows (for the noise of a leakage comparison), or null
   */
  public Verdict judge(Set<Reason> reasons, HoldoutComparison c, LeakageReading candidate, LeakageReading champion, Double donors) {
    boolean leakage = reasons.contains(Reason.LEAKAGE);
    boolean accuracy = !leakage && (reasons.isEmpty() || reasons.stream().anyMatch(Reason::asksForAccuracy));
    List<String> failures = new ArrayList<>();
    String accuracyPart;
    double needed = accuracy ? margin : -maxAccuracyCost;
    boolean pointPasses = c.difference() > needed;
    if (accuracy) {
      accuracyPart = String.format(Locale.ROOT, "better with confidence: 95%% lower bound %+.3f against the margin %.3f", c.lowerBound(), margin);
      if (!(c.lowerBound() > margin)) failures.add("not better with confidence");
    } else {
      boolean affordable = c.lowerBound() > -maxAccuracyCost;
      accuracyPart = String.format(Locale.ROOT, "accuracy cost %s the price: 95%% lower bound %+.3f against -%.3f", affordable ? "within" : "beyond",
          c.lowerBound(), maxAccuracyCost);
      if (!affordable) failures.add("it costs more accuracy than the price");
    }
    double tolerance = HoldoutComparison.leakageTolerance(leakageTolerance, donors);
    String leakagePart;
    if (leakage) {
      leakagePart = String.format(Locale.ROOT, "donor-held-out sex leakage %s against the ceiling %.3f; the champion's %s", candidate,
          leakageCeiling, champion);
      if (!candidate.available() || Math.abs(candidate.leakage()) > leakageCeiling) {
        failures.add("its sex leakage is not under the ceiling");
      } else if (champion.available() && !candidate.clearlyBelow(champion)) {
        failures.add("its sex leakage is not clearly below the champion's");
      }
    } else {
      leakagePart = String.format(Locale.ROOT, "donor-held-out sex leakage %s vs the champion's %s (tolerance %.3f)", candidate, champion, tolerance);
      if (candidate.available() && champion.available() && candidate.leakage() > champion.leakage() + tolerance) failures.add("it leaks more sex");
    }
    boolean undecided = failures.size() == 1 && c.lowerBound() <= needed && pointPasses;
    String answers = reasons.isEmpty() ? "other" : reasons.stream().map(Reason::wire).collect(Collectors.joining(", "));
    String numbers = String.format(Locale.ROOT, "answering [%s] on %,d labelled cells both answered: candidate %.3f, champion %.3f, difference %+.3f; %s;"
        + " %s", answers, c.cells(), c.candidateAccuracy(), c.championAccuracy(), c.difference(), accuracyPart, leakagePart);
    return new Verdict(failures.isEmpty(), failures.isEmpty() ? numbers : String.join("; ", failures) + "; " + numbers, undecided);
  }
}
