package io.donorstream.scoring;

import io.donorstream.config.ScoringOptions;
import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.metrics.ScoringMetrics;
import io.donorstream.metrics.ScoringOperatorMetrics;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.servable.CellScore;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores cells (first input: raw records keyed by their record key, the cell id) in micro-batches and
 * swaps models announced on the broadcast model-update input (second) without stopping. It
 * coordinates five parts: the {@link CellDecoder} (each record decoded once, here, after the network
 * exchange; unusable ones dead-lettered whole with their reason), the {@link DuplicateCheck} (a cell
 * id repeated within the window is dead-lettered), the
 * {@link MicroBatch} (flushed at N cells or after T ms, whichever first), the {@link ModelHolder}
 * (load, verify, staleness, swap) and the {@link PredictionEncoder}; costly batches are scored on the
 * subtask's {@link ScorerThread} while the next one is read. Cells that arrive before any
 * model wait in operator state. Before every checkpoint barrier the batch is scored (when a model
 * is there), so a checkpoint never holds a batch whose predictions were already sent; the served
 * model is checkpointed as a {@link ServingModelRef} and reloaded (and re-verified) on restore.
 *
 * <p>A shadow model (announced with the role SHADOW, newer than the champion) scores the same cells
 * through the same load-and-verify path; its answers go to {@link ScoringOutput#SHADOW_PREDICTIONS} only. It
 * stops when it is retired, or when a champion as new as it is announced (a promotion).
 */
public final class MicroBatchScoringOperator extends AbstractStreamOperator<KeyedBytes>
    implements TwoInputStreamOperator<RawRecord, RawRecord, KeyedBytes>, BoundedMultiInput, ProcessingTimeCallback {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchScoringOperator.class);

  private final ScoringOptions options;
  private final boolean shadowsEnabled;
  private transient MicroBatch batch;
  private transient BatchSizer sizer;
  private transient ModelSlot championSlot;
  private transient ModelSlot shadowSlot;
  private transient ModelHolder models;
  private transient ModelHolder shadows;
  private transient String lastShadow;
  private transient ListState<RawRecord> pendingState;
  private transient CellDecoder decoder;
  private transient boolean restoredState;
  private transient PredictionEncoder encoder;
  private transient AvroSerde<ModelUpdate> updateSerde;
  private transient DuplicateCheck duplicates;
  private transient ScoringOperatorMetrics metrics;
  private transient ScorerThread<ScoredBatch> scorer;
  private transient boolean timerSet;
  private transient boolean cellsEnded;
  private transient boolean updatesEnded;

  public MicroBatchScoringOperator(ScoringOptions options) {
    this(options, false);
  }

  /** @param shadowsEnabled whether shadow models are taken (the job has somewhere to send their answers) */
  public MicroBatchScoringOperator(ScoringOptions options, boolean shadowsEnabled) {
    this.options = options;
    this.shadowsEnabled = shadowsEnabled;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    batch = new MicroBatch();
    sizer = new BatchSizer(options.batchSize, options.batchTargetMillis);
    restoredState = context.isRestored();
    decoder = new CellDecoder(options.embeddingWidth, options.maxRecordBytes);
    pendingState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("pending-records", RawRecord.class));
    // Waiting cells were valid when they were taken; they are decoded again (state holds their bytes).
    for (RawRecord r : pendingState.get()) batch.add(decoder.decode(r).cell());
    championSlot = new ModelSlot("serving-model");
    championSlot.initializeState(context.getOperatorStateStore());
    shadowSlot = new ModelSlot("shadow-model");
    shadowSlot.initializeState(context.getOperatorStateStore());
  }

  @Override
  public void open() throws Exception {
    super.open();
    metrics = new ScoringOperatorMetrics(getMetricGroup().addGroup(ProjectMetricGroup.NAME),
        () -> models.servingRef() == null ? -1.0 : models.servingRef().numericVersion(),
        () -> shadows.servingRef() == null ? -1.0 : shadows.servingRef().numericVersion(), () -> batch.size());
    models = championSlot.open(new ModelHolder(options.embeddingWidth, options.refuseOlderModels, metrics.swaps, metrics.rejections));
    shadows = shadowSlot.open(new ModelHolder(options.embeddingWidth, false, metrics.swaps, metrics.rejections));
    encoder = new PredictionEncoder(options.latentUnlabelledShare);
    MailboxExecutor mailbox = options.scorerThread
        ? getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex()) : null;
    String scorerName = "donorstream-scorer-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    scorer = new ScorerThread<>(scorerName, mailbox, options.scorerThreadInFlight, this::emit);
    updateSerde = AvroSerde.of(ModelUpdate.class);
    if (options.duplicateDeadLetter) {
      duplicates = new DuplicateCheck(getKeyedStateStore(), options.duplicateWindowMillis, restoredState, System::currentTimeMillis);
      DuplicateCheck check = duplicates;
      getMetricGroup().addGroup(ProjectMetricGroup.NAME).gauge(ScoringMetrics.DUPLICATE_FILTERS, check::liveFilters);
    }
    // A restored job reloads the model it was serving; otherwise the configured initial model.
    ServingModelRef restored = championSlot.restored();
    if (restored != null) {
      models.start(restored);
    } else if (options.modelPath != null) {
      models.start(new ServingModelRef(null, null, options.modelPath, null));
    }
    ServingModelRef restoredShadow = shadowSlot.restored();
    if (restoredShadow != null && restoredShadow.isNewerThan(models.servingRef())) {
      shadows.start(restoredShadow);
      lastShadow = restoredShadow.version();
    }
    // Cells restored from a checkpoint are waiting too: give them a flush time.
    if (!batch.isEmpty()) startTimer();
  }

  @Override
  public void processElement1(StreamRecord<RawRecord> element) throws Exception {
    metrics.recordsIn.inc();
    CellDecoder.Result decoded = decoder.decode(element.getValue(), getCurrentKey());
    if (decoded.cell() == null) {
      metrics.deadLetters.inc(decoded.reason());
      output.collect(new StreamRecord<>(ScoringOutput.DEAD_LETTERS.tag(DeadLetters.of(element.getValue(), decoded.reason(), decoded.detail()))));
      return;
    }
    ValidCell c = decoded.cell();
    if (duplicates != null && duplicates.isRepeat(c.cellId)) {
      deadLetter(c, DeadLetters.DUPLICATE, "cell id " + c.cellId + " seen within the last " + options.duplicateWindowMillis / 1000 + " s");
      return;
    }
    swapModels();
    batch.add(c);
    if (models.serving() != null && batch.size() >= sizer.capacity()) {
      score(models.serving());
    } else if (!timerSet) {
      startTimer();
    }
  }

  @Override
  public void processElement2(StreamRecord<RawRecord> element) {
    // A withdrawal closes a model: never under a batch in flight (updates are rare).
    scorer.await();
    ModelUpdate u;
    try {
      u = updateSerde.deserialize(element.getValue().value);
    } catch (RuntimeException e) {
      metrics.rejections.inc();
      LOG.warn("refused a model update that is not a ModelUpdate record: {}", e.getMessage());
      return;
    }
    ServingModelRef ref = ServingModelRef.of(u);
    if (u.getRole() == ModelRole.CHAMPION) {
      // A champion as new as the shadow ends the shadow (usually: the shadow was promoted).
      shadows.withdrawNotNewerThan(ref);
      models.offer(ref);
    } else if (u.getRole() == ModelRole.RETIRED) {
      shadows.withdraw(u.getVersion());
    } else if (!shadowsEnabled) {
      metrics.rejections.inc();
      LOG.warn("refused shadow model {}: this job has no shadow predictions topic", u.getVersion());
    } else if (!ref.isNewerThan(models.servingRef())) {
      metrics.rejections.inc();
      LOG.warn("refused shadow model {}: not newer than the champion {}", u.getVersion(), models.servingRef().version());
    } else {
      shadows.offer(ref);
    }
  }

  @Override
  public void onProcessingTime(long time) throws Exception {
    timerSet = false;
    flushIfServing();
    if (!batch.isEmpty()) startTimer();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flushIfServing();
    scorer.await();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    pendingState.update(batch.snapshot().stream().map(c -> c.raw).toList());
    championSlot.snapshot();
    shadowSlot.snapshot();
  }

  /**
   * Bounded runs: once the cells have ended, score what is waiting; if no model has arrived yet,
   * wait for the model-update input to end (a model may still be on its way) and try again then.
   */
  @Override
  public void endInput(int inputId) throws Exception {
    if (inputId == 1) cellsEnded = true;
    if (inputId == 2) updatesEnded = true;
    if (!cellsEnded) return;
    models.awaitLoading();
    shadows.awaitLoading();
    flushIfServing();
    scorer.await();
    if (models.serving() == null && updatesEnded && !batch.isEmpty()) {
      LOG.warn("both inputs ended with {} cells and no model to score them; they stay in operator state", batch.size());
    }
  }

  private void startTimer() {
    timerSet = true;
    getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + options.batchMillis, this);
  }

  private void flushIfServing() {
    swapModels();
    if (models.serving() != null) score(models.serving());
  }

  private void swapModels() {
    // The outgoing model scores what it accepted, and is closed only after its batches are answered.
    if (models.swapIfReady(outgoing -> {
      score(outgoing);
      scorer.await();
    }) && models.serving().version().equals(lastShadow)) {
      metrics.promotions.inc();
    }
    if (shadows.swapIfReady(outgoing -> scorer.await())) lastShadow = shadows.serving().version();
  }

  /**
   * Sends every waiting cell to be scored with {@code model} (and the shadow, if one serves); cells of
   * a type it has not seen are dead-lettered (when so configured).
   */
  private void score(ServingModel model) {
    if (batch.isEmpty()) return;
    List<ValidCell> cells = new ArrayList<>(batch.size());
    for (ValidCell c : batch.drain()) {
      if (options.unknownTypeDeadLetter && !model.scorer().knowsCellType(c.cellType)) {
        deadLetter(c, DeadLetters.UNKNOWN_CELL_TYPE, "model " + model.version() + " has not seen cell type '" + c.cellType + "'");
      } else {
        cells.add(c);
      }
    }
    if (cells.isEmpty()) return;
    ServingModel shadow = shadows.serving();
    int topK = options.topK;
    boolean shadowKnownTypesOnly = options.unknownTypeDeadLetter;
    // Only a batch expected to take a while goes to the scorer thread: vanilla's ~1.5 ms batches
    // would gain nothing there and lose latency to the hand-over (p99 measured in docs/benchmarks.md).
    boolean handOver = options.scorerThreadMinMillis == 0
        || sizer.expectedNanos(model.version(), cells.size()) >= options.scorerThreadMinMillis * 1_000_000L;
    scorer.submit(() -> ScoredBatch.score(model, shadow, cells, topK, shadowKnownTypesOnly), handOver);
  }

  /** Writes a scored batch's answers (on the task thread); a cell without a usable answer is dead-lettered. */
  private void emit(ScoredBatch b) {
    ServingModel model = b.model();
    sizer.observe(model.version(), b.cells().size(), b.nanos());
    metrics.scoringLatencyMs.update(b.nanos() / 1_000_000);
    metrics.batchSize.update(b.cells().size());
    long now = System.currentTimeMillis();
    int answered = 0;
    for (int i = 0; i < b.cells().size(); i++) {
      ValidCell c = b.cells().get(i);
      CellScore s = b.scores().get(i);
      if (!s.answerable()) {
        deadLetter(c, s.inRange() ? DeadLetters.NON_FINITE : DeadLetters.OUT_OF_RANGE, refusal(s, c, model));
        continue;
      }
      output.collect(new StreamRecord<>(ScoringOutput.PREDICTIONS.tag(encoder.encode(c, s, model.ref(), now)), c.eventTime));
      metrics.endToEndLatencyMs.update(now - c.eventTime);
      answered++;
    }
    metrics.recordsOut.inc(answered);
    if (b.shadow() != null) emitShadow(b, now);
  }

  /** Why a scored cell that is not {@link CellScore#answerable} gets no answer. */
  private static String refusal(CellScore s, ValidCell c, ServingModel model) {
    if (!s.inRange()) {
      float raw = 0;
      for (float x : c.embedding) raw = Math.max(raw, Math.abs(x));
      return "after standardisation with model " + model.version() + "'s training statistics a value lies " + s.largestInput()
          + " standard deviations out (limit " + CellScore.MAX_STANDARDISED_INPUT + "; largest raw value " + raw + ")";
    }
    return "model " + model.version() + " gives no finite answer for this embedding";
  }

  /** The shadow's answers go apart; a cell the shadow cannot answer has its champion's answer, so nothing to compare. */
  private void emitShadow(ScoredBatch b, long now) {
    int out = 0;
    for (int i = 0; i < b.shadowCells().size(); i++) {
      CellScore s = b.shadowScores().get(i);
      if (!s.answerable()) continue;
      ValidCell c = b.shadowCells().get(i);
      output.collect(new StreamRecord<>(ScoringOutput.SHADOW_PREDICTIONS.tag(encoder.encode(c, s, b.shadow().ref(), now)), c.eventTime));
      out++;
    }
    metrics.shadowRecordsOut.inc(out);
  }

  private void deadLetter(ValidCell c, String reason, String detail) {
    metrics.deadLetters.inc(reason);
    output.collect(new StreamRecord<>(ScoringOutput.DEAD_LETTERS.tag(DeadLetters.of(c.raw, reason, detail))));
  }

  /** Waits until an announced model has been loaded (or refused): a synchronisation point for tests. */
  void awaitModelLoading() throws Exception {
    models.awaitLoading();
    shadows.awaitLoading();
  }

  @Override
  public void close() throws Exception {
    // The scorer thread may be using a model: it stops before the models are closed.
    if (scorer != null) scorer.close();
    if (championSlot != null) championSlot.close();
    if (shadowSlot != null) shadowSlot.close();
    super.close();
  }
}
