package io.donorstream.scoring;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The cell ids this subtask has seen within the duplicate window, as Bloom filters over time
 * buckets (one eighth of the window each, dropped once every id in them has expired): "certainly
 * not seen" is exact, "maybe seen" is wrong for about 1 % of new ids. Heap only, never checkpointed:
 * it only spares the state backend a read, and {@link DuplicateCheck} does not trust it for one
 * window after a restore.
 *
 * <p>Memory: about 1.2 bytes per id in the window (1 % false positives), e.g. 36 MB for a subtask
 * that sees 50,000 cells/s with the default 10-minute window.
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
    final BloomFilter<CharSequence> ids;
    long count;

    Bucket(long start, long expected) {
      this.start = start;
      this.ids = BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), expected, FALSE_POSITIVES);
    }
  }

  /** False when {@code id} was certainly not added within the window before {@code now}. */
  boolean mightContain(String id, long now) {
    expire(now);
    for (Bucket b : buckets) if (b.ids.mightContain(id)) return true;
    return false;
  }

  void add(String id, long now) {
    Bucket current = buckets.peekLast();
    if (current == null || now >= current.start + bucketMillis) {
      expire(now);
      // Sized by the last bucket's count, so a filter stays near its false-positive rate as the rate changes.
      long expected = Math.max(MIN_EXPECTED, current == null ? 0 : current.count * 2);
      current = new Bucket(now - now % bucketMillis, expected);
      buckets.addLast(current);
    }
    current.ids.put(id);
    current.count++;
  }

  /** Buckets kept now (for tests). */
  int buckets() {
    return buckets.size();
  }

  private void expire(long now) {
    // An id added at t lives in state until t + window; its bucket ends after t.
    while (!buckets.isEmpty() && buckets.peekFirst().start + bucketMillis + windowMillis <= now) buckets.removeFirst();
  }
}
