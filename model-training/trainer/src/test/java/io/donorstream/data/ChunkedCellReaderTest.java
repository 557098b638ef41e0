package io.donorstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a file a chunk at a time must give exactly what reading it whole gives, whatever the chunk size. */
class ChunkedCellReaderTest {
  @TempDir Path dir;

  @Test
  void chunksOfAnyCutConcatenateToTheWholeFileEvenWhenTheLastIsShort() {
    Path file = dir.resolve("g.h5ad");
    H5adWriter.write(file, SyntheticDataGenerator.generate(SyntheticSpec.generic(23, 3, 2, 6, "X_emb", 2, 1, 1), "g").table(), Map.of());
    CellTable whole = CellTableReader.read(file, H5adReadOptions.of("X_emb"));
    for (int chunk : new int[] {1, 5, 22, 23, 24, 1000}) {
      List<CellChunk> chunks = readAll(file, H5adReadOptions.of("X_emb"), chunk);
      assertThat(chunks).as("chunk %d", chunk).hasSize((23 + chunk - 1) / chunk);
      assertThat(chunks.get(chunks.size() - 1).size()).as("last chunk of %d", chunk).isEqualTo(23 - (chunks.size() - 1) * chunk);
      for (int k = 0; k < chunks.size(); k++) assertThat(chunks.get(k).firstRow()).isEqualTo((long) k * chunk);
      assertSame(whole, chunks);
    }
  }

  @Test
  void categoricalColumnsOfBothEncodingsAreSlicedWithMissingCodesAsNull() {
    String[] ids = {"a", "b", "c", "d", "e", "f", "g"};
    Path file = H5adFixtures.write(dir.resolve("cat.h5ad"), ids, H5adFixtures.rows(7, 3), obs -> {
      H5adFixtures.currentCategorical(obs, "donor_id", new String[] {"D1", "D2", "D3"}, new byte[] {2, 0, 1, 2, 0, 1, 2});
      H5adFixtures.legacyCategorical(obs, "cell_type", new String[] {"astrocyte", "neuron"}, new byte[] {0, 1, 1, 0, 0, 1, 0});
      H5adFixtures.currentCategorical(obs, "sex", new String[] {"male", "female"}, new byte[] {0, -1, 1, 0, -1, 1, 0});
    });
    CellTable whole = CellTableReader.read(file, H5adReadOptions.of("emb"));
    List<CellChunk> chunks = readAll(file, H5adReadOptions.of("emb"), 3);
    assertThat(chunks).hasSize(3);
    assertThat(chunks.get(1).donorIds()).containsExactly("D3", "D1", "D2");
    assertThat(chunks.get(0).sexes()).containsExactly("male", null, "female");
    assertSame(whole, chunks);
  }

  @Test
  void aChunkedCompressedEmbeddingReadsAsTheContiguousOneAndDoublesAsFloats() {
    String[] ids = new String[10];
    for (int i = 0; i < ids.length; i++) ids[i] = "cell-" + i;
    float[][] rows = H5adFixtures.rows(10, 4);
    double[][] doubles = new double[10][4];
    for (int i = 0; i < 10; i++) for (int j = 0; j < 4; j++) doubles[i][j] = rows[i][j];
    Path file = dir.resolve("chunked.h5ad");
    try (WritableHdfFile h = HdfFile.write(file)) {
      WritableGroup obs = h.putGroup("obs");
      obs.putAttribute("_index", "_index");
      obs.putDataset("_index", ids);
      obs.putDataset("cell_type", new String[] {"t", "t", "u", "t", "u", "u", "t", "t", "u", "t"});
      WritableGroup obsm = h.putGroup("obsm");
      obsm.putDataset("plain", rows);
      obsm.putDataset("chunked", rows, DatasetCreationOptions.builder().chunkDimensions(3, 4).deflate().build());
      obsm.putDataset("doubles", doubles);
    }
    CellTable plain = CellTableReader.read(file, H5adReadOptions.of("plain").scoringOnly());
    for (String key : List.of("chunked", "doubles")) {
      List<CellChunk> chunks = readAll(file, H5adReadOptions.of(key).scoringOnly(), 4);
      float[] got = concat(chunks);
      assertThat(got).as(key).containsExactly(plain.embedding());
    }
  }

  @Test
  void nonFiniteRowsAreRefusedNamingTheCellOrDroppedAndCounted() {
    float[][] rows = H5adFixtures.rows(6, 2);
    rows[4][1] = Float.NaN;
    Path file = H5adFixtures.write(dir.resolve("nan.h5ad"), new String[] {"a", "b", "c", "d", "e", "f"}, rows,
        obs -> obs.putDataset("cell_type", new String[] {"t", "t", "t", "t", "t", "t"}));
    assertThatThrownBy(() -> readAll(file, H5adReadOptions.of("emb").scoringOnly(), 4)).isInstanceOf(H5adException.class)
        .hasMessageContaining("row 4 (cell e)").hasMessageContaining("--drop-non-finite");
    try (ChunkedCellReader r = ChunkedCellReader.open(file, H5adReadOptions.of("emb").scoringOnly().withNonFinite(NonFinitePolicy.DROP), 4)) {
      List<String> ids = new ArrayList<>();
      while (r.hasNext()) ids.addAll(Arrays.asList(r.next().cellIds()));
      assertThat(ids).containsExactly("a", "b", "c", "d", "f");
      assertThat(r.droppedNonFinite()).isEqualTo(1);
    }
  }

  @Test
  void aWrongKeyListsTheKeysAndAMissingCellTypeColumnListsTheColumns() {
    Path file = H5adFixtures.write(dir.resolve("k.h5ad"), new String[] {"a"}, H5adFixtures.rows(1, 2),
        obs -> obs.putDataset("label", new String[] {"t"}));
    assertThatThrownBy(() -> ChunkedCellReader.open(file, H5adReadOptions.of("X_pca").scoringOnly(), 4)).isInstanceOf(H5adException.class)
        .hasMessageContaining("obsm has no embedding 'X_pca'; keys are [emb]");
    assertThatThrownBy(() -> ChunkedCellReader.open(file, H5adReadOptions.of("emb").scoringOnly(), 4)).isInstanceOf(H5adException.class)
        .hasMessageContaining("obs has no column 'cell_type'; columns are [label]");
    assertThatThrownBy(() -> ChunkedCellReader.open(dir.resolve("none.h5ad"), H5adReadOptions.of("emb"), 4)).isInstanceOf(H5adException.class)
        .hasMessageContaining("no such file");
  }

  @Test
  void theRealOneK1kFileReadsTheSameInChunks() {
    Path file = SharedData.onek1k();
    CellTable whole = CellTableReader.read(file, H5adReadOptions.of("X_pca"));
    assertSame(whole, readAll(file, H5adReadOptions.of("X_pca"), 1000));
  }

  private static List<CellChunk> readAll(Path file, H5adReadOptions o, int chunk) {
    List<CellChunk> out = new ArrayList<>();
    try (ChunkedCellReader r = ChunkedCellReader.open(file, o, chunk)) {
      while (r.hasNext()) out.add(r.next());
    }
    return out;
  }

  private static void assertSame(CellTable whole, List<CellChunk> chunks) {
    List<String> ids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> donors = new ArrayList<>();
    List<String> sexes = new ArrayList<>();
    for (CellChunk c : chunks) {
      ids.addAll(Arrays.asList(c.cellIds()));
      types.addAll(Arrays.asList(c.cellTypes()));
      donors.addAll(Arrays.asList(c.donorIds()));
      sexes.addAll(Arrays.asList(c.sexes()));
      assertThat(c.width()).isEqualTo(whole.width());
    }
    assertThat(ids).containsExactly(whole.cellIds());
    assertThat(types).containsExactly(whole.cellTypes());
    assertThat(donors).containsExactly(whole.donorIds());
    assertThat(sexes).containsExactly(whole.sexes());
    assertThat(concat(chunks)).containsExactly(whole.embedding());
  }

  private static float[] concat(List<CellChunk> chunks) {
    int n = 0;
    for (CellChunk c : chunks) n += c.embedding().length;
    float[] all = new float[n];
    int at = 0;
    for (CellChunk c : chunks) {
      System.arraycopy(c.embedding(), 0, all, at, c.embedding().length);
      at += c.embedding().length;
    }
    return all;
  }
}
