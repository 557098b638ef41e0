package io.donorstream.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The scoring operator's metrics, registered on its {@code donorstream} group: what came in and out,
 * what went to dead letters and why, batch sizes, latencies, swaps, refused models, and gauges for
 * the served model's version and the cells waiting for a batch; the shadow's version, answers and
 * promotions.
 */
public final class ScoringOperatorMetrics {
  private static final int HISTOGRAM_WINDOW = 1000;

  public final Counter recordsIn;
  public final Counter recordsOut;
  public final Counter swaps;
  public final Counter rejections;
  public final Counter shadowRecordsOut;
  public final Counter promotions;
  public final Histogram batchSize;
  public final Histogram scoringLatencyMs;
  public final Histogram endToEndLatencyMs;
  public final DeadLetterCounters deadLetters;

  /**
   * @param group the operator's {@link ProjectMetricGroup#NAME} group
   * @param modelVersion the served model's version (-1 when none)
   * @param pendingCells cells waiting for their batch
   */
  public ScoringOperatorMetrics(MetricGroup group, DoubleSupplier modelVersion, IntSupplier pendingCells) {
    this(group, modelVersion, () -> -1.0, pendingCells);
  }

  /** @param shadowVersion the shadow model's version (-1 when none) */
  public ScoringOperatorMetrics(MetricGroup group, DoubleSupplier modelVersion, DoubleSupplier shadowVersion, IntSupplier pendingCells) {
    recordsIn = group.counter(ScoringMetrics.RECORDS_IN);
    recordsOut = group.counter(ScoringMetrics.RECORDS_OUT);
    swaps = group.counter(ScoringMetrics.MODEL_SWAPS);
    rejections = group.counter(ScoringMetrics.MODEL_REJECTIONS);
    shadowRecordsOut = group.counter(ScoringMetrics.SHADOW_RECORDS_OUT);
    promotions = group.counter(ScoringMetrics.PROMOTIONS);
    batchSize = group.histogram(ScoringMetrics.BATCH_SIZE, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    scoringLatencyMs = group.histogram(ScoringMetrics.SCORING_LATENCY_MS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    endToEndLatencyMs = group.histogram(ScoringMetrics.END_TO_END_LATENCY_MS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    deadLetters = new DeadLetterCounters(group);
    group.gauge(ScoringMetrics.MODEL_VERSION, modelVersion::getAsDouble);
    group.gauge(ScoringMetrics.PENDING_CELLS, pendingCells::getAsInt);
    group.gauge(ScoringMetrics.SHADOW_MODEL_VERSION, shadowVersion::getAsDouble);
  }
}
