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
  void theFirstAnnealedEpochIsTheFirstToEndAtOrBelowHalfThePeak() {
    LearningRateSchedule s = LearningRateSchedule.of(1e-3f, 0.1f, 40 * 100);
    int e = s.firstAnnealedEpoch(100);
    assertThat(s.at(e * 100)).isLessThanOrEqualTo(0.5e-3f);
    assertThat(s.at((e - 1) * 100)).isGreaterThan(0.5e-3f);
    assertThat(s.at(100)).as("a warm-up epoch ends low, but is not annealed").isLessThan(0.5e-3f);
    assertThat(e).as("just past the middle of the cosine").isBetween(21, 24);
  }

  @Test
  void aOneEpochScheduleMayStopAfterItsOnlyEpoch() {
    assertThat(LearningRateSchedule.of(1e-3f, 0.1f, 7).firstAnnealedEpoch(7)).isEqualTo(1);
  }
}
