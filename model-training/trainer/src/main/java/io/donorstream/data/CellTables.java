package io.donorstream.data;

/** Operations on whole tables. */
public final class CellTables {
  private CellTables() {}

  /** The cells of {@code a} then those of {@code b}; both must carry the same embedding. */
  public static CellTable concat(CellTable a, CellTable b) {
    if (a.width() != b.width() || !a.embeddingKey().equals(b.embeddingKey())) {
      throw new IllegalArgumentException("cannot join " + a.datasetId() + " (" + a.width() + "-d '" + a.embeddingKey() + "') with "
          + b.datasetId() + " (" + b.width() + "-d '" + b.embeddingKey() + "')");
    }
    int n = a.size() + b.size();
    float[] emb = new float[n * a.width()];
    System.arraycopy(a.embedding(), 0, emb, 0, a.embedding().length);
    System.arraycopy(b.embedding(), 0, emb, a.embedding().length, b.embedding().length);
    return new CellTable(a.datasetId() + "+" + b.datasetId(), a.embeddingKey(), a.width(), join(a.cellIds(), b.cellIds(), n), emb,
        join(a.cellTypes(), b.cellTypes(), n), join(a.cellTypeOntologyIds(), b.cellTypeOntologyIds(), n), join(a.donorIds(), b.donorIds(), n),
        join(a.sexes(), b.sexes(), n), a.droppedNonFinite() + b.droppedNonFinite());
  }

  private static String[] join(String[] a, String[] b, int n) {
    if (a == null && b == null) return null;
    String[] out = new String[n];
    if (a != null) System.arraycopy(a, 0, out, 0, a.length);
    if (b != null) System.arraycopy(b, 0, out, n - b.length, b.length);
    return out;
  }
}
