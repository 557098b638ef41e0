package io.donorstream.monitor;

import io.donorstream.config.MonitorOptions;
import io.donorstream.flink.FlinkKafka;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.quality.ModelInfo;
import java.util.List;
import java.util.UUID;

/**
 * The MonitoringJob wired to Kafka: the one place its sources and sinks are built.
 *
 * @param groupId consumer group of the predictions and labels sources, and prefix of the sinks'
 *     transactional ids
 * @param bounded stop at the offsets that exist when the job starts (bounded runs and tests)
 */
public record KafkaMonitoringJob(KafkaEndpoint kafka, String groupId, boolean bounded, String predictionsTopic, String labelsTopic,
    String modelUpdatesTopic, String qualityTopic, String retrainRequestsTopic, String deadLetterTopic, String cellsTopic,
    String shadowPredictionsTopic) {

  /** Without shadow models. */
  public KafkaMonitoringJob(KafkaEndpoint kafka, String groupId, boolean bounded, String predictionsTopic, String labelsTopic,
      String modelUpdatesTopic, String qualityTopic, String retrainRequestsTopic, String deadLetterTopic, String cellsTopic) {
    this(kafka, groupId, bounded, predictionsTopic, labelsTopic, modelUpdatesTopic, qualityTopic, retrainRequestsTopic, deadLetterTopic,
        cellsTopic, null);
  }

  public static KafkaMonitoringJob onProjectTopics(KafkaEndpoint kafka, String groupId, boolean bounded) {
    return new KafkaMonitoringJob(kafka, groupId, bounded, ProjectTopics.PREDICTIONS, ProjectTopics.LABELS, ProjectTopics.MODEL_UPDATES,
        ProjectTopics.QUALITY, ProjectTopics.RETRAIN_REQUESTS, ProjectTopics.MONITOR_DLQ, ProjectTopics.CELLS, ProjectTopics.PREDICTIONS_SHADOW);
  }

  public MonitoringJob job(MonitorOptions options) {
    return job(options, List.of(), null);
  }

  /**
   * @param givenModels models served from a path and perhaps never announced on model-updates
   * @param archiveDir where labelled cells from the cells topic are archived for training; null for none
   */
  public MonitoringJob job(MonitorOptions options, List<ModelInfo> givenModels, String archiveDir) {
    // Every run reads all announced models from the start, in a group of its own.
    String modelsGroup = groupId + "-models-" + UUID.randomUUID();
    MonitoringJob job = new MonitoringJob(
        FlinkKafka.source(kafka, predictionsTopic, groupId, bounded),
        FlinkKafka.source(kafka, labelsTopic, groupId, bounded),
        FlinkKafka.source(kafka, modelUpdatesTopic, modelsGroup, bounded),
        FlinkKafka.exactlyOnceSink(kafka, qualityTopic, groupId + "-quality"),
        FlinkKafka.exactlyOnceSink(kafka, retrainRequestsTopic, groupId + "-retrain-requests"),
        FlinkKafka.exactlyOnceSink(kafka, deadLetterTopic, groupId + "-dead-letters"),
        options, givenModels);
    if (shadowPredictionsTopic != null) job.withShadows(FlinkKafka.source(kafka, shadowPredictionsTopic, groupId, bounded));
    return archiveDir == null ? job : job.archiving(FlinkKafka.source(kafka, cellsTopic, groupId, bounded), TrainingArchive.sink(archiveDir));
  }
}
