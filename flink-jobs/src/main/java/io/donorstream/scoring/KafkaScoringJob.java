package io.donorstream.scoring;

import io.donorstream.config.ScoringOptions;
import io.donorstream.flink.FlinkKafka;
import io.donorstream.flink.RawRecord;
import io.donorstream.flink.RawRecordDeserializer;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.ProjectTopics;
import java.util.List;
import java.util.UUID;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

/**
 * The ScoringJob wired to Kafka: the one place its sources and sinks are built. {@code score},
 * the cluster main, the demo, the benchmark and the tests all come here.
 *
 * @param groupId consumer group of the cells source; also the prefix of the sinks' transactional
 *     ids (so two jobs on one broker must use different groups)
 * @param bounded stop at the offsets that exist when the job starts (bounded runs and tests)
 */
public record KafkaScoringJob(KafkaEndpoint kafka, String groupId, boolean bounded, String cellsTopic, String modelUpdatesTopic,
    String predictionsTopic, String deadLetterTopic, String shadowPredictionsTopic) {

  /** Without shadow scoring (announced shadows are refused). */
  public KafkaScoringJob(KafkaEndpoint kafka, String groupId, boolean bounded, String cellsTopic, String modelUpdatesTopic, String predictionsTopic,
      String deadLetterTopic) {
    this(kafka, groupId, bounded, cellsTopic, modelUpdatesTopic, predictionsTopic, deadLetterTopic, null);
  }

  /** On the project's topics ({@link ProjectTopics}). */
  public static KafkaScoringJob onProjectTopics(KafkaEndpoint kafka, String groupId, boolean bounded) {
    return new KafkaScoringJob(kafka, groupId, bounded, ProjectTopics.CELLS, ProjectTopics.MODEL_UPDATES, ProjectTopics.PREDICTIONS,
        ProjectTopics.CELLS_DLQ, ProjectTopics.PREDICTIONS_SHADOW);
  }

  public KafkaScoringJob withCellsTopic(String topic) {
    return new KafkaScoringJob(kafka, groupId, bounded, topic, modelUpdatesTopic, predictionsTopic, deadLetterTopic, shadowPredictionsTopic);
  }

  public ScoringJob job(ScoringOptions options) {
    return job(options, new RawRecordDeserializer());
  }

  /** With a custom reader of the cells topic (tests inject failures this way). */
  public ScoringJob job(ScoringOptions options, KafkaRecordDeserializationSchema<RawRecord> cells) {
    // Every job instance reads all announced models from the start (its own group): the newest
    // valid one wins, and a restored job already knows which one it was serving.
    String modelsGroup = groupId + "-models-" + UUID.randomUUID();
    List<String> outputs = ScoringOutput.topics(predictionsTopic, deadLetterTopic, shadowPredictionsTopic);
    return new ScoringJob(
        FlinkKafka.source(kafka, cellsTopic, groupId, bounded, cells),
        FlinkKafka.source(kafka, modelUpdatesTopic, modelsGroup, bounded),
        FlinkKafka.exactlyOnceSink(kafka, outputs, groupId + "-outputs"),
        options, shadowPredictionsTopic != null);
  }
}
