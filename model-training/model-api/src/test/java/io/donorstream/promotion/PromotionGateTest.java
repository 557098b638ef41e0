package io.donorstream.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
  static final PromotionGate GATE = new PromotionGate(0.0, 0.2, 0.15, 0.02);
  static final LeakageReading LEAKY = new LeakageReading(0.35, 0.03, 8, 500);
  static final LeakageReading CLEAN = new LeakageReading(0.02, 0.04, 8, 500);

  /** {@code n} paired cells: the candidate right on the first {@code a}, the champion on the first {@code b}. */
  static HoldoutComparison paired(int n, int a, int b) {
    boolean[] x = new boolean[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i] = i < a;
      y[i] = i < b;
    }
    return HoldoutComparison.of(x, y);
  }

  @Test
  void theLowerBoundIsPairedAndOneSided() {
    HoldoutComparison c = paired(100, 60, 50);
    assertThat(c.difference()).isCloseTo(0.1, within(1e-12));
    // d = 1 on 10 cells, 0 elsewhere: sd = sqrt((10 - 100 * 0.01) / 99) = 0.3015; bound = 0.1 - 1.645 * 0.03015.
    assertThat(c.lowerBound()).isCloseTo(0.1 - 1.645 * Math.sqrt(9.0 / 99) / 10, within(1e-9));
  }

  @Test
  void aLeakageAnswerMayCostAccuracyUpToThePrice() {
    // 8 points worse on 500 cells: bound about -0.10, inside the price of 0.15.
    PromotionGate.Verdict v = GATE.judge(Set.of(Reason.LEAKAGE), paired(500, 310, 350), CLEAN, LEAKY, 8.0);
    assertThat(v.pass()).as(v.text()).isTrue();
    assertThat(v.text()).contains("answering [leakage]", "within the price", "against the ceiling 0.200");
    // The same cost answering drift is not better with confidence.
    assertThat(GATE.judge(Set.of(Reason.DRIFT), paired(500, 310, 350), CLEAN, LEAKY, 8.0).text()).startsWith("not better with confidence");
  }

  @Test
  void aLeakageAnswerFailsWhenItCostsMoreThanThePriceOrStillLeaks() {
    PromotionGate.Verdict tooDear = GATE.judge(Set.of(Reason.LEAKAGE), paired(500, 250, 350), CLEAN, LEAKY, 8.0);
    assertThat(tooDear.pass()).isFalse();
    assertThat(tooDear.text()).startsWith("it costs more accuracy than the price");
    PromotionGate.Verdict over = GATE.judge(Set.of(Reason.LEAKAGE), paired(500, 350, 350), new LeakageReading(0.21, 0.01, 8, 500), LEAKY, 8.0);
    assertThat(over.text()).startsWith("its sex leakage is not under the ceiling");
    // Under the ceiling, but within the noise of the champion's reading: 0.30 - 0.15 < 1.645 * sqrt(0.10^2 + 0.03^2).
    PromotionGate.Verdict noisy = GATE.judge(Set.of(Reason.LEAKAGE), paired(500, 350, 350), new LeakageReading(0.15, 0.10, 8, 500),
        new LeakageReading(0.30, 0.03, 8, 500), 8.0);
    assertThat(noisy.pass()).isFalse();
    assertThat(noisy.text()).startsWith("its sex leakage is not clearly below the champion's");
    // Reading sex backwards across donors is leakage too.
    assertThat(GATE.judge(Set.of(Reason.LEAKAGE), paired(500, 350, 350), new LeakageReading(-0.3, 0.02, 8, 500), LEAKY, 8.0).pass()).isFalse();
    assertThat(GATE.judge(Set.of(Reason.LEAKAGE), paired(500, 350, 350), LeakageReading.NONE, LEAKY, 8.0).pass()).as("unreadable").isFalse();
  }

  @Test
  void leakageWithDriftPaysThePriceOfRemovingSexAndMustBeUnderTheCeiling() {
    Set<Reason> both = EnumSet.of(Reason.LEAKAGE, Reason.DRIFT);
    assertThat(GATE.judge(both, paired(500, 300, 100), CLEAN, LEAKY, 8.0).pass()).isTrue();
    assertThat(GATE.judge(both, paired(500, 300, 100), LEAKY, LEAKY, 8.0).pass()).isFalse();
    assertThat(GATE.judge(both, paired(500, 310, 350), CLEAN, LEAKY, 8.0).pass()).as("within the price").isTrue();
    assertThat(GATE.judge(both, paired(500, 250, 350), CLEAN, LEAKY, 8.0).pass()).as("beyond it").isFalse();
  }

  @Test
  void anAccuracyAnswerMustBeNoLeakierThanTheChampionBeyondTheProbesNoise() {
    // 100 donors: noise 1.645 * sqrt(0.25 / 100) = 0.082.
    LeakageReading champion = new LeakageReading(0.0, 0.01, 100, 5000);
    assertThat(GATE.judge(Set.of(Reason.ACCURACY), paired(500, 300, 100), new LeakageReading(0.10, 0.01, 100, 5000), champion, 100.0).text())
        .startsWith("it leaks more sex");
    assertThat(GATE.judge(Set.of(Reason.ACCURACY), paired(500, 300, 100), new LeakageReading(0.08, 0.01, 100, 5000), champion, 100.0).pass()).isTrue();
    assertThat(GATE.judge(Set.of(), paired(500, 300, 100), LEAKY, LeakageReading.NONE, 100.0).pass()).as("nothing to compare with").isTrue();
  }

  @Test
  void donorsAreTheUnitsOfTheLeakagesStandardError() {
    // Four donors of each sex, each read all right or all wrong: a rate of 0.5 with a large error.
    double[] cells = {100, 100, 100, 100, 100, 100, 100, 100};
    boolean[] female = {true, true, true, true, false, false, false, false};
    DonorClusteredRate split = DonorClusteredRate.of(cells, new double[] {100, 0, 100, 0, 100, 0, 100, 0}, female);
    assertThat(split.balancedAccuracy()).isEqualTo(0.5);
    // Per sex: 4 / 3 * (4 * 50^2) / 400^2 = 1 / 12; both sexes: 0.5 * sqrt(2 / 12).
    assertThat(split.standardError()).isCloseTo(0.5 * Math.sqrt(2.0 / 12), within(1e-12));
    // Each donor read at exactly half: the same rate, no donor-level spread.
    DonorClusteredRate even = DonorClusteredRate.of(cells, new double[] {50, 50, 50, 50, 50, 50, 50, 50}, female);
    assertThat(even.standardError()).isZero();
    assertThat(DonorClusteredRate.of(new double[] {10, 10, 10, 10}, new double[] {5, 5, 5, 5}, new boolean[] {true, true, false, false})
        .standardError()).as("two donors per sex: no error worth the name").isNull();
    assertThat(Reason.of("unseen_donors")).isEqualTo(Reason.UNSEEN_DONORS);
    assertThat(Reason.of("from-the-future")).isEqualTo(Reason.OTHER);
  }
}
