package io.donorstream.loop;

import io.donorstream.promotion.LeakageReading;
import io.donorstream.promotion.Reason;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.retrain.service.PromotionRule;
import io.donorstream.schema.QualityReport;
import java.util.List;
import java.util.Locale;

/**
 * The demo's episodes as the loop's own outputs show them (retrain requests, quality reports, the
 * registry): whether the leakage alarm came and was answered, or was not needed; whether the drift
 * was answered; whether any alarm is still open.
 */
final class Episodes {
  private final LoopObserver observer;
  private final ModelRegistry registry;
  private final double ceiling;

  Episodes(LoopObserver observer, ModelRegistry registry, double ceiling) {
    this.observer = observer;
    this.registry = registry;
    this.ceiling = ceiling;
  }

  boolean leakageAlarm() {
    return observer.requests().stream().anyMatch(q -> q.getKinds().contains(Reason.LEAKAGE.wire()));
  }

  /** A version trained to answer a leakage alarm has been promoted. */
  RegisteredVersion leakageAnswer() {
    return registry.versions(LoopDemo.MODEL).stream().filter(v -> v.wasChampion() && v.reasons().contains(Reason.LEAKAGE)).findFirst().orElse(null);
  }

  /**
   * Whether the known donors' phase has told its leakage story: the alarm was raised and answered by
   * a promotion whose own live reading is in; or, with no alarm, the first model's probe has tested
   * enough cells and its last three readings give no evidence of leakage above the ceiling (the
   * alarm's own test: the reading's 95 % lower bound is not above it). Without sex labels there is
   * nothing to read.
   */
  boolean leakageSettled(long published, LoopDemo.Options o, boolean hasSex) {
    if (leakageAlarm()) {
      RegisteredVersion answer = leakageAnswer();
      return answer != null && reading(answer.version()).available();
    }
    if (published < o.beforeCells()) return false;
    if (!hasSex) return true;
    List<QualityReport> v1 = reports(LoopDemo.FIRST);
    if (v1.size() < 3 || v1.get(v1.size() - 1).getSexProbeCells() < o.leakageCells()) return false;
    return v1.subList(v1.size() - 3, v1.size()).stream().map(PromotionRule::reading).allMatch(r -> r.available() && !evidenceAbove(r));
  }

  /** The alarm's test ({@code RetrainRules}): the size's 95 % lower bound above the ceiling. */
  private boolean evidenceAbove(LeakageReading r) {
    return r.lowerBound() != null && r.lowerBound() > ceiling;
  }

  /**
   * Whether the run may end: settled ({@link #settledAtEnd}) and, since it first was, a whole window
   * of the final champion reported with no new alarm: the rules have judged the stream after the last
   * answer, so an alarm the last cells bring is not left behind.
   */
  boolean quietAtEnd(long leakageCells) {
    if (!settledAtEnd(leakageCells)) {
      settledSince = Long.MIN_VALUE;
      return false;
    }
    if (settledSince == Long.MIN_VALUE) settledSince = System.currentTimeMillis();
    return reports(LoopDemo.champion(registry)).stream().anyMatch(q -> q.getWindowStart().toEpochMilli() >= settledSince);
  }

  private long settledSince = Long.MIN_VALUE;

  /**
   * Whether the run may end: every alarm answered and, when a leakage alarm was raised, the final
   * champion's live leakage reading is in (it tells whether the story closed).
   */
  boolean settledAtEnd(long leakageCells) {
    if (!allAnswered()) return false;
    if (!leakageAlarm()) return true;
    List<QualityReport> r = reports(LoopDemo.champion(registry));
    return !r.isEmpty() && r.get(r.size() - 1).getSexProbeCells() >= leakageCells;
  }

  /** The known donors' phase in a sentence; a leakage alarm left unanswered is added to {@code problems}. */
  String leakageStory(long start, List<String> problems) {
    LeakageReading first = reading(LoopDemo.FIRST);
    if (!leakageAlarm()) {
      if (!first.available()) return "Sex leakage cannot be read here (no cells of both sexes with labels): no leakage episode.";
      if (Math.abs(first.leakage()) <= ceiling) {
        return String.format(Locale.ROOT, "The leakage episode was not needed: v1's live donor-held-out sex leakage %s stays under the"
            + " ceiling %.2f (its latent carries no sex signal that generalises across donors), so no alarm was raised.", first, ceiling);
      }
      return String.format(Locale.ROOT, "No leakage alarm: v1's live donor-held-out sex leakage %s is above the ceiling %.2f as a point but"
          + " not with 95%% confidence (the probe's donor-level noise), so the monitor has no evidence to act on.", first, ceiling);
    }
    RegisteredVersion answer = leakageAnswer();
    if (answer == null) {
      String p = String.format(Locale.ROOT, "the leakage alarm (v1's live donor-held-out sex leakage %s, ceiling %.2f) was not answered by a"
          + " promotion (registry %s)", first, ceiling, LoopProgress.stages(registry));
      problems.add(p);
      return "error: " + p;
    }
    return String.format(Locale.ROOT, "Leakage alarm: v1's live donor-held-out sex leakage %s was above the ceiling %.2f; answered by v%s"
        + " (trained with sex removed), promoted %.0f s after the stream began: its live leakage %s.", first, ceiling, answer.version(),
        (System.currentTimeMillis() - start) / 1000.0, reading(answer.version()));
  }

  /** A version newer than {@code version}, trained to answer an accuracy-type alarm, is champion. */
  boolean answeredSince(String version) {
    RegisteredVersion c = registry.champion(LoopDemo.MODEL);
    return c != null && newer(c.version(), version) && c.reasons().stream().anyMatch(Reason::asksForAccuracy);
  }

  boolean allAnswered() {
    return Alarms.open(Alarms.of(observer.requests(), registry, LoopDemo.MODEL)).isEmpty();
  }

  /** The live donor-held-out leakage of a version's latest champion report; NaN when none. */
  double leakage(String version) {
    LeakageReading r = reading(version);
    return r.available() ? r.leakage() : Double.NaN;
  }

  boolean leakageUnderCeiling(String version) {
    LeakageReading r = reading(version);
    return r.available() && Math.abs(r.leakage()) <= ceiling;
  }

  private LeakageReading reading(String version) {
    List<QualityReport> r = reports(version);
    return r.isEmpty() ? LeakageReading.NONE : PromotionRule.reading(r.get(r.size() - 1));
  }

  private List<QualityReport> reports(String version) {
    return observer.reports().stream().filter(q -> "champion".equals(q.getRole()) && q.getModelVersion().equals(version)).toList();
  }

  static boolean newer(String a, String b) {
    try {
      return Long.parseLong(a) > Long.parseLong(b);
    } catch (NumberFormatException e) {
      return !a.equals(b);
    }
  }
}
