package io.donorstream.scoring;

import io.donorstream.flink.RawRecord;
import io.donorstream.flink.RawRecordDeserializer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Throws once, at the n-th record across all subtasks, to make the job fail and recover. */
final class FailOnceDeserializer extends RawRecordDeserializer {
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger SEEN = new AtomicInteger();
  private final int failAt;

  FailOnceDeserializer(int failAt) {
    this.failAt = failAt;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<RawRecord> out) {
    if (SEEN.incrementAndGet() >= failAt && FAILED.compareAndSet(false, true)) {
      throw new IllegalStateException("injected failure at record " + failAt);
    }
    super.deserialize(r, out);
  }
}
