package io.donorstream.monitor;

import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.quality.Outcome;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.serde.AvroSerde;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins records (predictions, or cells for the archive) with labels by cell id, in either order. A
 * record that carries its label passes at once; one without waits for its label until {@code
 * waitMillis} of event time have passed, and a label waits as long for its record. The waiting
 * state also carries a TTL, so nothing outlives a lost timer.
 *
 * <p>For predictions ({@link #forPredictions}) an unlabelled prediction is also passed on at once
 * (it counts as a prediction), a late label brings it back for the labelled metrics, and a label
 * whose prediction never came is counted ({@code labelsExpired}) and goes to the dead letters whole
 * (reason {@code label_without_prediction}). For a shadow's predictions ({@link #forShadowPredictions})
 * the same, except that labels without a shadow prediction are normal (most cells have none) and
 * left to the champion's join to report. For the archive ({@link #forArchive}) only labelled
 * cells pass, and orphan labels are left to the predictions' join to report.
 */
public final class LabelJoin<T> extends KeyedCoProcessFunction<String, T, LabelEvent, T> implements ResultTypeQueryable<T> {
  public static final String LABELS_EXPIRED = "labelsExpired";
  public static final String LATE_LABELS_JOINED = "lateLabelsJoined";

  /** How a record shows and takes a label. */
  public interface Labeling<T> extends Serializable {
    boolean labelled(T t);

    long eventTime(T t);

    /** @param late true when {@code t} was already passed on without it */
    T attach(T t, LabelEvent l, boolean late);
  }

  private final Labeling<T> labeling;
  private final Class<T> type;
  private final boolean passUnlabelled;
  private final long waitMillis;
  private final boolean reportOrphans;
  private transient ValueState<T> waiting;
  private transient ValueState<LabelEvent> label;
  private transient Counter expired;
  private transient Counter joined;
  private transient AvroSerde<CellLabel> labelSerde;

  private LabelJoin(Labeling<T> labeling, Class<T> type, boolean passUnlabelled, long waitMillis, boolean reportOrphans) {
    this.reportOrphans = reportOrphans;
    this.labeling = labeling;
    this.type = type;
    this.passUnlabelled = passUnlabelled;
    this.waitMillis = waitMillis;
  }

  public static LabelJoin<Outcome> forPredictions(long waitMillis) {
    return new LabelJoin<>(new OutcomeLabeling(), Outcome.class, true, waitMillis, true);
  }

  public static LabelJoin<Outcome> forShadowPredictions(long waitMillis) {
    return new LabelJoin<>(new OutcomeLabeling(), Outcome.class, true, waitMillis, false);
  }

  public static LabelJoin<CellEvent> forArchive(long waitMillis) {
    return new LabelJoin<>(new CellLabeling(), CellEvent.class, false, waitMillis, false);
  }

  /** Generic in T, so Flink cannot infer what it emits: it says. */
  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(Math.max(2 * waitMillis, Duration.ofHours(1).toMillis()))).build();
    ValueStateDescriptor<T> w = new ValueStateDescriptor<>("waiting-record", TypeInformation.of(type));
    w.enableTimeToLive(ttl);
    ValueStateDescriptor<LabelEvent> l = new ValueStateDescriptor<>("waiting-label", LabelEvent.class);
    l.enableTimeToLive(ttl);
    waiting = getRuntimeContext().getState(w);
    label = getRuntimeContext().getState(l);
    var g = getRuntimeContext().getMetricGroup().addGroup(ProjectMetricGroup.NAME);
    expired = g.counter(LABELS_EXPIRED);
    joined = g.counter(LATE_LABELS_JOINED);
  }

  @Override
  public void processElement1(T t, Context ctx, Collector<T> out) throws Exception {
    LabelEvent l = label.value();
    if (l != null) {
      label.clear();
      if (!labeling.labelled(t)) {
        joined.inc();
        out.collect(labeling.attach(t, l, false));
        return;
      }
    }
    if (labeling.labelled(t)) {
      out.collect(t);
      return;
    }
    if (passUnlabelled) out.collect(t);
    waiting.update(t);
    ctx.timerService().registerEventTimeTimer(labeling.eventTime(t) + waitMillis);
  }

  @Override
  public void processElement2(LabelEvent l, Context ctx, Collector<T> out) throws Exception {
    T t = waiting.value();
    if (t != null) {
      waiting.clear();
      joined.inc();
      out.collect(labeling.attach(t, l, passUnlabelled));
      return;
    }
    label.update(l);
    ctx.timerService().registerEventTimeTimer(l.eventTime() + waitMillis);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
    LabelEvent l = label.value();
    if (l != null && l.eventTime() + waitMillis <= timestamp) {
      label.clear();
      if (reportOrphans) {
        expired.inc();
        ctx.output(DeadLetters.TAG, deadLetter(l));
      }
    }
    T t = waiting.value();
    if (t != null && labeling.eventTime(t) + waitMillis <= timestamp) waiting.clear();
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

  static final class OutcomeLabeling implements Labeling<Outcome> {
    @Override
    public boolean labelled(Outcome o) {
      return o.labelled();
    }

    @Override
    public long eventTime(Outcome o) {
      return o.eventTime();
    }

    @Override
    public Outcome attach(Outcome o, LabelEvent l, boolean late) {
      if (late) return o.withLateLabel(l.donorId(), l.sex(), l.eventTime());
      return new Outcome(o.cellId(), o.modelName(), o.modelVersion(), o.eventTime(), o.predictedDonor(), o.confidence(), o.unknownDonor(),
          o.cellType(), o.latent(), l.donorId(), l.sex(), true, o.shadow(), o.novelty());
    }
  }

  static final class CellLabeling implements Labeling<CellEvent> {
    @Override
    public boolean labelled(CellEvent c) {
      return c.getDonorId() != null;
    }

    @Override
    public long eventTime(CellEvent c) {
      return c.getEventTime().toEpochMilli();
    }

    @Override
    public CellEvent attach(CellEvent c, LabelEvent l, boolean late) {
      return CellEvent.newBuilder(c).setDonorId(l.donorId()).setSex(l.sex()).build();
    }
  }
}
