package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.config.ScoringOptions;
import io.donorstream.flink.CollectingSink;
import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.MemorySource;
import io.donorstream.flink.RawRecord;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.servable.CellScore;
import io.donorstream.servable.DonorScorer;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The ScoringJob without a broker: its sources are records in memory and its outputs are collected,
 * on a MiniCluster with RocksDB (the duplicate check's state) at parallelism 2. What the job does with
 * each record is checked here, fast; {@link ScoringJobIT} checks the Kafka wiring and exactly-once output.
 */
@ExtendWith(MiniLmEncoder.class)
class ScoringJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(flinkConfig()).build());
  @TempDir static Path dir;
  static Path model;

  static Configuration flinkConfig() {
    Configuration c = new Configuration();
    c.setString("state.backend.type", "rocksdb");
    return c;
  }

  @BeforeAll
  static void train(TransformerTextEncoder encoder) {
    model = dir.resolve("vanilla-5");
    new TrainingPipeline(m -> {}).run(TrainRequest.of(ScoringFixtures.CELLS, "vanilla",
        TrainSettings.defaults("vanilla", 1).withEpochs(2).withDevice("cpu"), model, encoder).version("5").build());
  }

  @Test
  void everyCellIsAnsweredAsTheServableAnswersItOrDeadLetteredWithItsReason() throws Exception {
    List<RawRecord> cells = new ArrayList<>();
    for (int row = 0; row < 300; row++) cells.add(ScoringFixtures.record(row, "c-" + row));
    Map<String, String> bad = new HashMap<>();
    bad.put("empty", DeadLetters.EMPTY);
    cells.add(new RawRecord("empty".getBytes(StandardCharsets.UTF_8), new byte[0], "cells", 0, 1, 1));
    bad.put("corrupt", DeadLetters.CORRUPT);
    cells.add(new RawRecord("corrupt".getBytes(StandardCharsets.UTF_8), "not avro at all".getBytes(StandardCharsets.UTF_8), "cells", 0, 2, 1));
    cells.add(withId(ScoringFixtures.record(1, "narrow", e -> e.setEmbedding(FloatArray.wrap(new float[5]))), "narrow", bad, DeadLetters.WRONG_WIDTH));
    cells.add(withId(ScoringFixtures.record(2, "nan", e -> {
      float[] v = FloatArray.values(e.getEmbedding()).clone();
      v[3] = Float.NaN;
      e.setEmbedding(FloatArray.wrap(v));
    }), "nan", bad, DeadLetters.NON_FINITE));
    cells.add(withId(ScoringFixtures.record(3, "huge", e -> {
      float[] v = FloatArray.values(e.getEmbedding()).clone();
      v[0] = 3e38f;
      e.setEmbedding(FloatArray.wrap(v));
    }), "huge", bad, DeadLetters.OUT_OF_RANGE));
    cells.add(withId(ScoringFixtures.record(4, "strange", e -> e.setCellType("a cell type nobody trained on")), "strange", bad,
        DeadLetters.UNKNOWN_CELL_TYPE));
    RawRecord blank = ScoringFixtures.record(5, " ");
    cells.add(blank);
    RawRecord mismatch = ScoringFixtures.record(6, "c-mismatch");
    mismatch.key = "someone-else".getBytes(StandardCharsets.UTF_8);
    cells.add(mismatch);
    // The same cell twice: one answer, one duplicate, whichever source subtask's copy comes first.
    cells.add(ScoringFixtures.record(7, "c-7"));

    Configuration settings = new Configuration();
    settings.set(ScoringOptions.MODEL_PATH, model.toString());
    // The model it started with is announced too, as a deployment does: not newer, so nothing changes.
    Outputs out = run(cells, List.of(ScoringFixtures.update("5", model, null)), new ScoringOptions(settings, ScoringFixtures.CELLS.width()));

    assertThat(out.predictions).hasSize(300);
    assertThat(out.predictions.stream().map(p -> p.getCellId().toString())).doesNotHaveDuplicates();
    List<String> reasons = new ArrayList<>(bad.values());
    reasons.addAll(List.of(DeadLetters.MISSING_CELL_ID, DeadLetters.KEY_MISMATCH, DeadLetters.DUPLICATE));
    assertThat(out.deadLetters.stream().map(d -> d.getReason().toString())).containsExactlyInAnyOrderElementsOf(reasons);
    assertThat(out.predictions.size() + out.deadLetters.size()).as("nothing lost").isEqualTo(cells.size());
    for (DeadLetter d : out.deadLetters) {
      String key = d.getRawKey() == null ? null : StandardCharsets.UTF_8.decode(d.getRawKey()).toString();
      if (key != null && bad.containsKey(key)) assertThat(d.getReason().toString()).as(key).isEqualTo(bad.get(key));
      assertThat(d.getDetail().toString()).as("a reason a person can act on").isNotBlank();
    }

    // Each answer is the servable's own for that cell.
    try (DonorScorer scorer = DonorScorer.load(model)) {
      int w = ScoringFixtures.CELLS.width();
      List<CellScore> direct = scorer.score(Arrays.copyOf(ScoringFixtures.CELLS.embedding(), 300 * w),
          Arrays.copyOf(ScoringFixtures.CELLS.cellTypes(), 300), 3);
      for (DonorPrediction p : out.predictions) {
        int row = Integer.parseInt(p.getCellId().toString().substring(2));
        assertThat(p.getPredictedDonor().toString()).as(p.getCellId().toString()).isEqualTo(direct.get(row).predictedDonor());
        assertThat(p.getConfidence()).isCloseTo(direct.get(row).confidence(), org.assertj.core.api.Assertions.within(1e-5f));
        assertThat(p.getModelVersion().toString()).isEqualTo("5");
      }
    }
  }

  @Test
  void cellsThatComeBeforeAnyModelWaitForTheAnnouncedChampion() throws Exception {
    List<RawRecord> cells = new ArrayList<>();
    for (int row = 0; row < 200; row++) cells.add(ScoringFixtures.record(row, "w-" + row));
    Outputs out = run(cells, List.of(ScoringFixtures.update("5", model, null)), new ScoringOptions(new Configuration(), ScoringFixtures.CELLS.width()));

    assertThat(out.deadLetters).isEmpty();
    assertThat(out.predictions).hasSize(200).allSatisfy(p -> assertThat(p.getModelVersion().toString()).isEqualTo("5"));
  }

  private static RawRecord withId(RawRecord r, String id, Map<String, String> bad, String reason) {
    bad.put(id, reason);
    return r;
  }

  record Outputs(List<DonorPrediction> predictions, List<DeadLetter> deadLetters) {}

  private static Outputs run(List<RawRecord> cells, List<RawRecord> updates, ScoringOptions options) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    CollectingSink<KeyedBytes> outputs = new CollectingSink<>();
    new ScoringJob(MemorySource.of(cells), MemorySource.of(updates), outputs, options, false).build(env);
    env.execute("scoring-in-memory");
    AvroSerde<DonorPrediction> ps = AvroSerde.of(DonorPrediction.class);
    AvroSerde<DeadLetter> ds = AvroSerde.of(DeadLetter.class);
    List<DonorPrediction> predictions = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    for (KeyedBytes k : outputs.records()) {
      switch (ScoringOutput.of(k)) {
        case PREDICTIONS -> predictions.add(ps.deserialize(k.value));
        case DEAD_LETTERS -> deadLetters.add(ds.deserialize(k.value));
        case SHADOW_PREDICTIONS -> throw new AssertionError("no shadow was announced");
      }
    }
    return new Outputs(predictions, deadLetters);
  }
}
