package io.donorstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts committed records arriving on output topics after it starts, for bounded runs of a
 * streaming job: "stop after N cells" or "stop after S seconds without output".
 */
public final class OutputWatcher implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private long count;
  private long lastArrival = System.currentTimeMillis();

  public OutputWatcher(KafkaEndpoint kafka, List<String> topics) {
    consumer = new KafkaConsumer<>(TopicReader.consumerConfig(kafka));
    List<TopicPartition> parts = new ArrayList<>();
    for (String t : topics) {
      consumer.partitionsFor(t, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
    }
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position);
  }

  /** Polls once (up to {@code millis}); returns the total count so far. */
  public long poll(long millis) {
    return poll(millis, r -> {});
  }

  /** Polls once, handing each record that arrived to {@code each}; returns the total count so far. */
  public long poll(long millis, Consumer<ConsumerRecord<String, byte[]>> each) {
    var records = consumer.poll(Duration.ofMillis(millis));
    records.forEach(each);
    int n = records.count();
    if (n > 0) {
      count += n;
      lastArrival = System.currentTimeMillis();
    }
    return count;
  }

  public long count() {
    return count;
  }

  public long millisSinceLastArrival() {
    return System.currentTimeMillis() - lastArrival;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
