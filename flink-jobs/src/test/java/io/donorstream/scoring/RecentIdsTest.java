package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Bloom-filter front of the duplicate check: no false "new" within the window, buckets dropped after it. */
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
    int falsePositives = 0;
    for (int i = 0; i < 100_000; i++) if (ids.mightContain("other-" + i, now)) falsePositives++;
    // Up to 9 live buckets at ~1 % each.
    assertThat(falsePositives).as("false 'maybe seen' among 100,000 new ids").isLessThan(9_000);
    assertThat(ids.buckets()).isLessThanOrEqualTo(RecentIds.BUCKETS_PER_WINDOW + 1);
    assertThat(ids.mightContain("cell-0", 300_000)).as("long after the window").isFalse();
    assertThat(ids.buckets()).isZero();
  }
}
