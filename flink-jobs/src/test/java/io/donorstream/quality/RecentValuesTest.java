package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentValuesTest {
  @Test
  void theChangeIsPlacedWhereTheMeansSplitNotWhereTheDetectorCut() {
    RecentValues v = new RecentValues();
    SplittableRandom rng = new SplittableRandom(1);
    // Errors at 35 % for 3,000 cells, then at 100 % (donors the model never saw) for 150: one cell a second.
    for (int i = 0; i < 3_150; i++) v.add(1_000L * i, i < 3_000 ? (rng.nextDouble() < 0.35 ? 1 : 0) : 1);
    long at = v.changeAt(600);
    assertThat(at).isBetween(1_000L * 2_990, 1_000L * 3_005);
    assertThat(new RecentValues().changeAt(10)).isEqualTo(Long.MIN_VALUE);
  }
}
