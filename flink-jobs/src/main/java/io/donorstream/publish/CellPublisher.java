package io.donorstream.publish;

import io.donorstream.data.CellTable;
import io.donorstream.data.Shuffle;
import io.donorstream.kafka.KafkaAccessException;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.progress.Progress;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes the cells of a table to Kafka as {@link CellEvent}s keyed by cell id. */
public final class CellPublisher {
  /** How long a broker may take to answer before we call it unreachable. */
  static final int REACH_TIMEOUT_MS = 10_000;

  private CellPublisher() {}

  public static PublishSummary publish(CellTable table, PublishOptions o) {
    checkTopicExists(o.kafka(), o.topic());
    int[] order = order(table.size(), o);
    SplittableRandom labelRng = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    AtomicReference<Exception> sendError = new AtomicReference<>();
    long bytes = 0;
    long labeled = 0;
    long start = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(o.kafka()));
        ProgressBar bar = o.showProgress() ? Progress.bar("publish " + o.topic(), order.length, "cells") : null) {
      for (int i = 0; i < order.length; i++) {
        if (sendError.get() != null) break;
        pace(start, i, o.rate());
        boolean withLabels = labelRng.nextDouble() < o.labelsFraction();
        CellEvent event = CellEvents.of(table, order[i], Instant.now(), withLabels);
        byte[] value = serde.serialize(event);
        bytes += value.length;
        if (withLabels && table.hasDonors()) labeled++;
        producer.send(new ProducerRecord<>(o.topic(), event.getCellId(), value), (md, e) -> {
          if (e != null) sendError.compareAndSet(null, e);
        });
        if (bar != null) bar.step();
      }
      producer.flush();
    }
    if (sendError.get() != null) {
      throw new KafkaAccessException("publishing to " + o.topic() + " on " + o.kafka() + " failed: " + sendError.get().getMessage());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new PublishSummary(order.length, labeled, bytes, seconds);
  }

  private static int[] order(int n, PublishOptions o) {
    int count = o.limit() > 0 ? (int) Math.min(n, o.limit()) : n;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    if (o.shuffle()) Shuffle.shuffle(idx, new SplittableRandom(o.seed()));
    return java.util.Arrays.copyOf(idx, count);
  }

  /** Holds record {@code i} back until its slot in a steady stream of {@code rate} per second. */
  private static void pace(long startNanos, int i, double rate) {
    if (rate <= 0) return;
    long due = startNanos + (long) (i * 1e9 / rate);
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  static Map<String, Object> producerConfig(KafkaEndpoint kafka) {
    return kafka.clientConfig(Map.of(
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, REACH_TIMEOUT_MS,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000));
  }

  /** Fails fast, with a clear message, when the broker is unreachable or the topic is missing. */
  public static void checkTopicExists(KafkaEndpoint kafka, String topic) {
    Admin admin = kafka.admin();
    try {
      Set<String> topics = admin.listTopics().names().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (!topics.contains(topic)) {
        throw new KafkaAccessException("topic '" + topic + "' does not exist on " + kafka.bootstrap() + " (topics: " + topics
            + "); create it, e.g. ./donorstream kafka --create-topics");
      }
    } catch (ExecutionException e) {
      throw KafkaAccessException.refused(kafka, e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaAccessException("cannot reach Kafka at " + kafka.bootstrap() + " within " + REACH_TIMEOUT_MS / 1000
          + " s; is a broker running there? (start one with ./donorstream kafka)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAccessException("interrupted while contacting " + kafka.bootstrap());
    } finally {
      // An unreachable broker leaves the call pending; do not wait for it.
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }
}
