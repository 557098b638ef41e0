package io.donorstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.schema.CellEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor's training archive read as a CellTable, as train --data reads it. */
public class ArchiveReaderTest {
  @TempDir Path dir;

  static CellEvent cell(String id, String key, float... embedding) {
    List<Float> v = new java.util.ArrayList<>();
    for (float x : embedding) v.add(x);
    return CellEvent.newBuilder().setCellId(id).setDatasetId("d").setEventTime(Instant.ofEpochMilli(1)).setEmbedding(v).setEmbeddingKey(key)
        .setCellType("T").setCellTypeOntologyId(null).setDonorId("D-" + id).setSex("female").build();
  }

  public static void write(Path file, CellEvent... cells) throws IOException {
    Files.createDirectories(file.getParent());
    try (DataFileWriter<CellEvent> out = new DataFileWriter<>(new SpecificDatumWriter<>(CellEvent.class))) {
      out.create(CellEvent.getClassSchema(), file.toFile());
      for (CellEvent c : cells) out.append(c);
    }
  }

  @Test
  void readsEveryDayOnceAndSkipsFilesInProgress() throws IOException {
    write(dir.resolve("day=2026-11-29/cells-a-0.avro"), cell("a", "X_pca", 1, 2), cell("b", "X_pca", 3, 4));
    write(dir.resolve("day=2026-11-30/cells-a-1.avro"), cell("c", "X_pca", 5, 6), cell("a", "X_pca", 1, 2));
    write(dir.resolve("day=2026-11-30/.cells-a-2.avro.inprogress.avro"), cell("z", "X_pca", 9, 9));
    CellTable t = CellTableReader.read(dir, H5adReadOptions.of("X_pca"));
    assertThat(t.cellIds()).containsExactly("a", "b", "c");
    assertThat(t.width()).isEqualTo(2);
    assertThat(t.row(2)).containsExactly(5f, 6f);
    assertThat(t.donorIds()).containsExactly("D-a", "D-b", "D-c");
    assertThat(t.sexes()).containsOnly("female");
    assertThat(ArchiveReader.isArchive(dir)).isTrue();
  }

  @Test
  void anotherEmbeddingOrAnEmptyArchiveIsAClearError() throws IOException {
    write(dir.resolve("day=2026-11-30/cells-0.avro"), cell("a", "X_pca", 1, 2));
    assertThatThrownBy(() -> CellTableReader.read(dir, H5adReadOptions.of("geneformer")))
        .isInstanceOf(H5adException.class).hasMessageContaining("carry embedding 'X_pca', not 'geneformer'");
    write(dir.resolve("day=2026-12-01/cells-1.avro"), cell("b", "X_pca", 1, 2, 3));
    assertThatThrownBy(() -> CellTableReader.read(dir, H5adReadOptions.of("X_pca"))).hasMessageContaining("3-d 'X_pca'");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> CellTableReader.read(empty, H5adReadOptions.of("X_pca"))).hasMessageContaining("no archived cells");
  }
}
