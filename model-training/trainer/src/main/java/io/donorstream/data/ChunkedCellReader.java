package io.donorstream.data;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads the cells of an h5ad a chunk at a time (file order): memory holds one chunk of embedding
 * rows and obs values, never the whole file. The file is checked up front as {@link
 * CellTableReader} checks it (embedding present and 2-d, every column as long as the index), except
 * what only the values show (a missing cell type, a NaN), which is found at its chunk.
 */
public final class ChunkedCellReader implements Iterator<CellChunk>, AutoCloseable {
  private final H5adFile h5;
  private final H5adReadOptions options;
  private final int chunkCells;
  private final long cells;
  private final ObsColumnSlices ids;
  private final EmbeddingSlices embedding;
  private final ObsColumnSlices cellTypes;
  private final ObsColumnSlices donors;
  private final ObsColumnSlices sexes;
  private long next;
  private long droppedNonFinite;

  private ChunkedCellReader(H5adFile h5, H5adReadOptions o, int chunkCells) {
    if (chunkCells < 1) throw new IllegalArgumentException("chunk size must be at least 1 cell, got " + chunkCells);
    this.h5 = h5;
    this.options = o;
    this.chunkCells = chunkCells;
    this.cells = h5.cellCount();
    this.ids = checked(new ObsColumnSlices(h5, "obs index '" + h5.indexName() + "'", new ObsColumnSlices.Parts(h5.indexDataset(), null)),
        "obs index");
    this.embedding = EmbeddingSlices.of(h5, o.embeddingKey());
    if (embedding.rows() != cells) {
      throw new H5adException(h5.path(), "obsm['" + o.embeddingKey() + "'] has " + embedding.rows() + " rows but obs has " + cells + " cells");
    }
    this.cellTypes = checked(ObsColumnSlices.of(h5, o.cellTypeColumn()), "obs['" + o.cellTypeColumn() + "']");
    if (h5.hasObsColumn(o.donorColumn())) {
      this.donors = checked(ObsColumnSlices.of(h5, o.donorColumn()), "obs['" + o.donorColumn() + "']");
    } else if (o.requireDonor()) {
      throw new H5adException(h5.path(), "obs has no donor column '" + o.donorColumn() + "' (choose another with --donor-column); columns are "
          + h5.obsColumns());
    } else {
      this.donors = null;
    }
    this.sexes = h5.hasObsColumn(o.sexColumn()) ? checked(ObsColumnSlices.of(h5, o.sexColumn()), "obs['" + o.sexColumn() + "']") : null;
  }

  /** Opens {@code file} to be read {@code chunkCells} cells at a time; the caller closes it. */
  public static ChunkedCellReader open(Path file, H5adReadOptions options, int chunkCells) {
    H5adFile h5 = H5adFile.open(file);
    try {
      return new ChunkedCellReader(h5, options, chunkCells);
    } catch (RuntimeException e) {
      h5.close();
      throw e;
    }
  }

  private ObsColumnSlices checked(ObsColumnSlices column, String what) {
    if (column.rows() != cells) throw new H5adException(h5.path(), what + " has " + column.rows() + " rows but obs has " + cells + " cells");
    return column;
  }

  public Path path() {
    return h5.path();
  }

  /** Cells in the file (before any are dropped for non-finite values). */
  public long cells() {
    return cells;
  }

  public int width() {
    return embedding.width();
  }

  public boolean hasDonors() {
    return donors != null;
  }

  public boolean hasSex() {
    return sexes != null;
  }

  /** The obs index's name, to keep it in files written from this one. */
  public String indexName() {
    return h5.indexName();
  }

  /** Cells left out so far because their embedding had NaN/Inf ({@link NonFinitePolicy#DROP}). */
  public long droppedNonFinite() {
    return droppedNonFinite;
  }

  @Override
  public boolean hasNext() {
    return next < cells;
  }

  @Override
  public CellChunk next() {
    if (!hasNext()) throw new NoSuchElementException();
    long from = next;
    int n = (int) Math.min(chunkCells, cells - from);
    next += n;
    String[] id = ids.slice(from, n);
    float[] emb = embedding.rows(from, n);
    String[] type = cellTypes.slice(from, n);
    String[] donor = donors == null ? null : donors.slice(from, n);
    String[] sex = null;
    if (sexes != null) {
      sex = sexes.slice(from, n);
      for (int i = 0; i < n; i++) sex[i] = Sex.normalise(sex[i]);
    }
    for (int i = 0; i < n; i++) {
      if (type[i] == null) {
        throw new H5adException(h5.path(), "obs['" + options.cellTypeColumn() + "'] is missing for cell " + id[i] + " (row " + (from + i) + ")");
      }
    }
    CellChunk chunk = new CellChunk(from, id, width(), emb, type, donor, sex);
    return finiteRows(chunk);
  }

  /** The chunk, or the chunk without rows holding NaN/Inf (counted) under DROP; under REFUSE the first such row is an error. */
  private CellChunk finiteRows(CellChunk c) {
    int w = c.width();
    float[] v = c.embedding();
    boolean[] keep = new boolean[c.size()];
    int kept = 0;
    for (int r = 0; r < c.size(); r++) {
      boolean finite = true;
      for (int k = r * w; k < (r + 1) * w && finite; k++) finite = Float.isFinite(v[k]);
      keep[r] = finite;
      if (finite) {
        kept++;
      } else if (options.nonFinite() == NonFinitePolicy.REFUSE) {
        throw new H5adException(h5.path(), "obsm['" + options.embeddingKey() + "'] has NaN or infinite values at row " + (c.firstRow() + r)
            + " (cell " + c.cellIds()[r] + "); use --drop-non-finite to leave such cells out");
      }
    }
    if (kept == c.size()) return c;
    droppedNonFinite += c.size() - kept;
    int[] rows = new int[kept];
    for (int r = 0, k = 0; r < c.size(); r++) if (keep[r]) rows[k++] = r;
    float[] emb = new float[kept * w];
    for (int k = 0; k < kept; k++) System.arraycopy(v, rows[k] * w, emb, k * w, w);
    return new CellChunk(c.firstRow(), pick(c.cellIds(), rows), w, emb, pick(c.cellTypes(), rows), pick(c.donorIds(), rows), pick(c.sexes(), rows));
  }

  private static String[] pick(String[] values, int[] rows) {
    if (values == null) return null;
    String[] out = new String[rows.length];
    for (int k = 0; k < rows.length; k++) out[k] = values[rows[k]];
    return out;
  }

  @Override
  public void close() {
    h5.close();
  }
}
