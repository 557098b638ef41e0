package io.donorstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void warmsUpThenDecaysToOnePercent() {
    LearningRateSchedule s = LearningRateSchedule.of(1e-3f, 0.1f, 4000);
    assertThat(s.at(0)).isCloseTo(1e-5f, org.assertj.core.data.Offset.offset(1e-9f));
    assertThat(s.at(400)).isEqualTo(1e-3f);
    assertThat(s.at(4000)).isCloseTo(1e-5f, org.assertj.core.data.Offset.offset(1e-9f));
  }

  @Test
  void theFirstAnnealedEpochIsTheFirstToEndAtOrBelowATenthOfThePeak() {
    LearningRateSchedule s = LearningRateSchedule.of(1e-3f, 0.1f, 40 * 100);
    int e = s.firstAnnealedEpoch(100);
    assertThat(s.at(e * 100)).isLessThanOrEqualTo(1e-4f);
    assertThat(s.at((e - 1) * 100)).isGreaterThan(1e-4f);
    assertThat(s.at(10)).as("with 10-step epochs the first ends low in the warm-up").isLessThan(1e-4f);
    assertThat(s.firstAnnealedEpoch(10)).as("but a warm-up epoch is not annealed").isGreaterThan(40);
    assertThat(e).as("in the last fifth of the cosine").isBetween(32, 36);
  }

  @Test
  void aOneEpochScheduleMayStopAfterItsOnlyEpoch() {
    assertThat(LearningRateSchedule.of(1e-3f, 0.1f, 7).firstAnnealedEpoch(7)).isEqualTo(1);
  }
}
