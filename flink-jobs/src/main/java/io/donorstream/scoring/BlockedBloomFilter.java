package io.donorstream.scoring;

/**
 * A split-block Bloom filter over 64-bit keys that are already hashes (Putze, Sanders and Singler's
 * blocked filter in the split form Apache Parquet and Impala use): a key sets one bit in each of the
 * eight 32-bit words of one 32-byte block, so a probe reads one block instead of seven scattered
 * words, and nothing is hashed again. Guava's filter, which this replaces on the scoring path, hashed
 * the key once more per filter and wrote with compare-and-set: together a quarter of the scoring
 * operator's time. Sized for a false-positive rate at a number of keys (from the exact rate of a
 * block holding a Poisson number of keys); single-threaded.
 */
final class BlockedBloomFilter {
  private static final int WORDS = 8;
  // Parquet's salts: odd constants whose products spread a 32-bit hash over a word's 32 bits.
  private static final int[] SALT = {0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31};
  private final int[] words;
  private final long blocks;

  /** A filter whose false-positive rate stays at or below {@code fpp} up to {@code expected} keys. */
  BlockedBloomFilter(long expected, double fpp) {
    long b = blocksFor(expected, fpp);
    if (b * WORDS > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(expected + " keys at " + fpp + " need too many blocks");
    this.blocks = b;
    this.words = new int[(int) (b * WORDS)];
  }

  void put(long key) {
    int base = block(key);
    int h = (int) key;
    for (int i = 0; i < WORDS; i++) words[base + i] |= 1 << ((h * SALT[i]) >>> 27);
  }

  /** False when {@code key} was certainly never put. */
  boolean mightContain(long key) {
    int base = block(key);
    int h = (int) key;
    for (int i = 0; i < WORDS; i++) {
      if ((words[base + i] & (1 << ((h * SALT[i]) >>> 27))) == 0) return false;
    }
    return true;
  }

  long bytes() {
    return 4L * words.length;
  }

  /** The block of a key: its high 32 bits scaled onto the blocks (no modulo, no bias worth naming). */
  private int block(long key) {
    return (int) (((key >>> 32) * blocks) >>> 32) * WORDS;
  }

  /** The fewest blocks keeping the false-positive rate at or below {@code fpp} with {@code n} keys. */
  static long blocksFor(long n, double fpp) {
    long b = Math.max(1, n / 32);
    while (falsePositiveRate(n, b) > fpp) b += Math.max(1, b / 64);
    return b;
  }

  /**
   * The rate for {@code n} keys in {@code b} blocks: a block holds j keys with Poisson probability
   * (mean n / b), and a foreign key hits all eight of its bits with probability (1 - (31/32)^j)^8.
   */
  static double falsePositiveRate(long n, long b) {
    double mean = (double) n / b;
    int top = (int) Math.ceil(mean + 12 * Math.sqrt(mean) + 12);
    double p = Math.exp(-mean);
    double rate = 0;
    for (int j = 0; j <= top; j++) {
      if (j > 0) p *= mean / j;
      rate += p * Math.pow(1 - Math.pow(31.0 / 32, j), WORDS);
    }
    return rate;
  }
}
