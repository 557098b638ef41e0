package io.donorstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.promotion.LeakageReading;
import org.junit.jupiter.api.Test;

/** When a step of the ladder has removed enough: no evidence of leakage, in either direction. */
class RemovalLadderTest {
  private final RemovalLadder ladder = RemovalLadder.defaults();

  @Test
  void startsWithErasureAloneThenAddsEverStrongerReversal() {
    assertThat(ladder.steps()).first().satisfies(s -> {
      assertThat(s.erase()).isTrue();
      assertThat(s.adversarial()).isFalse();
    });
    float last = -1;
    for (RemovalLadder.Step s : ladder.steps()) {
      assertThat(s.erase()).isTrue();
      assertThat(s.lambda()).isGreaterThan(last);
      last = s.lambda();
    }
    assertThat(ladder.steps().get(1).describe()).isEqualTo("input erasure + adversary λ 0.03");
  }

  @Test
  void aReadingWithinItsNoiseOfChanceIsEnoughOnEitherSide() {
    assertThat(ladder.sufficient(reading(0.05, 0.04))).isTrue();
    assertThat(ladder.sufficient(reading(-0.06, 0.04))).isTrue();
    assertThat(ladder.sufficient(reading(0.08, 0.04))).as("0.08 > 1.645 × 0.04: sex read").isFalse();
    assertThat(ladder.sufficient(reading(-0.08, 0.04))).as("reading sex backwards is leakage too").isFalse();
  }

  @Test
  void aCeilingAlsoBoundsTheNoiseAndAnUnjudgeableReadingIsNeverEnough() {
    assertThat(ladder.withCeiling(0.2).sufficient(reading(0.05, 0.1))).as("upper bound 0.2145").isFalse();
    assertThat(ladder.withCeiling(0.2).sufficient(reading(0.05, 0.08))).isTrue();
    assertThat(ladder.sufficient(new LeakageReading(0.0, null, 3, 100))).isFalse();
    assertThat(ladder.sufficient(LeakageReading.NONE)).isFalse();
  }

  private static LeakageReading reading(double leakage, double se) {
    return new LeakageReading(leakage, se, 14, 4000);
  }
}
