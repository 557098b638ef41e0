package io.donorstream.data;

import java.nio.file.Path;

/**
 * Reads an h5ad, or the monitor's training archive (a directory or an .avro file, see {@link
 * ArchiveReader}), into a {@link CellTable}, checking it is complete and consistent.
 */
public final class CellTableReader {
  private CellTableReader() {}

  public static CellTable read(Path file, H5adReadOptions options) {
    if (java.nio.file.Files.exists(file) && ArchiveReader.isArchive(file)) return ArchiveReader.read(file, options.embeddingKey());
    try (H5adFile h5 = H5adFile.open(file)) {
      return read(h5, options);
    }
  }

  static CellTable read(H5adFile h5, H5adReadOptions o) {
    Path file = h5.path();
    String[] ids = h5.cellIds();
    Embedding emb = h5.embedding(o.embeddingKey());
    String[] cellTypes = h5.obsColumn(o.cellTypeColumn());
    String[] ontology = h5.hasObsColumn(o.ontologyColumn()) ? h5.obsColumn(o.ontologyColumn()) : null;
    String[] donors = null;
    if (h5.hasObsColumn(o.donorColumn())) {
      donors = h5.obsColumn(o.donorColumn());
    } else if (o.requireDonor()) {
      throw new H5adException(file, "obs has no donor column '" + o.donorColumn() + "' (choose another with --donor-column); columns are " + h5.obsColumns());
    }
    String[] sexes = null;
    if (h5.hasObsColumn(o.sexColumn())) {
      String[] raw = h5.obsColumn(o.sexColumn());
      sexes = new String[raw.length];
      for (int i = 0; i < raw.length; i++) {
        sexes[i] = Sex.normalise(raw[i]);
      }
    }
    checkLength(file, "obsm['" + o.embeddingKey() + "']", emb.rows(), ids.length);
    checkLength(file, "obs['" + o.cellTypeColumn() + "']", cellTypes.length, ids.length);
    if (ontology != null) checkLength(file, "obs['" + o.ontologyColumn() + "']", ontology.length, ids.length);
    if (donors != null) checkLength(file, "obs['" + o.donorColumn() + "']", donors.length, ids.length);
    if (sexes != null) checkLength(file, "obs['" + o.sexColumn() + "']", sexes.length, ids.length);
    for (int i = 0; i < cellTypes.length; i++) {
      if (cellTypes[i] == null) {
        throw new H5adException(file, "obs['" + o.cellTypeColumn() + "'] is missing for cell " + ids[i] + " (row " + i + ")");
      }
      if (o.requireDonor() && donors[i] == null) {
        throw new H5adException(file, "obs['" + o.donorColumn() + "'] is missing for cell " + ids[i] + " (row " + i + ")");
      }
    }
    String dataset = file.getFileName().toString().replaceFirst("\\.h5ad$", "");
    CellTable table = new CellTable(dataset, emb.key(), emb.width(), ids, emb.values(), cellTypes, ontology, donors, sexes, 0);
    return dropOrRefuseNonFinite(file, table, o.nonFinite());
  }

  private static CellTable dropOrRefuseNonFinite(Path file, CellTable t, NonFinitePolicy policy) {
    int w = t.width();
    float[] v = t.embedding();
    int bad = 0;
    int first = -1;
    boolean[] keep = new boolean[t.size()];
    for (int r = 0; r < t.size(); r++) {
      boolean finite = true;
      for (int c = r * w; c < (r + 1) * w && finite; c++) {
        finite = Float.isFinite(v[c]);
      }
      keep[r] = finite;
      if (!finite) {
        bad++;
        if (first < 0) first = r;
      }
    }
    if (bad == 0) {
      return t;
    }
    if (policy == NonFinitePolicy.REFUSE) {
      throw new H5adException(file, "obsm['" + t.embeddingKey() + "'] has NaN or infinite values in " + bad + " of " + t.size()
          + " cells, first at row " + first + " (cell " + t.cellIds()[first] + "); use --drop-non-finite to leave them out");
    }
    int[] rows = new int[t.size() - bad];
    for (int r = 0, k = 0; r < t.size(); r++) {
      if (keep[r]) rows[k++] = r;
    }
    CellTable kept = t.select(rows);
    return new CellTable(kept.datasetId(), kept.embeddingKey(), w, kept.cellIds(), kept.embedding(), kept.cellTypes(),
        kept.cellTypeOntologyIds(), kept.donorIds(), kept.sexes(), bad);
  }

  private static void checkLength(Path file, String what, int actual, int cells) {
    if (actual != cells) {
      throw new H5adException(file, what + " has " + actual + " rows but obs has " + cells + " cells");
    }
  }
}
