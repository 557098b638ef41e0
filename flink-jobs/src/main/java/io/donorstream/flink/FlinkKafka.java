package io.donorstream.flink;

import io.donorstream.kafka.KafkaEndpoint;
import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** Kafka sources and exactly-once sinks as the jobs use them. */
public final class FlinkKafka {
  /**
   * Well above a checkpoint interval plus a restart, and short because a transaction left open by
   * a crash before the first checkpoint blocks read_committed consumers of that partition until
   * the broker times it out.
   */
  static final String TRANSACTION_TIMEOUT_MS = "60000";

  private FlinkKafka() {}

  /**
   * @param bounded stop at the offsets that exist when the job starts (for bounded runs and tests)
   */
  public static KafkaSource<RawRecord> source(KafkaEndpoint kafka, String topic, String groupId, boolean bounded) {
    return source(kafka, topic, groupId, bounded, new RawRecordDeserializer());
  }

  public static KafkaSource<RawRecord> source(KafkaEndpoint kafka, String topic, String groupId, boolean bounded,
      org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema<RawRecord> deserializer) {
    var b = KafkaSource.<RawRecord>builder()
        .setBootstrapServers(kafka.bootstrap())
        .setProperties(kafka.properties())
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
        .setDeserializer(deserializer)
        .setProperty("isolation.level", "read_committed");
    if (bounded) b.setBounded(OffsetsInitializer.latest());
    return b.build();
  }

  /** A transactional sink: records become visible to read_committed consumers when a checkpoint completes. */
  public static KafkaSink<KeyedBytes> exactlyOnceSink(KafkaEndpoint kafka, String topic, String transactionalIdPrefix) {
    return exactlyOnceSink(kafka, List.of(topic), transactionalIdPrefix);
  }

  /**
   * A transactional sink writing each record to {@code topics.get(record.destination)}: one
   * transaction per subtask and checkpoint for all of them. A job with an exactly-once sink per
   * output topic pays each one's transaction setup at every checkpoint, on its task thread, also
   * for outputs that stay empty (shadow answers, dead letters).
   */
  public static KafkaSink<KeyedBytes> exactlyOnceSink(KafkaEndpoint kafka, List<String> topics, String transactionalIdPrefix) {
    Properties p = kafka.properties();
    p.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
    p.setProperty("max.request.size", String.valueOf(32 << 20));
    // Predictions are ~0.7 KB: the default 16 KB batches mean a produce request per ~20 records.
    p.setProperty("batch.size", String.valueOf(256 << 10));
    p.setProperty("linger.ms", "10");
    return KafkaSink.<KeyedBytes>builder()
        .setBootstrapServers(kafka.bootstrap())
        .setKafkaProducerConfig(p)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        // A small pool of reused transactional ids: recovery does not probe and abort id after id.
        .setTransactionNamingStrategy(org.apache.flink.connector.kafka.sink.TransactionNamingStrategy.POOLING)
        .setRecordSerializer(new KeyedBytesRecords(topics))
        .build();
  }
}
