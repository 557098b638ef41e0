package io.donorstream.scoring;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * Tells a repeated cell id (within the window) from a new one. The truth is keyed state with a TTL
 * (bounded, checkpointed, exactly once across failures and rescaling); every id is written there.
 * Reading it is the costly part (a RocksDB lookup per cell), so {@link RecentIds} answers first:
 * an id it has certainly not seen is new without a read. It only knows what this run of the
 * operator saw, so after a restore every id is read from state until one window has passed.
 */
final class DuplicateCheck {
  private final ValueState<Boolean> seen;
  private final RecentIds recent;
  private final LongSupplier clock;
  private final long trustedFrom;

  /**
   * @param restored whether the operator's state came from a checkpoint (ids from before are in
   *     state only)
   * @param clock wall-clock milliseconds, the time the state TTL runs on
   */
  DuplicateCheck(KeyedStateStore store, long windowMillis, boolean restored, LongSupplier clock) {
    if (store == null) throw new IllegalStateException("the duplicate check needs a stream keyed by cell id");
    ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen-cell-id", Boolean.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(windowMillis)).build());
    this.seen = store.getState(d);
    this.recent = new RecentIds(windowMillis);
    this.clock = clock;
    this.trustedFrom = restored ? clock.getAsLong() + windowMillis : Long.MIN_VALUE;
  }

  /**
   * True when {@code cellId} (the current key) was seen within the window; otherwise remembers it
   * and returns false.
   */
  boolean isRepeat(String cellId) throws IOException {
    long now = clock.getAsLong();
    long key = RecentIds.key(cellId);
    boolean certainlyNew = now >= trustedFrom && !recent.mightContain(key, now);
    if (!certainlyNew && Boolean.TRUE.equals(seen.value())) return true;
    seen.update(true);
    recent.add(key, now);
    return false;
  }

  /** Bloom filters alive in the in-heap front (one per time bucket of the window). */
  int liveFilters() {
    return recent.buckets();
  }

  /** Whether the last restore's window has passed, so {@link RecentIds} can answer alone (for tests). */
  boolean trustsRecentIds() {
    return clock.getAsLong() >= trustedFrom;
  }
}
