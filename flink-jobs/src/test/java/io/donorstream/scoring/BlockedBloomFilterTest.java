package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockedBloomFilterTest {
  @Test
  void everyKeyPutIsFoundAndForeignKeysPassAtTheSizedRate() {
    int n = 200_000;
    BlockedBloomFilter f = new BlockedBloomFilter(n, 0.01);
    SplittableRandom rng = new SplittableRandom(5);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) f.put(keys[i] = rng.nextLong());
    for (long k : keys) assertThat(f.mightContain(k)).isTrue();
    int hits = 0;
    int probes = 1_000_000;
    for (int i = 0; i < probes; i++) if (f.mightContain(rng.nextLong())) hits++;
    double rate = (double) hits / probes;
    // 10,000 expected; the sizing rounds up, so the rate sits a little under 1 %.
    assertThat(rate).isBetween(0.006, 0.0105);
    assertThat(rate).isCloseTo(BlockedBloomFilter.falsePositiveRate(n, f.bytes() / 32), org.assertj.core.data.Offset.offset(0.001));
  }

  @Test
  void anEmptyFilterContainsNothing() {
    BlockedBloomFilter f = new BlockedBloomFilter(1_000, 0.01);
    SplittableRandom rng = new SplittableRandom(6);
    for (int i = 0; i < 10_000; i++) assertThat(f.mightContain(rng.nextLong())).isFalse();
  }

  @Test
  void sizingFollowsTheRate() {
    assertThat(BlockedBloomFilter.falsePositiveRate(100_000, BlockedBloomFilter.blocksFor(100_000, 0.01))).isLessThanOrEqualTo(0.01);
    long bits = BlockedBloomFilter.blocksFor(100_000, 0.01) * 256;
    assertThat(bits / 100_000.0).as("bits per key at 1 %").isBetween(10.0, 11.5);
    assertThat(BlockedBloomFilter.blocksFor(100_000, 0.001)).isGreaterThan(BlockedBloomFilter.blocksFor(100_000, 0.01));
  }
}
