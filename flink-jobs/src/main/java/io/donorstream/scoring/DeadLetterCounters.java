package io.donorstream.scoring;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import io.donorstream.metrics.ScoringMetrics;

/** One counter per dead-letter reason, labelled {@code reason=<code>} in Prometheus. */
final class DeadLetterCounters {
  private final MetricGroup group;
  private final Map<String, Counter> byReason = new HashMap<>();

  DeadLetterCounters(MetricGroup group) {
    this.group = group;
  }

  void inc(String reason) {
    byReason.computeIfAbsent(reason, r -> group.addGroup(ScoringMetrics.REASON, r).counter(ScoringMetrics.DEAD_LETTERS)).inc();
  }
}
