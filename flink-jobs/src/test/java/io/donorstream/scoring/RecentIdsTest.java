package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Bloom-filter front of the duplicate check: no false "new" within the window, few false "maybe", buckets dropped after it. */
class RecentIdsTest {
  @Test
  void neverCallsAnIdAddedWithinTheWindowNewAndForgetsOldBuckets() {
    long window = 80_000;
    RecentIds ids = new RecentIds(window);
    for (int i = 0; i < 200_000; i++) ids.add("cell-" + i, i / 2); // 100 s of adds, 2 per ms
    long now = 100_000;
    for (int i = 0; i < 200_000; i++) {
      long addedAt = i / 2;
      if (addedAt + window > now) assertThat(ids.mightContain("cell-" + i, now)).as("cell-%d is still in state", i).isTrue();
    }
    assertThat(falsePositives(ids, now)).as("false 'maybe seen' among 100,000 new ids, ~1 % per live filter")
        .isLessThan(1_000 * ids.buckets() + 500);
    assertThat(ids.mightContain("cell-0", 300_000)).as("long after the window").isFalse();
    assertThat(ids.buckets()).isZero();
  }

  @Test
  void aBurstFarBeyondTheFirstFilterDoesNotSaturateIt() {
    RecentIds ids = new RecentIds(600_000);
    for (int i = 0; i < 3_000_000; i++) ids.add("burst-" + i, 1_000); // all in one instant
    assertThat(ids.mightContain("burst-2999999", 1_000)).isTrue();
    // Full filters are closed, so each stays near 1 %: 100k, 200k, 400k, ... ids.
    assertThat(falsePositives(ids, 1_000)).as("with %d filters", ids.buckets()).isLessThan(1_000 * ids.buckets() + 500);
  }

  private static int falsePositives(RecentIds ids, long now) {
    int n = 0;
    for (int i = 0; i < 100_000; i++) if (ids.mightContain("other-" + i, now)) n++;
    return n;
  }
}
