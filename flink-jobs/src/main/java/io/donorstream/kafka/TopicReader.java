package io.donorstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic as it stands now (every partition from the start to its current end, only
 * committed records), for checks, tests and the demo.
 */
public final class TopicReader {
  private TopicReader() {}

  public static void readToEnd(String bootstrap, String topic, long timeoutMs, Consumer<ConsumerRecord<String, byte[]>> sink) {
    readToEnd(KafkaEndpoint.of(bootstrap), topic, timeoutMs, sink);
  }

  public static void readToEnd(KafkaEndpoint kafka, String topic, long timeoutMs, Consumer<ConsumerRecord<String, byte[]>> sink) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(kafka))) {
      List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs)).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .collect(Collectors.toList());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofMillis(timeoutMs));
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (!reached(consumer, end)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("reading " + topic + " did not reach its end offsets " + end + " within " + timeoutMs + " ms");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          sink.accept(r);
        }
      }
    }
  }

  public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic, long timeoutMs) {
    return readAll(KafkaEndpoint.of(bootstrap), topic, timeoutMs);
  }

  public static List<ConsumerRecord<String, byte[]>> readAll(KafkaEndpoint kafka, String topic, long timeoutMs) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    readToEnd(kafka, topic, timeoutMs, out::add);
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }

  public static Map<String, Object> consumerConfig(String bootstrap) {
    return consumerConfig(KafkaEndpoint.of(bootstrap));
  }

  public static Map<String, Object> consumerConfig(KafkaEndpoint kafka) {
    return kafka.clientConfig(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, "donorstream-reader-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
  }
}
