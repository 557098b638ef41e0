package io.donorstream.data;

import io.donorstream.schema.CellEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads the monitor's training archive: Avro object-container files of labelled {@link CellEvent}s
 * ({@code <dir>/day=YYYY-MM-DD/cells-*.avro}, or one such file). Files still being written (hidden,
 * dot-prefixed) are skipped; a cell archived twice (e.g. by two monitor runs) is read once.
 */
public final class ArchiveReader {
  public static final String SUFFIX = ".avro";

  private ArchiveReader() {}

  /** Whether {@code path} is an archive (a directory or an .avro file) rather than an .h5ad. */
  public static boolean isArchive(Path path) {
    return Files.isDirectory(path) || path.getFileName().toString().endsWith(SUFFIX);
  }

  /** Archived cells with their event times (epoch ms), in the order read. */
  public record TimedCells(CellTable table, long[] eventTimes) {}

  /** @param embeddingKey the key the cells must carry; null or empty accepts the archive's own */
  public static CellTable read(Path path, String embeddingKey) {
    return readTimed(path, embeddingKey).table();
  }

  public static TimedCells readTimed(Path path, String embeddingKey) {
    List<Path> files = files(path);
    if (files.isEmpty()) throw new H5adException(path, "no archived cells (no *" + SUFFIX + " files) here");
    List<CellEvent> cells = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Path f : files) {
      try (DataFileReader<CellEvent> in = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(CellEvent.class))) {
        for (CellEvent e : in) {
          if (seen.add(e.getCellId())) cells.add(e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read archive file " + f + ": " + e.getMessage(), e);
      }
    }
    String key = cells.get(0).getEmbeddingKey();
    int width = cells.get(0).getEmbedding().size();
    if (embeddingKey != null && !embeddingKey.isEmpty() && !embeddingKey.equals(key)) {
      throw new H5adException(path, "archived cells carry embedding '" + key + "', not '" + embeddingKey + "'");
    }
    int n = cells.size();
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] ontology = new String[n];
    String[] donors = new String[n];
    String[] sexes = new String[n];
    float[] emb = new float[n * width];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      CellEvent e = cells.get(i);
      times[i] = e.getEventTime().toEpochMilli();
      if (!key.equals(e.getEmbeddingKey()) || e.getEmbedding().size() != width) {
        throw new H5adException(path, "cell " + e.getCellId() + " carries a " + e.getEmbedding().size() + "-d '" + e.getEmbeddingKey()
            + "' embedding; the archive's first cell a " + width + "-d '" + key + "' one");
      }
      ids[i] = e.getCellId();
      types[i] = e.getCellType();
      ontology[i] = e.getCellTypeOntologyId();
      donors[i] = e.getDonorId();
      sexes[i] = Sex.normalise(e.getSex());
      List<Float> v = e.getEmbedding();
      for (int j = 0; j < width; j++) emb[i * width + j] = v.get(j);
    }
    return new TimedCells(new CellTable("archive:" + path.getFileName(), key, width, ids, emb, types, ontology, donors, sexes, 0), times);
  }

  private static List<Path> files(Path path) {
    if (!Files.isDirectory(path)) return List.of(path);
    try (Stream<Path> all = Files.walk(path)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(SUFFIX) && !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }
}
