package io.donorstream.bench.scoring;

import io.donorstream.flink.FlinkKafka;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.kafka.KafkaEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The yardstick for the ScoringJob: the same records through the same plumbing (Kafka source, a keyBy
 * on the cell id, an exactly-once Kafka sink) with nothing decoded and nothing scored. Each output
 * value is the input's, behind the 8-byte wall-clock time it passed the identity step (the
 * counterpart of a prediction's {@code scored_at}).
 */
final class PassthroughJob {
  private PassthroughJob() {}

  static void build(StreamExecutionEnvironment env, String bootstrap, String inTopic, String outTopic, String group, boolean bounded) {
    env.setBufferTimeout(10); // as the ScoringJob's exchange (scoring.network.buffer-timeout-millis)
    env.fromSource(FlinkKafka.source(KafkaEndpoint.of(bootstrap), inTopic, group, bounded), WatermarkStrategy.noWatermarks(), "cells")
        .keyBy(r -> new String(r.key, StandardCharsets.UTF_8))
        .map(new Stamp()).returns(TypeInformation.of(KeyedBytes.class)).name("identity")
        .sinkTo(FlinkKafka.exactlyOnceSink(KafkaEndpoint.of(bootstrap), outTopic, group + "-out")).name("passthrough-sink");
  }

  /** The wall-clock time a value left the identity step. */
  static long stampOf(byte[] value) {
    return ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
  }

  private static final class Stamp implements MapFunction<RawRecord, KeyedBytes> {
    @Override
    public KeyedBytes map(RawRecord r) {
      byte[] out = ByteBuffer.allocate(Long.BYTES + r.value.length).putLong(System.currentTimeMillis()).put(r.value).array();
      return new KeyedBytes(r.key, out);
    }
  }
}
