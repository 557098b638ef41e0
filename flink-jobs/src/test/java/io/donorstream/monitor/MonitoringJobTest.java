package io.donorstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.config.MonitorOptions;
import io.donorstream.data.CellTable;
import io.donorstream.flink.CollectingSink;
import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.MemorySource;
import io.donorstream.flink.RawRecord;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.publish.ModelAnnouncer;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MonitoringJob without a broker: predictions, labels and the model announcement come from
 * memory (cell types drawn as often as in training), reports, retrain requests and dead letters are
 * collected. Parallelism 1, so each run sees
 * its records in one order and gives one answer. {@link MonitoringJobIT} runs it on Kafka behind the
 * ScoringJob, with a savepoint.
 */
@ExtendWith(MiniLmEncoder.class)
class MonitoringJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());
  @TempDir static Path dir;
  static Path model;
  static List<String> donors;
  static String[] cellTypes;
  static final long T0 = 1_700_000_000_000L;

  @BeforeAll
  static void train(TransformerTextEncoder encoder) {
    model = dir.resolve("vanilla-1");
    CellTable training = SyntheticDataGenerator.generate(SyntheticSpec.generic(900, 6, 2, 8, "X_emb", 2.0, 0.0, 4), "monitor").table();
    cellTypes = training.cellTypes();
    new TrainingPipeline(m -> {}).run(TrainRequest.of(training, "vanilla",
        TrainSettings.defaults("vanilla", 1).withEpochs(2).withDevice("cpu"), model, encoder).build());
    donors = ModelArtifact.readVerified(model).donors;
  }

  @Test
  void aSwitchToADonorTheModelNeverSawIsReportedAndAsksForRetrainingOnce() throws Exception {
    Outputs out = run(stream(2_500, 1_500));
    assertThat(out.reports).isNotEmpty().allSatisfy(r -> assertThat(r.getModelVersion().toString()).isEqualTo("1"));
    QualityReport last = out.reports.get(out.reports.size() - 1);
    assertThat(last.getUnseenDonorLabelShare()).as("the last window holds only the new donor").isEqualTo(1.0);
    List<String> kinds = out.requests.stream().flatMap(r -> r.getKinds().stream()).map(Object::toString).toList();
    assertThat(kinds).as("each reason once, within its cooldown").contains("drift", "unseen_donors").doesNotHaveDuplicates();
    // Drift (ADWIN, cell by cell) and unseen donors (windows) are stamped with the event time that fired them. The
    // challenger's lead is online state: replayed from memory, all cells are read before the first watermark closes a
    // window, so when it fires is not asserted here (MonitoringJobIT times requests on a live stream).
    assertThat(out.requests).filteredOn(r -> !r.getKinds().contains("challenger")).allSatisfy(r -> assertThat(r.getRequestedAt().toEpochMilli())
        .as("asked after the switch").isGreaterThanOrEqualTo(T0 + 10L * 1_500));
    assertThat(out.deadLetters).isEmpty();
  }

  @Test
  void theSameStreamWithoutTheSwitchAsksForNothing() throws Exception {
    Outputs out = run(stream(2_500, Integer.MAX_VALUE));
    // Windows of 2 s sliding by 1 s over 25 s of cells.
    assertThat(out.reports).hasSizeGreaterThanOrEqualTo(24);
    assertThat(out.reports).allSatisfy(r -> assertThat(r.getUnseenDonorLabelShare()).isEqualTo(0.0));
    assertThat(out.requests).isEmpty();
  }

  @Test
  void unreadableRecordsAndLabelsForCellsNeverPredictedAreDeadLettered() throws Exception {
    Stream s = stream(300, Integer.MAX_VALUE);
    s.predictions.add(new RawRecord("junk".getBytes(StandardCharsets.UTF_8), "not a prediction".getBytes(StandardCharsets.UTF_8),
        "predictions", 0, 9_000, T0));
    s.labels.add(new RawRecord("empty".getBytes(StandardCharsets.UTF_8), new byte[0], "labels", 0, 9_001, T0));
    s.labels.add(label("never-predicted", "someone", T0 + 1_000));
    Outputs out = run(s);
    assertThat(out.deadLetters.stream().map(d -> d.getReason().toString()))
        .containsExactlyInAnyOrder(DeadLetters.CORRUPT, DeadLetters.EMPTY, DeadLetters.LABEL_WITHOUT_PREDICTION);
    assertThat(out.reports).isNotEmpty().allSatisfy(r -> assertThat(r.getNPredictions()).isLessThanOrEqualTo(200));
  }

  /** Predictions and their labels, one every 10 ms of event time; from {@code switchAt} on, cells of a donor the model never saw. */
  record Stream(List<RawRecord> predictions, List<RawRecord> labels) {}

  private static Stream stream(int n, int switchAt) {
    AvroSerde<DonorPrediction> ps = AvroSerde.of(DonorPrediction.class);
    SplittableRandom rng = new SplittableRandom(7);
    List<RawRecord> predictions = new ArrayList<>();
    List<RawRecord> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean unseen = i >= switchAt;
      String truth = unseen ? "never-seen" : donors.get(rng.nextInt(donors.size()));
      String answer = unseen || rng.nextDouble() < 0.2 ? donors.get(rng.nextInt(donors.size())) : truth;
      float[] latent = new float[8];
      for (int j = 0; j < latent.length; j++) latent[j] = (float) (rng.nextGaussian() + (unseen ? 3 : 0));
      long at = T0 + 10L * i;
      DonorPrediction d = DonorPrediction.newBuilder().setCellId("cell-" + i).setDatasetId("d").setEventTime(Instant.ofEpochMilli(at))
          .setScoredAt(Instant.ofEpochMilli(at)).setModelName("vanilla").setModelVersion("1").setPredictedDonor(answer).setTopK(List.of())
          .setConfidence(0.7f).setUnknownDonor(false).setLatent(FloatArray.wrap(latent)).setCellType(cellTypes[rng.nextInt(cellTypes.length)]).setTrueDonorId(null)
          .setSex(null).build();
      predictions.add(new RawRecord(bytes(d.getCellId().toString()), ps.serialize(d), "predictions", 0, i, at));
      labels.add(label(d.getCellId().toString(), truth, at));
    }
    return new Stream(predictions, labels);
  }

  private static RawRecord label(String cellId, String donor, long at) {
    CellLabel l = CellLabel.newBuilder().setCellId(cellId).setDatasetId("d").setEventTime(Instant.ofEpochMilli(at)).setDonorId(donor)
        .setSex(Math.floorMod(cellId.hashCode(), 2) == 0 ? "female" : "male").build();
    return new RawRecord(bytes(cellId), AvroSerde.of(CellLabel.class).serialize(l), "labels", 0, 0, at);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  record Outputs(List<QualityReport> reports, List<RetrainRequest> requests, List<DeadLetter> deadLetters) {}

  private static Outputs run(Stream s) throws Exception {
    Configuration settings = new Configuration();
    settings.set(MonitorOptions.WINDOW_MILLIS, 2_000L);
    settings.set(MonitorOptions.SLIDE_MILLIS, 1_000L);
    settings.set(MonitorOptions.OUT_OF_ORDERNESS_MILLIS, 0L);
    ModelUpdate update = ModelAnnouncer.update(model, ModelRole.CHAMPION, null);
    RawRecord announced = new RawRecord(null, AvroSerde.of(ModelUpdate.class).serialize(update), "model-updates", 0, 0, 0);
    CollectingSink<KeyedBytes> quality = new CollectingSink<>();
    CollectingSink<KeyedBytes> requests = new CollectingSink<>();
    CollectingSink<KeyedBytes> dead = new CollectingSink<>();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    new MonitoringJob(MemorySource.of(s.predictions), MemorySource.of(s.labels), MemorySource.of(List.of(announced)), quality, requests, dead,
        new MonitorOptions(settings), List.of()).build(env);
    env.execute("monitoring-in-memory");
    AvroSerde<QualityReport> qs = AvroSerde.of(QualityReport.class);
    AvroSerde<RetrainRequest> rs = AvroSerde.of(RetrainRequest.class);
    AvroSerde<DeadLetter> ds = AvroSerde.of(DeadLetter.class);
    return new Outputs(quality.records().stream().map(k -> qs.deserialize(k.value)).toList(),
        requests.records().stream().map(k -> rs.deserialize(k.value)).toList(), dead.records().stream().map(k -> ds.deserialize(k.value)).toList());
  }
}
