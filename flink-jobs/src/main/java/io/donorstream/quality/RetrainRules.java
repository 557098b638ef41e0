package io.donorstream.quality;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * When to ask for a new model. Each rule must hold for {@code windows} evaluations in a row to fire,
 * and after firing must fail as many times in a row before it can fire again (hysteresis); drift
 * fires on detection. After any request, none follows within {@code cooldownMs} of event time.
 * A threshold that is NaN switches its rule off.
 */
public final class RetrainRules implements Serializable {

  /**
   * @param accuracyFloor fire when labelled accuracy is below this
   * @param leakageCeiling fire when donor-held-out sex leakage (balanced accuracy - 0.5) is above this
   * @param challengerMargin fire when the online challenger's accuracy beats the champion's by this
   * @param unseenDonorShare fire when more than this share of labels name donors the model never saw
   * @param psiCeiling fire when the cell-type mix's population stability index against training's
   *     is above this (0.25 is the usual "significant shift")
   * @param onDrift fire when the drift detector cuts the champion's error stream upwards
   */
  public record Settings(double accuracyFloor, double leakageCeiling, double challengerMargin, double unseenDonorShare,
      double psiCeiling, boolean onDrift, int windows, long cooldownMs) implements Serializable {
    public static Settings defaults() {
      return new Settings(Double.NaN, 0.2, 0.1, 0.2, 0.25, true, 3, 10 * 60_000L);
    }
  }

  /**
   * What the rules look at, once per evaluation. Null metrics make their rules hold their state.
   *
   * @param driftReason what drifted, when {@code driftDetected}
   */
  public record Observation(long eventTime, Double accuracy, Double groupedLeakage, Double challengerAccuracy,
      Double championAccuracy, Double unseenDonorShare, Double cellTypePsi, boolean driftDetected, String driftReason) {}

  private final Settings settings;
  private final Rule accuracy = new Rule();
  private final Rule leakage = new Rule();
  private final Rule challenger = new Rule();
  private final Rule unseen = new Rule();
  private final Rule mix = new Rule();
  private long lastRequest = Long.MIN_VALUE;
  private long requests;

  public RetrainRules(Settings settings) {
    this.settings = settings;
  }

  /** The reasons to retrain now, joined; null when no request is due. */
  public String evaluate(Observation o) {
    // Rules do not count during a cooldown: afterwards each must hold for its full run again.
    if (lastRequest != Long.MIN_VALUE && o.eventTime() - lastRequest < settings.cooldownMs()) return null;
    List<String> reasons = new ArrayList<>();
    if (settings.onDrift() && o.driftDetected()) reasons.add(o.driftReason() != null ? o.driftReason() : "drift");
    check(accuracy, o.accuracy(), settings.accuracyFloor(), v -> v < settings.accuracyFloor(),
        v -> String.format("accuracy %.3f below floor %.3f", v, settings.accuracyFloor()), reasons);
    check(leakage, o.groupedLeakage(), settings.leakageCeiling(), v -> v > settings.leakageCeiling(),
        v -> String.format("donor-held-out sex leakage %.3f above ceiling %.3f", v, settings.leakageCeiling()), reasons);
    Double lead = o.challengerAccuracy() == null || o.championAccuracy() == null ? null : o.challengerAccuracy() - o.championAccuracy();
    check(challenger, lead, settings.challengerMargin(), v -> v > settings.challengerMargin(),
        v -> String.format("online challenger ahead of the champion by %.3f (margin %.3f)", v, settings.challengerMargin()), reasons);
    check(unseen, o.unseenDonorShare(), settings.unseenDonorShare(), v -> v > settings.unseenDonorShare(),
        v -> String.format("%.0f%% of labels name donors the model never saw (limit %.0f%%)", 100 * v, 100 * settings.unseenDonorShare()), reasons);
    check(mix, o.cellTypePsi(), settings.psiCeiling(), v -> v > settings.psiCeiling(),
        v -> String.format("cell-type mix shifted from training's (PSI %.3f above %.3f)", v, settings.psiCeiling()), reasons);
    if (reasons.isEmpty()) return null;
    lastRequest = o.eventTime();
    requests++;
    return String.join("; ", reasons);
  }

  public long requests() {
    return requests;
  }

  private void check(Rule rule, Double value, double threshold, java.util.function.DoublePredicate breached,
      java.util.function.DoubleFunction<String> describe, List<String> reasons) {
    if (Double.isNaN(threshold) || value == null) return;
    if (rule.step(breached.test(value), settings.windows())) reasons.add(describe.apply(value));
  }

  private static final class Rule implements Serializable {
    private int streak;
    private boolean armed = true;

    /** True when the rule fires on this evaluation. */
    boolean step(boolean breached, int windows) {
      if (breached == armed) {
        streak++;
      } else {
        streak = 0;
      }
      if (streak < windows) return false;
      streak = 0;
      armed = !armed;
      return !armed;
    }
  }
}
