package io.donorstream.quality;

import io.donorstream.promotion.HoldoutComparison;
import io.donorstream.promotion.LeakageReading;
import io.donorstream.promotion.Reason;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.DoublePredicate;

/**
 * When to ask for a new model, and why ({@link Reason}). Each windowed rule must hold for {@code
 * windows} evaluations in a row to fire; after firing it is re-armed when it has failed as many times
 * in a row (the episode is over: hysteresis) or when its reason's {@code cooldownMs} of event time
 * has passed (the episode goes on: it asks again, as the answer may have failed). Drift fires on
 * detection, at most once per cooldown. A cooldown holds back its own reason only: one alarm never
 * silences another. A threshold that is NaN switches its rule off.
 */
public final class RetrainRules implements Serializable {

  /**
   * @param accuracyFloor fire when labelled accuracy is below this
   * @param leakageCeiling fire when donor-held-out sex leakage (balanced accuracy - 0.5, either direction) is above this
   *     with 95 % confidence (its donor-clustered lower bound is)
   * @param challengerMargin fire when the online challenger's accuracy beats the champion's by this
   * @param unseenDonorShare fire when more than this share of labels name donors the model never saw
   * @param psiCeiling fire when the cell-type mix's population stability index against training's
   *     is above this (0.25 is the usual "significant shift")
   * @param onDrift fire when the drift detector cuts the champion's error stream upwards
   * @param unknownDonorShare label-free: fire when the estimated share of cells from donors the model
   *     does not know is above this with 95 % confidence (its one-sided lower bound is)
   */
  public record Settings(double accuracyFloor, double leakageCeiling, double challengerMargin, double unseenDonorShare,
      double psiCeiling, boolean onDrift, int windows, long cooldownMs, double unknownDonorShare) implements Serializable {
    public static Settings defaults() {
      return new Settings(Double.NaN, 0.2, 0.1, 0.2, 0.25, true, 3, 10 * 60_000L, 0.2);
    }
  }

  /**
   * What the rules look at, once per evaluation. Null metrics make their rules hold their state.
   *
   * @param driftReason what drifted, when {@code driftDetected}
   */
  public record Observation(long eventTime, Double accuracy, LeakageReading leakage, Double challengerAccuracy,
      Double championAccuracy, Double unseenDonorShare, Double cellTypePsi, boolean driftDetected, String driftReason,
      Double unknownDonorShare, Double unknownDonorShareSe) {

    /** Without the label-free estimate. */
    public Observation(long eventTime, Double accuracy, LeakageReading leakage, Double challengerAccuracy, Double championAccuracy,
        Double unseenDonorShare, Double cellTypePsi, boolean driftDetected, String driftReason) {
      this(eventTime, accuracy, leakage, challengerAccuracy, championAccuracy, unseenDonorShare, cellTypePsi, driftDetected, driftReason,
          null, null);
    }
  }

  /** The reasons that fired together, machine-readable, and in words (one clause each, joined by "; "). */
  public record Fired(List<Reason> kinds, String text) implements Serializable {}

  private final Settings settings;
  private final Map<Reason, Rule> rules = new EnumMap<>(Reason.class);
  private final Map<Reason, Long> lastFired = new EnumMap<>(Reason.class);
  private long requests;

  public RetrainRules(Settings settings) {
    this.settings = settings;
    for (Reason r : Reason.values()) rules.put(r, new Rule());
  }

  /** The reasons to retrain now; null when none is due. */
  public Fired evaluate(Observation o) {
    List<Reason> kinds = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    if (settings.onDrift() && o.driftDetected() && !cooling(Reason.DRIFT, o.eventTime())) {
      kinds.add(Reason.DRIFT);
      texts.add(o.driftReason() != null ? o.driftReason() : "drift");
    }
    check(Reason.ACCURACY, o, o.accuracy(), settings.accuracyFloor(), v -> v < settings.accuracyFloor(),
        v -> String.format("accuracy %.3f below floor %.3f", v, settings.accuracyFloor()), kinds, texts);
    // Evidence of leakage: its size's lower bound above the ceiling (no standard error, too few donors: no evidence).
    LeakageReading leak = o.leakage();
    Double leakBound = leak == null ? null : leak.lowerBound();
    check(Reason.LEAKAGE, o, leakBound, settings.leakageCeiling(), v -> v > settings.leakageCeiling(),
        v -> String.format("donor-held-out sex leakage %.3f above ceiling %.3f (95%% bound %.3f, %d donors)", leak.leakage(),
            settings.leakageCeiling(), v, leak.donors()), kinds, texts);
    Double lead = o.challengerAccuracy() == null || o.championAccuracy() == null ? null : o.challengerAccuracy() - o.championAccuracy();
    check(Reason.CHALLENGER, o, lead, settings.challengerMargin(), v -> v > settings.challengerMargin(),
        v -> String.format("online challenger ahead of the champion by %.3f (margin %.3f)", v, settings.challengerMargin()), kinds, texts);
    check(Reason.UNSEEN_DONORS, o, o.unseenDonorShare(), settings.unseenDonorShare(), v -> v > settings.unseenDonorShare(),
        v -> String.format("%.0f%% of labels name donors the model never saw (limit %.0f%%)", 100 * v, 100 * settings.unseenDonorShare()),
        kinds, texts);
    check(Reason.CELL_TYPE_MIX, o, o.cellTypePsi(), settings.psiCeiling(), v -> v > settings.psiCeiling(),
        v -> String.format("cell-type mix shifted from training's (PSI %.3f above %.3f)", v, settings.psiCeiling()), kinds, texts);
    Double unknownBound = o.unknownDonorShare() == null || o.unknownDonorShareSe() == null ? null
        : o.unknownDonorShare() - HoldoutComparison.Z_95_ONE_SIDED * o.unknownDonorShareSe();
    check(Reason.UNKNOWN_DONORS, o, unknownBound, settings.unknownDonorShare(), v -> v > settings.unknownDonorShare(),
        v -> String.format("about %.0f%% of cells come from donors the model does not know (95%% lower bound %.0f%%, limit %.0f%%; no labels"
            + " needed)", 100 * o.unknownDonorShare(), 100 * v, 100 * settings.unknownDonorShare()), kinds, texts);
    if (kinds.isEmpty()) return null;
    for (Reason k : kinds) lastFired.put(k, o.eventTime());
    requests++;
    return new Fired(List.copyOf(kinds), String.join("; ", texts));
  }

  public long requests() {
    return requests;
  }

  private boolean cooling(Reason kind, long eventTime) {
    Long last = lastFired.get(kind);
    return last != null && eventTime - last < settings.cooldownMs();
  }

  private void check(Reason kind, Observation o, Double value, double threshold, DoublePredicate breached, DoubleFunction<String> describe,
      List<Reason> kinds, List<String> texts) {
    // A rule does not count during its own cooldown: afterwards it must hold for its full run again.
    if (Double.isNaN(threshold) || value == null || cooling(kind, o.eventTime())) return;
    Rule rule = rules.get(kind);
    if (lastFired.containsKey(kind)) rule.rearm();
    if (rule.step(breached.test(value), settings.windows())) {
      kinds.add(kind);
      texts.add(describe.apply(value));
    }
  }

  private static final class Rule implements Serializable {
    private int streak;
    private boolean armed = true;

    /** Ready to fire again (after its cooldown), counting from zero. */
    void rearm() {
      if (!armed) {
        armed = true;
        streak = 0;
      }
    }

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
