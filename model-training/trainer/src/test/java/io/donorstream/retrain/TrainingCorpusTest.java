package io.donorstream.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.ArchiveReader;
import io.donorstream.data.CellTable;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.train.DataSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A retraining's training splits and its held-out cells never share a cell, by id or by embedding. */
class TrainingCorpusTest {
  static final CellTable CELLS = SyntheticDataGenerator.generate(SyntheticSpec.generic(900, 6, 3, 8, "X_emb", 2.0, 1.0, 4), "corpus").table();

  /**
   * The archive as a replaying stream leaves it: 500 distinct cells, 80 of them sent again later under
   * new ids (the demo used to do this), 40 archived twice under their own id; event times one second apart.
   */
  static ArchiveReader.TimedCells messyArchive() {
    List<Integer> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(i);
      ids.add(CELLS.cellIds()[i]);
    }
    for (int i = 0; i < 80; i++) {
      rows.add(i * 5);
      ids.add(CELLS.cellIds()[i * 5] + "~2");
    }
    for (int i = 0; i < 40; i++) {
      rows.add(400 + i);
      ids.add(CELLS.cellIds()[400 + i]);
    }
    CellTable t = CELLS.select(rows.stream().mapToInt(Integer::intValue).toArray());
    t = new CellTable(t.datasetId(), t.embeddingKey(), t.width(), ids.toArray(String[]::new), t.embedding(), t.cellTypes(),
        t.cellTypeOntologyIds(), t.donorIds(), t.sexes(), 0);
    long[] times = LongsFrom.range(t.size());
    return new ArchiveReader.TimedCells(t, times);
  }

  /** The base set: 400 cells, 50 of which the archive holds under the same id and 50 under another. */
  static CellTable base() {
    int[] rows = IntStream.concat(IntStream.range(500, 800), IntStream.range(0, 100)).toArray();
    CellTable b = CELLS.select(rows);
    String[] ids = b.cellIds().clone();
    for (int k = 350; k < 400; k++) ids[k] = "renamed-" + ids[k];
    return new CellTable("base", b.embeddingKey(), b.width(), ids, b.embedding(), b.cellTypes(), b.cellTypeOntologyIds(), b.donorIds(), b.sexes(), 0);
  }

  @Test
  void theSplitsAndTheHeldOutCellsShareNoCellIdAndNoEmbedding() {
    TrainingCorpus c = TrainingCorpus.of(messyArchive(), base(), 0.2, 1_000, null, 9);
    assertThat(c.archived()).as("distinct archived cells").isEqualTo(500);
    assertThat(c.duplicates()).isEqualTo(120);
    assertThat(c.baseOverlap()).isEqualTo(100);
    assertThat(c.recent().size()).isEqualTo(100);
    assertThat(c.train().size()).isEqualTo(400 + 300);
    DataSplit split = DataSplit.stratifiedByDonor(c.train().donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, 42);
    List<CellTable> parts = List.of(c.train().select(split.train()), c.train().select(split.validation()), c.train().select(split.test()), c.recent());
    Set<String> ids = new HashSet<>();
    Set<List<Float>> embeddings = new HashSet<>();
    int cells = 0;
    for (CellTable p : parts) {
      for (int i = 0; i < p.size(); i++) {
        ids.add(p.cellIds()[i]);
        List<Float> e = new ArrayList<>();
        for (float v : p.row(i)) e.add(v);
        embeddings.add(e);
        cells++;
      }
    }
    assertThat(ids).as("every cell id once across train, validation, test and held-out").hasSize(cells);
    assertThat(embeddings).as("every embedding once across them").hasSize(cells);
  }

  @Test
  void recentCellsWeighAtLeastHalfAboveTheFloor() {
    ArchiveReader.TimedCells archive = messyArchive();
    // Recent: archived from second 300 on; of the distinct cells, 200 are that recent, a quarter (50) held out to compare on.
    TrainingCorpus c = TrainingCorpus.of(archive, base(), 0.2, 1_000, new TrainingCorpus.Recency(300_000, 50), 9);
    long recentInTrain = Arrays.stream(c.train().cellIds()).filter(id -> !id.startsWith("renamed-") && !id.contains("~")
        && Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) >= 300 && Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) < 500).count();
    assertThat(c.recent().size()).isEqualTo(50);
    assertThat(c.recent().cellIds()).allMatch(id -> Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) >= 300);
    assertThat(recentInTrain).isEqualTo(150);
    assertThat(c.train().size()).as("as many older cells as recent ones").isEqualTo(300);
    assertThat(c.olderLeftOut()).isEqualTo(300 + 300 - 150);
    TrainingCorpus floor = TrainingCorpus.of(archive, base(), 0.2, 1_000, new TrainingCorpus.Recency(300_000, 250), 9);
    assertThat(floor.train().size()).as("never fewer older cells than the floor").isEqualTo(150 + 250);
  }

  /** Event times one second apart, in row order. */
  private static final class LongsFrom {
    static long[] range(int n) {
      long[] t = new long[n];
      for (int i = 0; i < n; i++) t[i] = 1_000L * i;
      return t;
    }
  }
}
