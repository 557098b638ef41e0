package io.donorstream.flink;

import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@link KeyedBytes} as Kafka records, each to the topic its {@link KeyedBytes#destination} names
 * (the connector's builder would wrap a topic selector in a per-record cache keyed by the record).
 */
final class KeyedBytesRecords implements KafkaRecordSerializationSchema<KeyedBytes>, KafkaDatasetFacetProvider {
  private final String[] topics;

  KeyedBytesRecords(List<String> topics) {
    this.topics = topics.toArray(String[]::new);
  }

  /** The topics written (the POOLING transaction naming needs them, to find transactions to abort on recovery). */
  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topics))));
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(KeyedBytes e, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(topics[e.destination], null, timestamp == null || timestamp < 0 ? null : timestamp, e.key, e.value);
  }
}
