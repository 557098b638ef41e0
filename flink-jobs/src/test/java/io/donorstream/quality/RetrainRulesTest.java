package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.promotion.LeakageReading;
import io.donorstream.promotion.Reason;
import org.junit.jupiter.api.Test;

class RetrainRulesTest {
  static final RetrainRules.Settings SETTINGS = new RetrainRules.Settings(0.5, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true, 3, 60_000, Double.NaN);

  static RetrainRules.Observation accuracy(long t, double a) {
    return new RetrainRules.Observation(t, a, null, null, null, null, null, false, null);
  }

  @Test
  void fires_afterKWindowsBelowTheFloor_andNotAgainUntilItRecoveredOrItsCooldownPassed() {
    RetrainRules rules = new RetrainRules(SETTINGS);
    long t = 0;
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.4))).isNull();
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.4))).isNull();
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.4)).text()).contains("accuracy 0.400 below floor 0.500");
    // Still low within the cooldown: no second request for the same episode.
    for (int i = 0; i < 5; i++) assertThat(rules.evaluate(accuracy(t += 10_000, 0.3))).isNull();
    // Past the cooldown and still low: it asks again (the first answer did not help), after K windows more.
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.3))).isNull();
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.3))).isNull();
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.3))).isNotNull();
    // Recovers for K windows past the cooldown: re-armed, and a new episode fires again.
    for (int i = 0; i < 9; i++) assertThat(rules.evaluate(accuracy(t += 10_000, 0.8))).isNull();
    rules.evaluate(accuracy(t += 10_000, 0.3));
    rules.evaluate(accuracy(t += 10_000, 0.3));
    assertThat(rules.evaluate(accuracy(t += 10_000, 0.3))).isNotNull();
    assertThat(rules.requests()).isEqualTo(3);
  }

  @Test
  void aRecoveryWithinTheCooldownReArmsTheRuleForTheNextEpisode() {
    RetrainRules rules = new RetrainRules(new RetrainRules.Settings(0.5, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true, 3, 600_000,
        Double.NaN));
    long t = 0;
    for (int i = 0; i < 3; i++) rules.evaluate(accuracy(t += 10_000, 0.4));
    assertThat(rules.requests()).isEqualTo(1);
    // Recovers for fewer than K windows, dips again: still disarmed.
    rules.evaluate(accuracy(t += 10_000, 0.8));
    rules.evaluate(accuracy(t += 10_000, 0.8));
    for (int i = 0; i < 3; i++) assertThat(rules.evaluate(accuracy(t += 10_000, 0.3))).isNull();
  }

  @Test
  void aBlipShorterThanKDoesNotFire() {
    RetrainRules rules = new RetrainRules(SETTINGS);
    long t = 0;
    for (int i = 0; i < 20; i++) assertThat(rules.evaluate(accuracy(t += 100_000, i % 3 == 0 ? 0.3 : 0.9))).isNull();
  }

  @Test
  void driftFiresAtOnce_butNotWithinTheCooldown() {
    RetrainRules rules = new RetrainRules(SETTINGS);
    RetrainRules.Observation drift = new RetrainRules.Observation(1_000, 0.9, null, null, null, null, null, true, "drift: x");
    assertThat(rules.evaluate(drift).text()).startsWith("drift");
    assertThat(rules.evaluate(new RetrainRules.Observation(30_000, 0.9, null, null, null, null, null, true, "drift: x"))).as("in cooldown").isNull();
    assertThat(rules.evaluate(new RetrainRules.Observation(62_000, 0.9, null, null, null, null, null, true, "drift: x")).kinds())
        .containsExactly(Reason.DRIFT);
  }

  @Test
  void challengerUnseenDonorsAndLeakageRulesNameThemselves() {
    RetrainRules rules = new RetrainRules(new RetrainRules.Settings(Double.NaN, 0.2, 0.1, 0.2, 0.25, false, 1, 0, Double.NaN));
    RetrainRules.Fired f = rules.evaluate(new RetrainRules.Observation(1, null, new LeakageReading(0.3, 0.02, 12, 900), 0.9, 0.7, 0.5, 0.4, false,
        null));
    assertThat(f.text()).contains("sex leakage 0.300").contains("challenger ahead of the champion by 0.200").contains("50% of labels name donors")
        .contains("PSI 0.400 above 0.250");
    assertThat(f.kinds()).containsExactly(Reason.LEAKAGE, Reason.CHALLENGER, Reason.UNSEEN_DONORS, Reason.CELL_TYPE_MIX);
  }

  static RetrainRules.Observation leakageAndAccuracy(long t, double leakage, double accuracy) {
    return new RetrainRules.Observation(t, accuracy, new LeakageReading(leakage, 0.02, 12, 900), null, null, null, null, false, null);
  }

  @Test
  void leakageFiresOnEvidenceEitherWayAndNotOnNoise() {
    RetrainRules rules = new RetrainRules(new RetrainRules.Settings(Double.NaN, 0.2, Double.NaN, Double.NaN, Double.NaN, false, 1, 0, Double.NaN));
    RetrainRules.Observation noisy = new RetrainRules.Observation(1, null, new LeakageReading(0.25, 0.06, 4, 900), null, null, null, null, false, null);
    assertThat(rules.evaluate(noisy)).as("0.25 - 1.645 * 0.06 is under the ceiling").isNull();
    RetrainRules.Observation noError = new RetrainRules.Observation(2, null, new LeakageReading(0.4, null, 4, 900), null, null, null, null, false,
        null);
    assertThat(rules.evaluate(noError)).as("too few donors for an error: no evidence").isNull();
    RetrainRules.Observation backwards = new RetrainRules.Observation(3, null, new LeakageReading(-0.35, 0.02, 12, 900), null, null, null, null,
        false, null);
    assertThat(rules.evaluate(backwards).kinds()).containsExactly(Reason.LEAKAGE);
  }

  @Test
  void oneReasonsCooldownHoldsBackThatReasonOnly() {
    RetrainRules rules = new RetrainRules(new RetrainRules.Settings(0.5, 0.2, Double.NaN, Double.NaN, Double.NaN, true, 2, 600_000, Double.NaN));
    long t = 0;
    rules.evaluate(leakageAndAccuracy(t += 1_000, 0.35, 0.9));
    assertThat(rules.evaluate(leakageAndAccuracy(t += 1_000, 0.35, 0.9)).kinds()).containsExactly(Reason.LEAKAGE);
    // A drift a second later, and the accuracy falling right after: neither waits for the leakage's cooldown.
    RetrainRules.Observation drift = new RetrainRules.Observation(t += 1_000, null, null, null, null, null, null, true, "drift: errors rose");
    assertThat(rules.evaluate(drift).kinds()).containsExactly(Reason.DRIFT);
    rules.evaluate(leakageAndAccuracy(t += 1_000, 0.35, 0.1));
    assertThat(rules.evaluate(leakageAndAccuracy(t += 1_000, 0.35, 0.1)).kinds()).as("leakage stays held back").containsExactly(Reason.ACCURACY);
    // The same drift again within its own cooldown is held back.
    assertThat(rules.evaluate(new RetrainRules.Observation(t += 1_000, null, null, null, null, null, null, true, "drift"))).isNull();
    assertThat(rules.requests()).isEqualTo(3);
  }

  @Test
  void theLabelFreeRuleFiresOnTheLowerBoundOfTheUnknownDonorShare() {
    RetrainRules rules = new RetrainRules(new RetrainRules.Settings(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, 2, 0, 0.2));
    long t = 0;
    // 0.3 estimated with an error of 0.1: the bound (0.136) is not above 0.2.
    for (int i = 0; i < 5; i++) {
      assertThat(rules.evaluate(new RetrainRules.Observation(t += 1_000, null, null, null, null, null, null, false, null, 0.3, 0.1))).isNull();
    }
    rules.evaluate(new RetrainRules.Observation(t += 1_000, null, null, null, null, null, null, false, null, 0.9, 0.05));
    RetrainRules.Fired f = rules.evaluate(new RetrainRules.Observation(t += 1_000, null, null, null, null, null, null, false, null, 0.9, 0.05));
    assertThat(f.kinds()).containsExactly(Reason.UNKNOWN_DONORS);
    assertThat(f.text()).contains("about 90% of cells come from donors the model does not know").contains("no labels needed");
  }
}
