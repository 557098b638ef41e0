package io.donorstream.scoring;

import io.donorstream.metrics.ScoringMetrics;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by cell id: a cell id seen again within the window is dead-lettered as a duplicate (or,
 * with the policy off, passed on). The memory of ids expires with state TTL, so state stays bounded.
 */
public final class DuplicateFilter extends KeyedProcessFunction<String, ValidCell, ValidCell> {
  private final long windowMillis;
  private final boolean deadLetter;
  private transient ValueState<Boolean> seen;
  private transient CellValidator.DeadLetterCounters counters;

  public DuplicateFilter(long windowMillis, boolean deadLetter) {
    this.windowMillis = windowMillis;
    this.deadLetter = deadLetter;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen-cell-id", Boolean.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(windowMillis)).build());
    seen = getRuntimeContext().getState(d);
    counters = new CellValidator.DeadLetterCounters(getRuntimeContext().getMetricGroup().addGroup(ScoringMetrics.GROUP));
  }

  @Override
  public void processElement(ValidCell c, Context ctx, Collector<ValidCell> out) throws Exception {
    if (Boolean.TRUE.equals(seen.value()) && deadLetter) {
      counters.inc(DeadLetters.DUPLICATE);
      ctx.output(DeadLetters.TAG, DeadLetters.of(c.raw, DeadLetters.DUPLICATE, "cell id " + c.cellId + " seen within the last "
          + windowMillis / 1000 + " s"));
      return;
    }
    seen.update(true);
    out.collect(c);
  }
}
