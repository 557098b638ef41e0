package io.donorstream.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** One counter per dead-letter reason, labelled {@code reason=<code>} in Prometheus. */
public final class DeadLetterCounters {
  private final MetricGroup group;
  private final Map<String, Counter> byReason = new HashMap<>();

  public DeadLetterCounters(MetricGroup group) {
    this.group = group;
  }

  public void inc(String reason) {
    byReason.computeIfAbsent(reason, r -> group.addGroup(ScoringMetrics.REASON, r).counter(ScoringMetrics.DEAD_LETTERS)).inc();
  }
}
