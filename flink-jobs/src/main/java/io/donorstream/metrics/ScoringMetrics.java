package io.donorstream.metrics;

/**
 * Names of the scoring job's metrics, exported under the group {@code donorstream} (docs/architecture.md):
 * Prometheus shows them as {@code flink_taskmanager_job_task_operator_donorstream_<name>}.
 */
public final class ScoringMetrics {
  public static final String RECORDS_IN = "recordsIn";
  public static final String RECORDS_OUT = "recordsOut";
  public static final String DEAD_LETTERS = "deadLetters";
  public static final String REASON = "reason";
  public static final String BATCH_SIZE = "batchSize";
  public static final String SCORING_LATENCY_MS = "scoringLatencyMs";
  public static final String END_TO_END_LATENCY_MS = "endToEndLatencyMs";
  public static final String MODEL_VERSION = "modelVersion";
  public static final String MODEL_SWAPS = "modelSwaps";
  public static final String MODEL_REJECTIONS = "modelRejections";
  public static final String PENDING_CELLS = "pendingCells";
  /** Bloom filters alive in the duplicate check's in-heap front: flat once the stream has run for one duplicate window. */
  public static final String DUPLICATE_FILTERS = "duplicateFilters";
  /** The shadow model's version (-1 when there is none). */
  public static final String SHADOW_MODEL_VERSION = "shadowModelVersion";
  public static final String SHADOW_RECORDS_OUT = "shadowRecordsOut";
  /** Swaps to a champion that this subtask was serving as its shadow. */
  public static final String PROMOTIONS = "promotions";

  private ScoringMetrics() {}
}
