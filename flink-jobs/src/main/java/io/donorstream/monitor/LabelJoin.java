package io.donorstream.monitor;

import io.donorstream.quality.Outcome;
import io.donorstream.kafka.KeyedBytes;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.RawRecord;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scoring.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins predictions with labels by cell id, in either order. A prediction is passed on at once
 * (labelled if it carried its label); an unlabelled one waits for its label until {@code waitMillis}
 * of event time have passed, and a label waits as long for its prediction. A label whose prediction
 * never came is counted ({@code labelsExpired}) when its wait ends; a prediction that never got a
 * label is simply forgotten. The waiting state also carries a TTL, so nothing outlives a lost timer.
 * Expired labels also go to the dead letters (reason {@code label_without_prediction}), whole.
 */
public final class LabelJoin extends KeyedCoProcessFunction<String, Outcome, LabelEvent, Outcome> {
  public static final String LABELS_EXPIRED = "labelsExpired";
  public static final String LATE_LABELS_JOINED = "lateLabelsJoined";

  private final long waitMillis;
  private transient ValueState<Outcome> prediction;
  private transient ValueState<LabelEvent> label;
  private transient Counter expired;
  private transient Counter joined;
  private transient AvroSerde<CellLabel> labelSerde;

  public LabelJoin(long waitMillis) {
    this.waitMillis = waitMillis;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(Math.max(2 * waitMillis, Duration.ofHours(1).toMillis()))).build();
    ValueStateDescriptor<Outcome> p = new ValueStateDescriptor<>("waiting-prediction", Outcome.class);
    p.enableTimeToLive(ttl);
    ValueStateDescriptor<LabelEvent> l = new ValueStateDescriptor<>("waiting-label", LabelEvent.class);
    l.enableTimeToLive(ttl);
    prediction = getRuntimeContext().getState(p);
    label = getRuntimeContext().getState(l);
    var g = getRuntimeContext().getMetricGroup().addGroup("donorstream");
    expired = g.counter(LABELS_EXPIRED);
    joined = g.counter(LATE_LABELS_JOINED);
  }

  @Override
  public void processElement1(Outcome o, Context ctx, Collector<Outcome> out) throws Exception {
    LabelEvent l = label.value();
    if (l != null) {
      label.clear();
      if (!o.labelled()) {
        joined.inc();
        out.collect(new Outcome(o.cellId(), o.modelName(), o.modelVersion(), o.eventTime(), o.predictedDonor(), o.confidence(),
            o.unknownDonor(), o.cellType(), o.latent(), l.donorId(), l.sex(), true));
        return;
      }
    }
    out.collect(o);
    if (!o.labelled()) {
      prediction.update(o);
      ctx.timerService().registerEventTimeTimer(o.eventTime() + waitMillis);
    }
  }

  @Override
  public void processElement2(LabelEvent l, Context ctx, Collector<Outcome> out) throws Exception {
    Outcome o = prediction.value();
    if (o != null) {
      prediction.clear();
      joined.inc();
      out.collect(o.withLateLabel(l.donorId(), l.sex(), l.eventTime()));
      return;
    }
    label.update(l);
    ctx.timerService().registerEventTimeTimer(l.eventTime() + waitMillis);
  }

  /** The label, re-encoded as it came (CellLabel), so it can be replayed once its prediction exists. */
  private KeyedBytes deadLetter(LabelEvent l) {
    if (labelSerde == null) labelSerde = AvroSerde.of(CellLabel.class);
    byte[] value = labelSerde.serialize(CellLabel.newBuilder().setCellId(l.cellId()).setDatasetId("").setDonorId(l.donorId()).setSex(l.sex())
        .setEventTime(Instant.ofEpochMilli(l.eventTime())).build());
    RawRecord raw = new RawRecord(l.cellId().getBytes(StandardCharsets.UTF_8), value, ProjectTopics.LABELS, -1, -1, l.eventTime());
    return DeadLetters.of(raw, DeadLetters.LABEL_WITHOUT_PREDICTION, "no prediction for cell " + l.cellId() + " within " + waitMillis
        + " ms of event time");
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Outcome> out) throws Exception {
    LabelEvent l = label.value();
    if (l != null && l.eventTime() + waitMillis <= timestamp) {
      expired.inc();
      label.clear();
      ctx.output(DeadLetters.TAG, deadLetter(l));
    }
    Outcome o = prediction.value();
    if (o != null && o.eventTime() + waitMillis <= timestamp) prediction.clear();
  }
}
