package io.donorstream.data;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Cells as donorstream uses them: id, embedding row, cell type (+ ontology id) and, when known,
 * donor and sex. {@code donorIds} is null for scoring-only input; {@code sexes} is null when the
 * file has no sex column, and individual entries are null where sex is unknown.
 */
public record CellTable(
    String datasetId,
    String embeddingKey,
    int width,
    String[] cellIds,
    float[] embedding,
    String[] cellTypes,
    String[] cellTypeOntologyIds,
    String[] donorIds,
    String[] sexes,
    int droppedNonFinite) {

  public CellTable {
    Objects.requireNonNull(cellIds, "cellIds");
    Objects.requireNonNull(cellTypes, "cellTypes");
    if (embedding.length != (long) cellIds.length * width) {
      throw new IllegalArgumentException("embedding holds " + embedding.length + " values, expected " + cellIds.length + " x " + width);
    }
  }

  public int size() {
    return cellIds.length;
  }

  public float[] row(int i) {
    return Arrays.copyOfRange(embedding, i * width, (i + 1) * width);
  }

  public boolean hasDonors() {
    return donorIds != null;
  }

  public boolean hasSex() {
    return sexes != null;
  }

  /** Distinct donors in order of first appearance. */
  public List<String> donors() {
    return donorIds == null ? List.of() : List.copyOf(new LinkedHashSet<>(Arrays.asList(donorIds)));
  }

  /** A copy holding only the given rows, in that order. */
  public CellTable select(int[] rows) {
    float[] emb = new float[rows.length * width];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(embedding, rows[k] * width, emb, k * width, width);
    }
    return new CellTable(datasetId, embeddingKey, width, pick(cellIds, rows), emb, pick(cellTypes, rows),
        pick(cellTypeOntologyIds, rows), pick(donorIds, rows), pick(sexes, rows), droppedNonFinite);
  }

  private static String[] pick(String[] values, int[] rows) {
    if (values == null) {
      return null;
    }
    String[] out = new String[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = values[rows[k]];
    }
    return out;
  }
}
