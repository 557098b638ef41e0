package io.donorstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H5adFileTest {
  @TempDir Path dir;

  @Test
  void readsTheRealOneK1kFile() {
    Path file = SharedData.onek1k();
    CellTable t = CellTableReader.read(file, H5adReadOptions.of("X_pca"));
    assertThat(t.size()).isEqualTo(4091);
    assertThat(t.width()).isEqualTo(50);
    assertThat(t.donors()).hasSize(20);
    Map<String, String> sexOfDonor = new HashMap<>();
    for (int i = 0; i < t.size(); i++) {
      String previous = sexOfDonor.put(t.donorIds()[i], t.sexes()[i]);
      assertThat(previous == null || previous.equals(t.sexes()[i])).as("one sex per donor").isTrue();
    }
    assertThat(sexOfDonor.values().stream().filter(Sex.FEMALE::equals).count()).isEqualTo(10);
    assertThat(sexOfDonor.values().stream().filter(Sex.MALE::equals).count()).isEqualTo(10);
    assertThat(Arrays.stream(t.cellTypes()).distinct()).contains("memory B cell", "classical monocyte");
    assertThat(t.cellTypeOntologyIds()[0]).startsWith("CL:");
    for (float v : t.embedding()) assertThat(Float.isFinite(v)).isTrue();
  }

  @Test
  void readsObsColumnsAndCsrMatrixOfOneK1k() {
    try (H5adFile h5 = H5adFile.open(SharedData.onek1k())) {
      assertThat(h5.obsColumns()).contains("donor_id", "sex", "cell_type", "cell_type_ontology_term_id");
      assertThat(h5.obsmKeys()).containsExactly("X_pca");
      CsrMatrix x = h5.x();
      assertThat(x.rows()).isEqualTo(4091);
      assertThat(x.cols()).isEqualTo(1000);
      assertThat(x.nonZeros()).isEqualTo(451_309);
      float rowSum = 0;
      for (float v : x.denseRow(0)) rowSum += v;
      assertThat(rowSum).isPositive();
      assertThat(h5.unsString("source")).isNotBlank();
    }
  }

  @Test
  void readsLegacyCategoricalsAndMissingCodes() {
    Path file = H5adFixtures.write(dir.resolve("legacy.h5ad"), new String[] {"a", "b", "c"}, H5adFixtures.rows(3, 4), obs -> {
      H5adFixtures.legacyCategorical(obs, "donor_id", new String[] {"D1", "D2"}, new byte[] {1, 0, 1});
      H5adFixtures.legacyCategorical(obs, "cell_type", new String[] {"astrocyte"}, new byte[] {0, 0, 0});
      H5adFixtures.legacyCategorical(obs, "sex", new String[] {"male", "female"}, new byte[] {0, -1, 0});
    });
    try (H5adFile h5 = H5adFile.open(file)) {
      assertThat(h5.obsColumns()).containsExactlyInAnyOrder("donor_id", "cell_type", "sex");
    }
    CellTable t = CellTableReader.read(file, H5adReadOptions.of("emb"));
    assertThat(t.donorIds()).containsExactly("D2", "D1", "D2");
    assertThat(t.sexes()).containsExactly("male", null, "male");
    assertThat(t.row(2)).containsExactly(2f, 2.1f, 2.2f, 2.3f);
  }

  @Test
  void readsCurrentCategoricalsAndStringColumnsWithChosenNames() {
    Path file = H5adFixtures.write(dir.resolve("cur.h5ad"), new String[] {"a", "b"}, H5adFixtures.rows(2, 3), obs -> {
      H5adFixtures.currentCategorical(obs, "individual", new String[] {"P1", "P2"}, new byte[] {1, 0});
      obs.putDataset("gender", new String[] {"Female", "unknown"});
      obs.putDataset("label", new String[] {"neuron", "astrocyte"});
    });
    CellTable t = CellTableReader.read(file, H5adReadOptions.of("emb").withColumns("individual", "gender", "label"));
    assertThat(t.donorIds()).containsExactly("P2", "P1");
    assertThat(t.sexes()).as("Census values, anything else unknown").containsExactly("female", null);
    assertThat(t.cellTypes()).containsExactly("neuron", "astrocyte");
  }

  @Test
  void missingSexIsAllowedAndMissingDonorOnlyForScoring() {
    Path file = H5adFixtures.write(dir.resolve("nosex.h5ad"), new String[] {"a"}, H5adFixtures.rows(1, 2),
        obs -> obs.putDataset("cell_type", new String[] {"neuron"}));
    CellTable scoring = CellTableReader.read(file, H5adReadOptions.of("emb").scoringOnly());
    assertThat(scoring.hasSex()).isFalse();
    assertThat(scoring.hasDonors()).isFalse();
    assertThatThrownBy(() -> CellTableReader.read(file, H5adReadOptions.of("emb")))
        .isInstanceOf(H5adException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no donor column 'donor_id'")
        .hasMessageContaining("[cell_type]");
  }

  @Test
  void noSuchFile() {
    Path missing = dir.resolve("absent.h5ad");
    assertThatThrownBy(() -> CellTableReader.read(missing, H5adReadOptions.of("emb")))
        .isInstanceOf(H5adException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void notHdf5() throws Exception {
    Path text = Files.writeString(dir.resolve("cells.h5ad"), "cell_id,donor\nc1,D1\n");
    assertThatThrownBy(() -> CellTableReader.read(text, H5adReadOptions.of("emb")))
        .isInstanceOf(H5adException.class)
        .hasMessageStartingWith(text + ": not an HDF5 file");
  }

  @Test
  void missingColumnNamesWhatExists() {
    Path file = H5adFixtures.write(dir.resolve("nocol.h5ad"), new String[] {"a"}, H5adFixtures.rows(1, 2),
        obs -> obs.putDataset("donor_id", new String[] {"D1"}));
    assertThatThrownBy(() -> CellTableReader.read(file, H5adReadOptions.of("emb")))
        .isInstanceOf(H5adException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("obs has no column 'cell_type'; columns are [donor_id]");
  }

  @Test
  void missingEmbeddingKeyNamesTheKeysThatExist() {
    Path file = SharedData.onek1k();
    assertThatThrownBy(() -> CellTableReader.read(file, H5adReadOptions.of("geneformer")))
        .isInstanceOf(H5adException.class)
        .hasMessageContaining("obsm has no embedding 'geneformer'; keys are [X_pca]");
  }

  @Test
  void nonFiniteEmbeddingsAreRefusedWithCountAndFirstRowOrDropped() {
    float[][] rows = H5adFixtures.rows(5, 3);
    rows[1][2] = Float.NaN;
    rows[3][0] = Float.POSITIVE_INFINITY;
    Path file = H5adFixtures.write(dir.resolve("nan.h5ad"), new String[] {"a", "b", "c", "d", "e"}, rows, obs -> {
      obs.putDataset("donor_id", new String[] {"D1", "D2", "D1", "D2", "D1"});
      obs.putDataset("cell_type", new String[] {"n", "n", "n", "n", "n"});
    });
    assertThatThrownBy(() -> CellTableReader.read(file, H5adReadOptions.of("emb")))
        .isInstanceOf(H5adException.class)
        .hasMessageContaining("NaN or infinite values in 2 of 5 cells, first at row 1 (cell b)");
    CellTable kept = CellTableReader.read(file, H5adReadOptions.of("emb").withNonFinite(NonFinitePolicy.DROP));
    assertThat(kept.cellIds()).containsExactly("a", "c", "e");
    assertThat(kept.droppedNonFinite()).isEqualTo(2);
    assertThat(kept.row(1)).containsExactly(2f, 2.1f, 2.2f);
  }

  @Test
  void lengthMismatchIsReported() {
    Path file = H5adFixtures.write(dir.resolve("short.h5ad"), new String[] {"a", "b", "c"}, H5adFixtures.rows(2, 3), obs -> {
      obs.putDataset("donor_id", new String[] {"D1", "D2", "D1"});
      obs.putDataset("cell_type", new String[] {"n", "n", "n"});
    });
    assertThatThrownBy(() -> CellTableReader.read(file, H5adReadOptions.of("emb")))
        .isInstanceOf(H5adException.class)
        .hasMessageContaining("obsm['emb'] has 2 rows but obs has 3 cells");
  }

  @Test
  void denseXIsReadAsCsr() {
    Path file = dir.resolve("dense.h5ad");
    try (var h = io.jhdf.HdfFile.write(file)) {
      h.putDataset("X", new float[][] {{0, 1.5f, 0}, {2, 0, 0}});
    }
    try (H5adFile h5 = H5adFile.open(file)) {
      CsrMatrix x = h5.x();
      assertThat(x.nonZeros()).isEqualTo(2);
      assertThat(x.denseRow(0)).containsExactly(0f, 1.5f, 0f);
      assertThat(x.denseRow(1)).containsExactly(2f, 0f, 0f);
    }
  }
}
