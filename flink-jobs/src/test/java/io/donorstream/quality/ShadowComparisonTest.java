package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShadowComparisonTest {
  @Test
  void pairsTheTwoAnswersOfACellInEitherOrder() {
    ShadowComparison c = new ShadowComparison();
    // 100 cells: the shadow right on all, the champion on 60; half arrive shadow-first.
    for (int i = 0; i < 100; i++) {
      if (i % 2 == 0) {
        c.shadow("c" + i, true);
        c.champion("c" + i, i < 60, "1");
      } else {
        c.champion("c" + i, i < 60, "1");
        c.shadow("c" + i, true);
      }
    }
    ShadowComparison.Snapshot s = c.snapshot();
    assertThat(s.cells()).isEqualTo(100);
    assertThat(s.championVersion()).isEqualTo("1");
    assertThat(s.comparison().candidateAccuracy()).isCloseTo(1.0, within(1e-12));
    assertThat(s.comparison().championAccuracy()).isCloseTo(0.6, within(1e-12));
    // d = 1 on 40 cells, 0 on 60: mean 0.4, sample variance 0.2424..., bound 0.4 - 1.645 * sqrt(0.2424 / 100).
    assertThat(s.comparison().lowerBound()).isCloseTo(0.4 - 1.645 * Math.sqrt((40 - 100 * 0.16) / 99.0 / 100), within(1e-9));
  }

  @Test
  void answersWithoutAPartnerAreNotCountedAndTheOldestAreDropped() {
    ShadowComparison c = new ShadowComparison();
    for (int i = 0; i < ShadowComparison.MAX_WAITING + 10; i++) c.champion("early" + i, true, "1");
    assertThat(c.snapshot().cells()).isZero();
    assertThat(c.snapshot().comparison()).as("below two paired cells").isNull();
    c.shadow("early0", false); // dropped long ago: waits as a shadow answer instead
    c.shadow("early" + (ShadowComparison.MAX_WAITING + 9), false);
    assertThat(c.snapshot().cells()).isEqualTo(1);
  }
}
