package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetrainRulesTest {
  static final RetrainRules.Settings SETTINGS = new RetrainRules.Settings(0.5, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true, 3, 60_000);

  static RetrainRules.Observation accuracy(long t, double a) {
    return new RetrainRules.Observation(t, a, null, null, null, null, null, false, null);
  }

  @Test
  void fires_afterKWindowsBelowTheFloor_andNotAgainUntilItRecovered() {
    RetrainRules rules = new RetrainRules(SETTINGS);
    long t = 0;
    assertThat(rules.evaluate(accuracy(t += 100_000, 0.4))).isNull();
    assertThat(rules.evaluate(accuracy(t += 100_000, 0.4))).isNull();
    assertThat(rules.evaluate(accuracy(t += 100_000, 0.4))).contains("accuracy 0.400 below floor 0.500");
    // Still low, past the cooldown: no second request for the same episode.
    for (int i = 0; i < 10; i++) assertThat(rules.evaluate(accuracy(t += 100_000, 0.3))).isNull();
    // Recovers for fewer than K windows, dips again: still disarmed.
    rules.evaluate(accuracy(t += 100_000, 0.8));
    rules.evaluate(accuracy(t += 100_000, 0.8));
    for (int i = 0; i < 5; i++) assertThat(rules.evaluate(accuracy(t += 100_000, 0.3))).isNull();
    // Recovers for K windows: re-armed, and a new episode fires again.
    for (int i = 0; i < 3; i++) assertThat(rules.evaluate(accuracy(t += 100_000, 0.8))).isNull();
    rules.evaluate(accuracy(t += 100_000, 0.3));
    rules.evaluate(accuracy(t += 100_000, 0.3));
    assertThat(rules.evaluate(accuracy(t += 100_000, 0.3))).isNotNull();
    assertThat(rules.requests()).isEqualTo(2);
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
    assertThat(rules.evaluate(drift)).startsWith("drift");
    assertThat(rules.evaluate(new RetrainRules.Observation(30_000, 0.9, null, null, null, null, null, true, "drift: x"))).as("in cooldown").isNull();
    assertThat(rules.evaluate(new RetrainRules.Observation(62_000, 0.9, null, null, null, null, null, true, "drift: x"))).startsWith("drift");
  }

  @Test
  void challengerUnseenDonorsAndLeakageRulesNameThemselves() {
    RetrainRules rules = new RetrainRules(new RetrainRules.Settings(Double.NaN, 0.2, 0.1, 0.2, 0.25, false, 1, 0));
    assertThat(rules.evaluate(new RetrainRules.Observation(1, null, 0.3, 0.9, 0.7, 0.5, 0.4, false, null)))
        .contains("sex leakage 0.300").contains("challenger ahead of the champion by 0.200").contains("50% of labels name donors").contains("PSI 0.400 above 0.250");
  }
}
