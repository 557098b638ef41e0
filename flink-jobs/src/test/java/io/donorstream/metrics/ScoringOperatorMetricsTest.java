package io.donorstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

/** The scoring metrics under their exported names, checked with Flink's MetricListener (no cluster). */
class ScoringOperatorMetricsTest {

  @Test
  void registersEveryMetricUnderItsNameAndLabelsDeadLettersByReason() {
    MetricListener listener = new MetricListener();
    AtomicInteger pending = new AtomicInteger(7);
    ScoringOperatorMetrics m = new ScoringOperatorMetrics(listener.getMetricGroup().addGroup(ProjectMetricGroup.NAME), () -> 3.0, pending::get);
    m.recordsOut.inc(5);
    m.swaps.inc();
    m.batchSize.update(64);
    m.deadLetters.inc("duplicate");
    m.deadLetters.inc("duplicate");
    m.deadLetters.inc("corrupt");
    pending.set(2);

    assertThat(listener.getCounter(ProjectMetricGroup.NAME, ScoringMetrics.RECORDS_OUT)).get().extracting(c -> c.getCount()).isEqualTo(5L);
    assertThat(listener.getCounter(ProjectMetricGroup.NAME, ScoringMetrics.MODEL_SWAPS)).get().extracting(c -> c.getCount()).isEqualTo(1L);
    assertThat(listener.getCounter(ProjectMetricGroup.NAME, ScoringMetrics.MODEL_REJECTIONS)).get().extracting(c -> c.getCount()).isEqualTo(0L);
    assertThat(listener.getHistogram(ProjectMetricGroup.NAME, ScoringMetrics.BATCH_SIZE)).get().extracting(h -> h.getCount()).isEqualTo(1L);
    assertThat(listener.getHistogram(ProjectMetricGroup.NAME, ScoringMetrics.SCORING_LATENCY_MS)).isPresent();
    assertThat(listener.getHistogram(ProjectMetricGroup.NAME, ScoringMetrics.END_TO_END_LATENCY_MS)).isPresent();
    assertThat(listener.<Double>getGauge(ProjectMetricGroup.NAME, ScoringMetrics.MODEL_VERSION)).get().extracting(Gauge::getValue).isEqualTo(3.0);
    assertThat(listener.<Integer>getGauge(ProjectMetricGroup.NAME, ScoringMetrics.PENDING_CELLS)).get().extracting(Gauge::getValue).isEqualTo(2);
    assertThat(listener.getCounter(ProjectMetricGroup.NAME, ScoringMetrics.REASON, "duplicate", ScoringMetrics.DEAD_LETTERS)).get()
        .extracting(c -> c.getCount()).isEqualTo(2L);
    assertThat(listener.getCounter(ProjectMetricGroup.NAME, ScoringMetrics.REASON, "corrupt", ScoringMetrics.DEAD_LETTERS)).get()
        .extracting(c -> c.getCount()).isEqualTo(1L);
  }
}
