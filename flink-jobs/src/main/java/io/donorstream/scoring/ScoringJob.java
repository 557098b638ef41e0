package io.donorstream.scoring;

import io.donorstream.config.ScoringOptions;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Cells from Kafka, as bytes, keyed by their record key (the cell id) → one keyed operator that
 * decodes and checks each record once (bad ones to dead letters), checks for repeats and scores in
 * micro-batches with DJL, with models swapped from the broadcast model-update stream → predictions,
 * dead letters and shadow answers through one exactly-once sink.
 * Only record bytes cross the network exchange (their own serializer; nothing is decoded twice). The job
 * takes its sources and sinks in the constructor; {@code ScoreCommand} wires Kafka, tests wire
 * their own.
 */
public final class ScoringJob {
  private final Source<RawRecord, ?, ?> cells;
  private final Source<RawRecord, ?, ?> modelUpdates;
  private final Sink<KeyedBytes> outputs;
  private final ScoringOptions options;
  private final boolean shadows;

  /**
   * @param outputs one sink for predictions, dead letters and shadow answers, told apart by their
   *     {@link ScoringOutput}: one transaction per subtask and checkpoint for all
   * @param shadows whether shadow models are served (the outputs sink has a topic for their answers)
   */
  public ScoringJob(Source<RawRecord, ?, ?> cells, Source<RawRecord, ?, ?> modelUpdates, Sink<KeyedBytes> outputs, ScoringOptions options,
      boolean shadows) {
    this.cells = cells;
    this.modelUpdates = modelUpdates;
    this.outputs = outputs;
    this.options = options;
    this.shadows = shadows;
  }

  /** Adds the job's operators to {@code env}. */
  public void build(StreamExecutionEnvironment env) {
    // The one network exchange (keyBy cell id) would otherwise hold records up to 100 ms.
    env.setBufferTimeout(options.bufferTimeoutMillis);
    // The duplicate check's state is write-once ids that expire together (see DuplicateStateOptions).
    if (options.duplicateDeadLetter) env.configure(DuplicateStateOptions.jobConfiguration(options.duplicateWindowMillis));
    // Event time is the record's Kafka timestamp (the publisher's observation time).
    WatermarkStrategy<RawRecord> eventTime = WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
        .withTimestampAssigner((r, previous) -> r.timestamp)
        .withIdleness(Duration.ofSeconds(30));
    DataStream<RawRecord> raw = env.fromSource(cells, eventTime, "cells").uid("cells-source");
    DataStream<RawRecord> updates = env.fromSource(modelUpdates, WatermarkStrategy.noWatermarks(), "model-updates")
        .uid("model-updates-source").setParallelism(1);
    // Keyed by the record key (the cell id; the operator dead-letters a cell under another key) so
    // the duplicate check sees every repeat of an id: the one network exchange, of bytes.
    SingleOutputStreamOperator<KeyedBytes> scored = raw.keyBy(ScoringJob::partitionKey, Types.STRING).connect(updates.broadcast())
        .transform("score", TypeInformation.of(KeyedBytes.class), new MicroBatchScoringOperator(options, shadows))
        .uid("score");
    // Chained to the scoring operator: nothing crosses a thread on the way out.
    scored.sinkTo(outputs).name("outputs-sink").uid("outputs-sink");
  }

  /**
   * The record key as text; a record without a key (dead-lettered after the exchange) is spread by
   * its position, so unkeyed junk does not pile onto one subtask.
   */
  static String partitionKey(RawRecord r) {
    if (r.key != null) return new String(r.key, StandardCharsets.UTF_8);
    return "\u0000" + r.partition + "/" + r.offset;
  }
}
