package io.donorstream.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H5adWriterTest {
  @TempDir Path dir;

  @Test
  void writtenTableReadsBackIdentically() {
    CellTable t = new CellTable("x", "geneformer", 3, new String[] {"c1", "c2", "c3"},
        new float[] {1, 2, 3, 4, 5, 6, -7, 8.5f, 9e-9f}, new String[] {"astrocyte", "neuron", "astrocyte"},
        new String[] {"CL:0000127", "CL:0000540", "CL:0000127"}, new String[] {"D1", "D2", "D1"},
        new String[] {"female", null, "female"}, 0);
    Path file = dir.resolve("x.h5ad");
    H5adWriter.write(file, t, Map.of("bayes_optimal_accuracy", 0.71, "preset", "custom"));

    CellTable back = CellTableReader.read(file, H5adReadOptions.of("geneformer"));
    assertThat(back.cellIds()).containsExactly(t.cellIds());
    assertThat(back.embedding()).containsExactly(t.embedding());
    assertThat(back.cellTypes()).containsExactly(t.cellTypes());
    assertThat(back.cellTypeOntologyIds()).containsExactly(t.cellTypeOntologyIds());
    assertThat(back.donorIds()).containsExactly(t.donorIds());
    assertThat(back.sexes()).containsExactly("female", null, "female");
    try (H5adFile h5 = H5adFile.open(file)) {
      assertThat(h5.unsString("preset")).isEqualTo("custom");
      assertThat(h5.unsString("bayes_optimal_accuracy")).isEqualTo("0.71");
      assertThat(h5.x().denseRow(2)).containsExactly(-7f, 8.5f, 9e-9f);
    }
  }
}
