package io.donorstream.monitor;

import io.donorstream.config.MonitorOptions;
import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.quality.ModelInfo;
import io.donorstream.quality.Outcome;
import io.donorstream.schema.CellEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * predictions + labels → decode (bad records to dead letters) → join by cell id (keyed, RocksDB,
 * TTL) → per model version: windowed quality, label-free accuracy, online sex probe, online
 * challenger, ADWIN drift and the retrain rules (one subtask, state in checkpoints) → quality
 * reports and retrain requests. Model updates tell the monitor each version's donors, calibration
 * and training mix. Optionally ({@link #archiving}) labelled cells go to the training archive.
 * Sources and sinks come in the constructor; {@link KafkaMonitoringJob} wires Kafka.
 */
public final class MonitoringJob {
  private final Source<RawRecord, ?, ?> predictions;
  private final Source<RawRecord, ?, ?> labels;
  private final Source<RawRecord, ?, ?> modelUpdates;
  private final Sink<KeyedBytes> quality;
  private final Sink<KeyedBytes> retrainRequests;
  private final Sink<KeyedBytes> deadLetters;
  private final MonitorOptions options;
  private final List<ModelInfo> givenModels;
  private Source<RawRecord, ?, ?> archiveCells;
  private Source<RawRecord, ?, ?> shadowPredictions;
  private Sink<CellEvent> archive;

  /** @param givenModels models known from the start, besides those announced on model-updates */
  public MonitoringJob(Source<RawRecord, ?, ?> predictions, Source<RawRecord, ?, ?> labels, Source<RawRecord, ?, ?> modelUpdates,
      Sink<KeyedBytes> quality, Sink<KeyedBytes> retrainRequests, Sink<KeyedBytes> deadLetters, MonitorOptions options,
      List<ModelInfo> givenModels) {
    this.predictions = predictions;
    this.labels = labels;
    this.modelUpdates = modelUpdates;
    this.quality = quality;
    this.retrainRequests = retrainRequests;
    this.deadLetters = deadLetters;
    this.options = options;
    this.givenModels = List.copyOf(givenModels);
  }

  /** Also writes every labelled cell of {@code cells} (labels inside, or joined from labels) to {@code archive}. */
  public MonitoringJob archiving(Source<RawRecord, ?, ?> cells, Sink<CellEvent> archive) {
    this.archiveCells = cells;
    this.archive = archive;
    return this;
  }

  /** Also monitors shadow models' answers from {@code shadow}, each compared cell by cell with the champion's. */
  public MonitoringJob withShadows(Source<RawRecord, ?, ?> shadow) {
    this.shadowPredictions = shadow;
    return this;
  }

  /** Adds the job's operators to {@code env} (their ids are prefixed, so the ScoringJob can share the environment). */
  public void build(StreamExecutionEnvironment env) {
    SingleOutputStreamOperator<Outcome> outcomes = env.fromSource(predictions, WatermarkStrategy.noWatermarks(), "predictions")
        .uid("monitor-predictions-source")
        .process(new MonitorDecoders.Predictions()).name("decode-predictions").uid("monitor-decode-predictions");
    SingleOutputStreamOperator<LabelEvent> labelEvents = env.fromSource(labels, WatermarkStrategy.noWatermarks(), "labels")
        .uid("monitor-labels-source")
        .process(new MonitorDecoders.Labels()).name("decode-labels").uid("monitor-decode-labels");
    // Event time is the cell's observation time, carried in both records.
    Duration lateness = Duration.ofMillis(options.outOfOrdernessMillis);
    DataStream<Outcome> timedOutcomes = outcomes.assignTimestampsAndWatermarks(WatermarkStrategy.<Outcome>forBoundedOutOfOrderness(lateness)
        .withTimestampAssigner((o, previous) -> o.eventTime()).withIdleness(Duration.ofMillis(options.idleMillis))).uid("monitor-prediction-time");
    DataStream<LabelEvent> timedLabels = labelEvents.assignTimestampsAndWatermarks(WatermarkStrategy.<LabelEvent>forBoundedOutOfOrderness(lateness)
        .withTimestampAssigner((l, previous) -> l.eventTime()).withIdleness(Duration.ofMillis(options.idleMillis))).uid("monitor-label-time");

    SingleOutputStreamOperator<Outcome> joined = timedOutcomes.keyBy(Outcome::cellId).connect(timedLabels.keyBy(LabelEvent::cellId))
        .process(LabelJoin.forPredictions(options.labelWaitMillis)).name("join-labels").uid("monitor-join-labels");
    DataStream<Outcome> allJoined = joined;
    DataStream<KeyedBytes> shadowDeadLetters = null;
    if (shadowPredictions != null) {
      SingleOutputStreamOperator<Outcome> shadowOutcomes = env.fromSource(shadowPredictions, WatermarkStrategy.noWatermarks(), "predictions-shadow")
          .uid("monitor-shadow-predictions-source")
          .process(new MonitorDecoders.Predictions(true)).name("decode-shadow-predictions").uid("monitor-decode-shadow-predictions");
      shadowDeadLetters = shadowOutcomes.getSideOutput(DeadLetters.TAG);
      // Its own watermarks: an empty shadow topic goes idle and holds nothing back.
      DataStream<Outcome> timedShadow = shadowOutcomes.assignTimestampsAndWatermarks(WatermarkStrategy.<Outcome>forBoundedOutOfOrderness(lateness)
          .withTimestampAssigner((o, previous) -> o.eventTime()).withIdleness(Duration.ofMillis(options.idleMillis))).uid("monitor-shadow-time");
      allJoined = joined.union(timedShadow.keyBy(Outcome::cellId).connect(timedLabels.keyBy(LabelEvent::cellId))
          .process(LabelJoin.forShadowPredictions(options.labelWaitMillis)).name("join-shadow-labels").uid("monitor-join-shadow-labels"));
    }
    DataStream<RawRecord> updates = env.fromSource(modelUpdates, alwaysIdle(), "model-updates").uid("monitor-model-updates-source")
        .setParallelism(1);
    SingleOutputStreamOperator<KeyedBytes> reports = allJoined.connect(updates)
        .transform("monitor", TypeInformation.of(KeyedBytes.class), new MonitorOperator(options.settings, givenModels))
        .uid("monitor").setParallelism(1).setMaxParallelism(1);
    reports.sinkTo(quality).name("quality-sink").uid("monitor-quality-sink").setParallelism(1);
    reports.getSideOutput(MonitorOperator.RETRAIN_REQUESTS).sinkTo(retrainRequests).name("retrain-requests-sink")
        .uid("monitor-retrain-requests-sink").setParallelism(1);
    if (archive != null) {
      DataStream<CellEvent> cellEvents = env.fromSource(archiveCells, WatermarkStrategy.noWatermarks(), "cells").uid("monitor-cells-source")
          .process(new MonitorDecoders.Cells()).name("decode-cells").uid("monitor-decode-cells")
          .assignTimestampsAndWatermarks(WatermarkStrategy.<CellEvent>forBoundedOutOfOrderness(lateness)
              .withTimestampAssigner((c, previous) -> c.getEventTime().toEpochMilli()).withIdleness(Duration.ofMillis(options.idleMillis))).uid("monitor-cell-time");
      cellEvents.keyBy(c -> c.getCellId()).connect(timedLabels.keyBy(LabelEvent::cellId))
          .process(LabelJoin.forArchive(options.labelWaitMillis)).name("join-cell-labels").uid("monitor-join-cell-labels")
          .sinkTo(archive).name("training-archive").uid("monitor-training-archive");
    }
    DataStream<KeyedBytes> dead = outcomes.getSideOutput(DeadLetters.TAG).union(labelEvents.getSideOutput(DeadLetters.TAG),
        joined.getSideOutput(DeadLetters.TAG));
    if (shadowDeadLetters != null) dead = dead.union(shadowDeadLetters);
    dead.sinkTo(deadLetters).name("dead-letter-sink").uid("monitor-dead-letter-sink");
  }

  /**
   * Model updates are rare control records with no bearing on event time: their input is always
   * idle, so the monitor's windows follow the data alone. Not the end-of-time watermark, as the first
   * version had it: a two-input operator's watermark never goes back, so an end of time that got
   * through while the data input was idle (before the first prediction, after two seconds) held every
   * window open for good: the monitor reported nothing, now and then (the demo's stall).
   */
  static <T> WatermarkStrategy<T> alwaysIdle() {
    return context -> new WatermarkGenerator<>() {
      @Override
      public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

      @Override
      public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
      }
    };
  }
}
