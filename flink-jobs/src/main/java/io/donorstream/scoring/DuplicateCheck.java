package io.donorstream.scoring;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * Remembers the cell ids of the current key for a window, in keyed state that expires with TTL
 * (so state stays bounded), to tell a repeated cell id from a new one.
 */
final class DuplicateCheck {
  private final ValueState<Boolean> seen;

  DuplicateCheck(KeyedStateStore store, long windowMillis) {
    if (store == null) throw new IllegalStateException("the duplicate check needs a stream keyed by cell id");
    ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen-cell-id", Boolean.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(windowMillis)).build());
    seen = store.getState(d);
  }

  /** True when the current key was seen within the window; otherwise remembers it and returns false. */
  boolean isRepeat() throws IOException {
    if (Boolean.TRUE.equals(seen.value())) return true;
    seen.update(true);
    return false;
  }
}
