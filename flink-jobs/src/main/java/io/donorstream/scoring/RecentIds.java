package io.donorstream.scoring;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The cell ids this subtask has seen within the duplicate window, as Bloom filters over time
 * buckets (at most one eighth of the window each, and closed early when full, so no filter holds more
 * ids than it was sized for; a bucket is dropped once every id in it has expired): "certainly not
 * seen" is exact, "maybe seen" is wrong for about 1 % of new ids per live filter. Heap only, never checkpointed:
 * it only spares the state backend a read, and {@link DuplicateCheck} does not trust it for one
 * window after a restore.
 *
 * <p>An id is hashed once, to 64 bits, and the filters ({@link BlockedBloomFilter}s) hold that
 * number: a probe of a live filter reads one 32-byte block and hashes nothing (two ids sharing a
 * 64-bit hash add a "maybe" about once in 2^64 / n lookups, nothing beside the filters' 1 %).
 *
 * <p>Memory: about 1.3 to 2.7 bytes per id in the window (10.6 bits per id at 1 %; filters are sized
 * ahead of the rate), e.g. 40-80 MB for a subtask that sees 50,000 cells/s with the default 10-minute window.
 */
final class RecentIds {
  static final int BUCKETS_PER_WINDOW = 8;
  private static final double FALSE_POSITIVES = 0.01;
  private static final int MIN_EXPECTED = 100_000;

  private final long windowMillis;
  private final long bucketMillis;
  private final Deque<Bucket> buckets = new ArrayDeque<>();

  RecentIds(long windowMillis) {
    this.windowMillis = windowMillis;
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS_PER_WINDOW);
  }

  private static final class Bucket {
    final long start;
    final long capacity;
    final BlockedBloomFilter ids;
    long count;
    long lastAdded;

    Bucket(long start, long capacity) {
      this.start = start;
      this.capacity = capacity;
      this.ids = new BlockedBloomFilter(capacity, FALSE_POSITIVES);
    }
  }

  /**
   * The 64-bit key the filters hold for an id: its FarmHash fingerprint, computed in one call on
   * the id's bytes (Murmur3-128 through a streaming hasher cost twice as much per cell).
   */
  static long key(String id) {
    return Hashing.farmHashFingerprint64().hashString(id, StandardCharsets.UTF_8).asLong();
  }

  /** False when {@code id} was certainly not added within the window before {@code now}. */
  boolean mightContain(String id, long now) {
    return mightContain(key(id), now);
  }

  boolean mightContain(long key, long now) {
    expire(now);
    // Newest first: a repeat usually comes soon after the original.
    for (Iterator<Bucket> it = buckets.descendingIterator(); it.hasNext(); ) {
      if (it.next().ids.mightContain(key)) return true;
    }
    return false;
  }

  void add(String id, long now) {
    add(key(id), now);
  }

  void add(long key, long now) {
    Bucket current = buckets.peekLast();
    if (current == null || now >= current.start + bucketMillis || current.count >= current.capacity) {
      expire(now);
      // Twice the last bucket's count: a rising rate is caught up with in a few full buckets.
      long capacity = Math.max(MIN_EXPECTED, current == null ? 0 : current.count * 2);
      current = new Bucket(now, capacity);
      buckets.addLast(current);
    }
    current.ids.put(key);
    current.count++;
    current.lastAdded = now;
  }

  /** Buckets (one Bloom filter each) kept now: flat once the stream has run for a window. */
  int buckets() {
    return buckets.size();
  }

  private void expire(long now) {
    // An id added at t lives in state until t + window; its bucket's last add is at or after t.
    while (!buckets.isEmpty() && buckets.peekFirst().lastAdded + windowMillis <= now) buckets.removeFirst();
  }
}
