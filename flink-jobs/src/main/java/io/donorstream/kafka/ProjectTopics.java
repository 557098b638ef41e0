package io.donorstream.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/** The Kafka topics of docs/architecture.md, with the partitioning and retention each needs. */
public final class ProjectTopics {
  public static final String CELLS = "cells";
  public static final String CELLS_DLQ = "cells-dlq";
  public static final String PREDICTIONS = "predictions";
  /** A shadow model's answers (DonorPrediction): read by the monitor, never by consumers of {@link #PREDICTIONS}. */
  public static final String PREDICTIONS_SHADOW = "predictions-shadow";
  public static final String LABELS = "labels";
  public static final String QUALITY = "quality";
  public static final String RETRAIN_REQUESTS = "retrain-requests";
  public static final String MODEL_UPDATES = "model-updates";
  /** Records the MonitoringJob could not read (DeadLetter, as on cells-dlq). */
  public static final String MONITOR_DLQ = "monitor-dlq";

  /**
   * {@link #MODEL_UPDATES} keeps every announcement for ever: a job submitted a month later replays
   * it to find its champion (the records are a few hundred bytes per model version).
   */
  public static final Map<String, String> MODEL_UPDATES_CONFIG = Map.of("retention.ms", "-1", "retention.bytes", "-1");

  private ProjectTopics() {}

  /**
   * @param partitions partitions of the data topics; control topics keep one partition so their
   *     records stay in order
   */
  public static List<NewTopic> all(int partitions) {
    return List.of(
        new NewTopic(CELLS, partitions, (short) 1),
        new NewTopic(CELLS_DLQ, partitions, (short) 1),
        new NewTopic(PREDICTIONS, partitions, (short) 1),
        new NewTopic(PREDICTIONS_SHADOW, partitions, (short) 1),
        new NewTopic(LABELS, partitions, (short) 1),
        new NewTopic(QUALITY, 1, (short) 1),
        new NewTopic(RETRAIN_REQUESTS, 1, (short) 1),
        new NewTopic(MODEL_UPDATES, 1, (short) 1).configs(MODEL_UPDATES_CONFIG),
        new NewTopic(MONITOR_DLQ, 1, (short) 1));
  }
}
