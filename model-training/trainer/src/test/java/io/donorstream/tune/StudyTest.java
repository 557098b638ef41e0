package io.donorstream.tune;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTable;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.DataSplit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A TPE study on the validation split: it never reads test cells, and it resumes from trials.csv. */
@ExtendWith(MiniLmEncoder.class)
class StudyTest {
  static final long SEED = 3;
  @TempDir Path dir;
  static CellTable table;

  @BeforeAll
  static void data() {
    table = SyntheticDataGenerator.generate(SyntheticSpec.generic(900, 5, 3, 16, "X_emb", 2.5, 1.5, 11), "tiny").table();
  }

  static Study study(int trials) {
    return new Study(new Study.Options("vanilla", false, 0, trials, 6, SEED, "cpu", true), m -> {});
  }

  @Test
  void theTestCellsAreNeverRead(TransformerTextEncoder encoder) throws Exception {
    // Every test cell's embedding is NaN and its cell type is one no other cell has: if anything
    // (scaling, the cell-type vocabulary, a trial) touched them, the values would change or be NaN.
    DataSplit split = DataSplit.stratifiedByDonor(table.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, SEED);
    float[] poisoned = table.embedding().clone();
    String[] types = table.cellTypes().clone();
    for (int r : split.test()) {
      java.util.Arrays.fill(poisoned, r * table.width(), (r + 1) * table.width(), Float.NaN);
      types[r] = "poison cell";
    }
    CellTable bad = new CellTable(table.datasetId(), table.embeddingKey(), table.width(), table.cellIds(), poisoned, types,
        table.cellTypeOntologyIds(), table.donorIds(), table.sexes(), 0);

    study(3).run(table, encoder, CellOntology.empty(), dir.resolve("clean"));
    study(3).run(bad, encoder, CellOntology.empty(), dir.resolve("poisoned"));

    List<Trial> clean = TrialsCsv.read(dir.resolve("clean").resolve(Study.TRIALS_CSV), study(3).space());
    List<Trial> poison = TrialsCsv.read(dir.resolve("poisoned").resolve(Study.TRIALS_CSV), study(3).space());
    assertThat(clean).hasSize(3);
    assertThat(clean).allSatisfy(t -> assertThat(t.value()).isFinite());
    assertThat(poison.stream().map(Trial::value).toList()).isEqualTo(clean.stream().map(Trial::value).toList());
    assertThat(poison.stream().map(Trial::intermediate).toList()).isEqualTo(clean.stream().map(Trial::intermediate).toList());
  }

  @Test
  void aStudyResumesFromTrialsCsvAsIfNeverInterrupted(TransformerTextEncoder encoder) throws Exception {
    Path whole = dir.resolve("whole");
    Path resumed = dir.resolve("resumed");
    study(6).run(table, encoder, CellOntology.empty(), whole);
    study(4).run(table, encoder, CellOntology.empty(), resumed);
    // A kill in the middle of a write leaves a partial line; the resumed study must not trip on it.
    Files.writeString(resumed.resolve(Study.TRIALS_CSV), "4,COMPLETE,0.5,1.2,0.00", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    BestParams best = study(6).run(table, encoder, CellOntology.empty(), resumed);

    List<Trial> a = TrialsCsv.read(whole.resolve(Study.TRIALS_CSV), study(6).space());
    List<Trial> b = TrialsCsv.read(resumed.resolve(Study.TRIALS_CSV), study(6).space());
    assertThat(b.stream().map(Trial::number).toList()).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(b.stream().map(Trial::params).toList()).isEqualTo(a.stream().map(Trial::params).toList());
    assertThat(b.stream().map(Trial::value).toList()).isEqualTo(a.stream().map(Trial::value).toList());
    assertThat(BestParams.read(resumed.resolve(Study.BEST_JSON))).isEqualTo(best);
    assertThat(best.value()).isEqualTo(Study.best(a).orElseThrow().value());
  }
}
