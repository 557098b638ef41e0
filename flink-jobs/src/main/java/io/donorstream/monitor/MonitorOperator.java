package io.donorstream.monitor;

import io.donorstream.artifact.ArtifactException;
import io.donorstream.artifact.VerifiedArtifact;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.quality.ModelInfo;
import io.donorstream.quality.MonitorSettings;
import io.donorstream.quality.Outcome;
import io.donorstream.quality.RetrainDecision;
import io.donorstream.quality.VersionMonitor;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.serde.AvroSerde;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.InstantiationUtil;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quality, leakage, drift and the retrain rules for every model version, on one subtask: the
 * versions are few, and per-cell state reads would cost more than the work. Outcomes come in on
 * input 1, model updates (for each version's donors, calibration and training mix) on input 2;
 * windows close on the watermark. Everything is kept on the heap and written to operator state
 * at each checkpoint, so a restore resumes windows, probes, detectors and cooldowns where they were.
 */
public final class MonitorOperator extends AbstractStreamOperator<KeyedBytes>
    implements TwoInputStreamOperator<Outcome, RawRecord, KeyedBytes>, BoundedMultiInput {
  public static final OutputTag<KeyedBytes> RETRAIN_REQUESTS = new OutputTag<>("retrain-requests", TypeInformation.of(KeyedBytes.class));
  public static final String MODEL_REJECTIONS = "modelUpdatesRejected";
  private static final Comparator<Outcome> EVENT_TIME_ORDER = Comparator.comparingLong(Outcome::eventTime).thenComparing(Outcome::cellId);
  private static final Logger LOG = LoggerFactory.getLogger(MonitorOperator.class);

  private final MonitorSettings settings;
  private final List<ModelInfo> givenModels;
  private transient boolean outcomesEnded;
  private transient boolean updatesEnded;
  private transient boolean endOfEventTime;
  private transient Map<String, VersionMonitor> monitors;
  private transient Map<String, ModelInfo> models;
  private transient ListState<byte[]> state;
  private transient MonitorEncoders encoders;
  private transient AvroSerde<ModelUpdate> updates;
  private transient Counter rejections;
  /** Outcomes not yet passed by the watermark, in event-time order (ties by cell id). */
  private transient PriorityQueue<Outcome> pending;
  private transient long watermark;

  public MonitorOperator(MonitorSettings settings) {
    this(settings, List.of());
  }

  /** @param givenModels models known from the start (e.g. served from a path and never announced) */
  public MonitorOperator(MonitorSettings settings, List<ModelInfo> givenModels) {
    this.settings = settings;
    this.givenModels = List.copyOf(givenModels);
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("monitor", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    monitors = new HashMap<>();
    models = new HashMap<>();
    pending = new PriorityQueue<>(EVENT_TIME_ORDER);
    watermark = Long.MIN_VALUE;
    for (ModelInfo m : givenModels) models.put(m.version(), m);
    for (byte[] b : state.get()) restore(b);
  }

  @Override
  public void open() throws Exception {
    super.open();
    encoders = new MonitorEncoders();
    updates = AvroSerde.of(ModelUpdate.class);
    rejections = getMetricGroup().addGroup(ProjectMetricGroup.NAME).counter(MODEL_REJECTIONS);
    monitors.keySet().forEach(this::registerMetrics);
  }

  /**
   * Outcomes wait for the watermark and are then taken in event-time order, so detectors and
   * learners see the stream as it happened, whatever the interleaving of partitions and replays.
   */
  @Override
  public void processElement1(StreamRecord<Outcome> element) {
    Outcome o = element.getValue();
    if (o.eventTime() <= watermark) {
      take(o);
    } else {
      pending.add(o);
    }
  }

  private void take(Outcome o) {
    if (!o.shadow()) {
      for (VersionMonitor m : monitors.values()) if (m.isShadow()) m.pairWithChampion(o);
    }
    RetrainDecision d = monitor(o).add(o);
    if (d != null) emit(d);
  }

  @Override
  public void processElement2(StreamRecord<RawRecord> element) {
    ModelUpdate u;
    try {
      u = updates.deserialize(element.getValue().value);
    } catch (RuntimeException e) {
      rejections.inc();
      LOG.warn("ignored a model update that is not a ModelUpdate record: {}", e.getMessage());
      return;
    }
    ModelInfo info;
    try {
      info = ModelInfo.of(VerifiedArtifact.open(VerifiedArtifact.path(u.getArtifactUri()), u.getSha256()).manifest());
    } catch (ArtifactException | IllegalArgumentException e) {
      rejections.inc();
      LOG.warn("model {} v{}: cannot read its artifact ({}); its windows report without donors, calibration and mix", u.getModelName(),
          u.getVersion(), e.getMessage());
      return;
    }
    if (info.calibration() == null) {
      LOG.warn("model {} v{} has no confidence calibration map (trained before it existed): estimatedAccuracy is not available for it",
          info.name(), info.version());
    }
    models.put(info.version(), info);
    VersionMonitor m = monitors.get(info.version());
    if (m != null) m.modelKnown(info, r -> output.collect(new StreamRecord<>(encoders.report(r), r.quality().windowEnd())), this::emit);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    if (mark.getTimestamp() == Long.MAX_VALUE) {
      // The end of event time closes every window only when the outcomes really ended (endInput):
      // a stop-with-savepoint without drain also brings this watermark, and windows closed then
      // would be reported short and stay closed after the restore.
      endOfEventTime = true;
    } else {
      advance(mark.getTimestamp());
    }
    super.processWatermark(mark);
  }

  private void advance(long t) {
    watermark = t;
    while (!pending.isEmpty() && pending.peek().eventTime() <= t) take(pending.poll());
    for (Map.Entry<String, VersionMonitor> e : monitors.entrySet()) {
      e.getValue().advance(t, models.get(e.getKey()), r -> output.collect(new StreamRecord<>(encoders.report(r), r.quality().windowEnd())),
          this::emit);
    }
  }

  /**
   * Bounded runs: when the outcomes end, every window closes; once both inputs have ended, windows
   * still waiting for a model that was never announced are reported without its details rather
   * than lost.
   */
  @Override
  public void endInput(int inputId) {
    if (inputId == 1) {
      outcomesEnded = true;
      if (endOfEventTime) advance(Long.MAX_VALUE);
    }
    if (inputId == 2) updatesEnded = true;
    if (!outcomesEnded || !updatesEnded) return;
    for (Map.Entry<String, VersionMonitor> e : monitors.entrySet()) {
      if (models.containsKey(e.getKey())) continue;
      LOG.warn("model version {} was never announced on model-updates: its windows are reported without its donors, calibration"
          + " and training mix", e.getKey());
      e.getValue().modelKnown(ModelInfo.unknown(e.getValue().modelName(), e.getKey()),
          r -> output.collect(new StreamRecord<>(encoders.report(r), r.quality().windowEnd())), this::emit);
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    state.update(List.of(InstantiationUtil.serializeObject(new Object[] {new HashMap<>(monitors), new HashMap<>(models),
        new ArrayList<>(pending)})));
  }

  /** For tests: the monitor of a version, or null. */
  VersionMonitor monitorOf(String version) {
    return monitors.get(version);
  }

  private VersionMonitor monitor(Outcome o) {
    VersionMonitor m = monitors.get(o.modelVersion());
    if (m == null) {
      m = new VersionMonitor(o.modelName(), o.modelVersion(), settings);
      monitors.put(o.modelVersion(), m);
      registerMetrics(o.modelVersion());
      if (!models.containsKey(o.modelVersion())) {
        LOG.info("predictions of model version {} arrived before its model update; its windows wait for it", o.modelVersion());
      }
    }
    return m;
  }

  private void registerMetrics(String version) {
    MonitorMetrics.register(getMetricGroup(), version, () -> monitors.get(version), () -> models.get(version));
  }

  private void emit(RetrainDecision d) {
    LOG.info("retrain requested for model {} v{}: {}", d.modelName(), d.modelVersion(), d.reason());
    output.collect(RETRAIN_REQUESTS, new StreamRecord<>(encoders.request(d), d.eventTime()));
  }

  @SuppressWarnings("unchecked")
  private void restore(byte[] b) throws IOException, ClassNotFoundException {
    // The user-code class loader: on a cluster the job's classes are not on the system class path.
    Object[] saved = InstantiationUtil.deserializeObject(b, getUserCodeClassloader());
    monitors.putAll((Map<String, VersionMonitor>) saved[0]);
    models.putAll((Map<String, ModelInfo>) saved[1]);
    pending.addAll((List<Outcome>) saved[2]);
  }
}
