package io.donorstream.scoring;

import io.donorstream.config.ScoringOptions;
import io.donorstream.metrics.ScoringMetrics;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.DonorScore;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.scorer.CellScore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by cell id on its first input: a cell id repeated within the duplicate window is
 * dead-lettered (policy option) before it is buffered. Scores cells in micro-batches (up to N cells or T ms, whichever first) with one
 * {@code DonorScorer} per subtask, and swaps models announced on the broadcast model-update input
 * without stopping: a new model is loaded and verified on a loader thread, then swapped in between
 * batches. Cells that arrive before any model wait in operator state. Before every checkpoint
 * barrier the buffer is scored (when a model is there), so a checkpoint never holds half a batch
 * whose predictions were already sent.
 */
public final class MicroBatchScoringOperator extends AbstractStreamOperator<KeyedBytes>
    implements TwoInputStreamOperator<ValidCell, RawRecord, KeyedBytes>, BoundedMultiInput, ProcessingTimeCallback {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchScoringOperator.class);

  private final ScoringOptions options;
  private transient List<ValidCell> buffer;
  private transient ListState<ValidCell> pendingState;
  private transient ListState<String> servingState;
  private transient String restoredModel;
  private transient ServingModel serving;
  private transient AtomicReference<ServingModel> ready;
  private transient ExecutorService loader;
  private transient Future<?> loading;
  private transient boolean timerSet;
  private transient boolean cellsEnded;
  private transient boolean updatesEnded;
  private transient AvroSerde<DonorPrediction> predictionSerde;
  private transient AvroSerde<ModelUpdate> updateSerde;
  private transient DeadLetterCounters deadLetters;
  private transient DuplicateCheck duplicates;
  private transient Counter recordsOut;
  private transient Counter swaps;
  private transient Counter rejections;
  private transient Histogram batchSizes;
  private transient Histogram scoringLatency;
  private transient Histogram endToEndLatency;

  public MicroBatchScoringOperator(ScoringOptions options) {
    this.options = options;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    buffer = new ArrayList<>();
    pendingState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("pending-cells", ValidCell.class));
    servingState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("serving-model", String.class));
    for (ValidCell c : pendingState.get()) buffer.add(c);
    for (String s : servingState.get()) restoredModel = s;
  }

  @Override
  public void open() throws Exception {
    super.open();
    predictionSerde = AvroSerde.of(DonorPrediction.class);
    updateSerde = AvroSerde.of(ModelUpdate.class);
    ready = new AtomicReference<>();
    loader = Executors.newSingleThreadExecutor(r -> new Thread(r, "donorstream-model-loader"));
    MetricGroup g = getMetricGroup().addGroup(ScoringMetrics.GROUP);
    deadLetters = new DeadLetterCounters(g);
    if (options.duplicateDeadLetter) duplicates = new DuplicateCheck(getKeyedStateStore(), options.duplicateWindowMillis);
    recordsOut = g.counter(ScoringMetrics.RECORDS_OUT);
    swaps = g.counter(ScoringMetrics.MODEL_SWAPS);
    rejections = g.counter(ScoringMetrics.MODEL_REJECTIONS);
    batchSizes = g.histogram(ScoringMetrics.BATCH_SIZE, new DescriptiveStatisticsHistogram(1000));
    scoringLatency = g.histogram(ScoringMetrics.SCORING_LATENCY_MS, new DescriptiveStatisticsHistogram(1000));
    endToEndLatency = g.histogram(ScoringMetrics.END_TO_END_LATENCY_MS, new DescriptiveStatisticsHistogram(1000));
    g.gauge(ScoringMetrics.MODEL_VERSION, () -> serving == null ? -1.0 : numericVersion(serving.version()));
    g.gauge(ScoringMetrics.PENDING_CELLS, () -> buffer.size());
    // A restored job reloads the model it was serving; otherwise the configured initial model.
    ModelUpdate start = restoredModel != null ? decodeDescriptor(restoredModel) : initialModel();
    if (start != null) {
      serving = ServingModel.load(start, options.embeddingWidth);
      LOG.info("serving model {} from {}", serving.version(), serving.artifactUri());
    }
  }

  @Override
  public void processElement1(StreamRecord<ValidCell> element) throws Exception {
    ValidCell c = element.getValue();
    if (duplicates != null && duplicates.isRepeat()) {
      deadLetter(c, DeadLetters.DUPLICATE, "cell id " + c.cellId + " seen within the last " + options.duplicateWindowMillis / 1000 + " s");
      return;
    }
    swapIfReady();
    buffer.add(c);
    if (serving != null && buffer.size() >= options.batchSize) {
      flush();
    } else if (!timerSet) {
      timerSet = true;
      getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + options.batchMillis, this);
    }
  }

  @Override
  public void processElement2(StreamRecord<RawRecord> element) {
    ModelUpdate u;
    try {
      u = updateSerde.deserialize(element.getValue().value);
    } catch (RuntimeException e) {
      rejections.inc();
      LOG.warn("refused a model update that is not a ModelUpdate record: {}", e.getMessage());
      return;
    }
    String current = serving == null ? null : serving.version();
    if (options.refuseOlderModels && !ServingModel.isNewer(u.getVersion(), current)) {
      rejections.inc();
      LOG.warn("refused model {}: not newer than the serving model {}", u.getVersion(), current);
      return;
    }
    // Loading reads and checksums hundreds of KB to MB: keep it off the scoring thread.
    loading = loader.submit(() -> {
      try {
        ServingModel loaded = ServingModel.load(u, options.embeddingWidth);
        ServingModel previous = ready.getAndSet(loaded);
        if (previous != null) previous.scorer().close();
      } catch (RuntimeException e) {
        rejections.inc();
        LOG.warn("refused model {}: {}; still serving {}", u.getVersion(), e.getMessage(), current);
      }
    });
  }

  @Override
  public void onProcessingTime(long time) throws Exception {
    timerSet = false;
    swapIfReady();
    if (serving != null) flush();
    if (!buffer.isEmpty() && !timerSet) {
      timerSet = true;
      getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + options.batchMillis, this);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    swapIfReady();
    if (serving != null) flush();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    pendingState.update(new ArrayList<>(buffer));
    servingState.update(serving == null ? List.of() : List.of(descriptor(serving)));
  }

  /**
   * Bounded runs: once the cells have ended, score what is buffered; if no model has arrived yet,
   * wait for the model-update input to end (a model may still be on its way) and try again then.
   */
  @Override
  public void endInput(int inputId) throws Exception {
    if (inputId == 1) cellsEnded = true;
    if (inputId == 2) updatesEnded = true;
    if (!cellsEnded) return;
    if (loading != null) loading.get();
    swapIfReady();
    if (serving != null) {
      flush();
    } else if (updatesEnded && !buffer.isEmpty()) {
      LOG.warn("both inputs ended with {} cells and no model to score them; they stay in operator state", buffer.size());
    }
  }

  private void swapIfReady() {
    ServingModel next = ready.getAndSet(null);
    if (next == null) return;
    if (serving != null && options.refuseOlderModels && !ServingModel.isNewer(next.version(), serving.version())) {
      next.scorer().close();
      return;
    }
    // Score what the old model accepted with it, then switch: each batch has one version.
    if (serving != null) {
      flush();
      serving.scorer().close();
    }
    LOG.info("swapped to model {} from {}", next.version(), next.artifactUri());
    serving = next;
    swaps.inc();
  }

  private void flush() {
    if (buffer.isEmpty()) return;
    List<ValidCell> batch = new ArrayList<>(buffer.size());
    for (ValidCell c : buffer) {
      if (options.unknownTypeDeadLetter && !serving.scorer().knowsCellType(c.cellType)) {
        deadLetter(c, DeadLetters.UNKNOWN_CELL_TYPE, "model " + serving.version() + " has not seen cell type '" + c.cellType + "'");
      } else {
        batch.add(c);
      }
    }
    buffer.clear();
    if (batch.isEmpty()) return;
    int w = serving.scorer().inputWidth();
    float[] x = new float[batch.size() * w];
    String[] types = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).embedding, 0, x, i * w, w);
      types[i] = batch.get(i).cellType;
    }
    long t0 = System.nanoTime();
    List<CellScore> scores = serving.scorer().score(x, types, options.topK);
    scoringLatency.update((System.nanoTime() - t0) / 1_000_000);
    batchSizes.update(batch.size());
    long now = System.currentTimeMillis();
    for (int i = 0; i < batch.size(); i++) {
      ValidCell c = batch.get(i);
      output.collect(new StreamRecord<>(new KeyedBytes(c.cellId.getBytes(StandardCharsets.UTF_8),
          predictionSerde.serialize(prediction(c, scores.get(i), now))), c.eventTime));
      endToEndLatency.update(now - c.eventTime);
    }
    recordsOut.inc(batch.size());
  }

  private void deadLetter(ValidCell c, String reason, String detail) {
    deadLetters.inc(reason);
    output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.of(c.raw, reason, detail)));
  }

  private DonorPrediction prediction(ValidCell c, CellScore s, long now) {
    List<DonorScore> top = new ArrayList<>(s.topDonors().length);
    for (int k = 0; k < s.topDonors().length; k++) top.add(new DonorScore(s.topDonors()[k], s.topProbabilities()[k]));
    return DonorPrediction.newBuilder()
        .setCellId(c.cellId)
        .setDatasetId(c.datasetId)
        .setEventTime(Instant.ofEpochMilli(c.eventTime))
        .setScoredAt(Instant.ofEpochMilli(now))
        .setModelName(serving.scorer().manifest().name)
        .setModelVersion(serving.version())
        .setPredictedDonor(s.predictedDonor())
        .setTopK(top)
        .setConfidence(s.confidence())
        .setUnknownDonor(s.unknownDonor())
        .setLatent(FloatArray.wrap(s.latent()))
        .setCellType(c.cellType)
        .setTrueDonorId(c.donorId)
        .setSex(c.sex)
        .build();
  }

  private ModelUpdate initialModel() {
    if (options.modelPath == null) return null;
    var dir = ServingModel.path(options.modelPath);
    var manifest = io.donorstream.artifact.ModelArtifact.readVerified(dir);
    return ModelUpdate.newBuilder().setModelName(manifest.name).setVersion(manifest.version).setArtifactUri(dir.toString())
        .setSha256(io.donorstream.artifact.Checksums.sha256(dir.resolve(io.donorstream.artifact.Checksums.FILE)))
        .setCreatedAt(Instant.now()).setMetrics(java.util.Map.of()).build();
  }

  private static String descriptor(ServingModel m) {
    return m.version() + "\n" + m.artifactUri() + "\n" + m.sha256();
  }

  private static ModelUpdate decodeDescriptor(String s) {
    String[] p = s.split("\n", 3);
    return ModelUpdate.newBuilder().setModelName("restored").setVersion(p[0]).setArtifactUri(p[1]).setSha256(p[2])
        .setCreatedAt(Instant.now()).setMetrics(java.util.Map.of()).build();
  }

  private static double numericVersion(String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return v.hashCode();
    }
  }

  @Override
  public void close() throws Exception {
    if (loader != null) loader.shutdownNow();
    if (serving != null) serving.scorer().close();
    ServingModel pending = ready == null ? null : ready.getAndSet(null);
    if (pending != null) pending.scorer().close();
    super.close();
  }
}
