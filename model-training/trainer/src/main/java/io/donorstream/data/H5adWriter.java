package io.donorstream.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link CellTable} as an AnnData {@code .h5ad} that anndata (0.8 and later) opens: the
 * embedding in {@code obsm}, {@code obs} columns, scalars in {@code uns}.
 *
 * <p>Two limits of jHDF's writer shape the file. It cannot write empty arrays, so {@code var}
 * cannot have zero rows: {@code X} holds a copy of the embedding and {@code var} names its
 * dimensions ({@code <key>_0 ...}), a legitimate AnnData of latent features. It writes booleans
 * as uint8, which pandas refuses as a categorical's {@code ordered} flag, so {@code obs} columns
 * are string columns rather than categoricals (unknown sex is written as {@code unknown}). And a
 * root group with more than six children comes out unreadable, so the empty {@code obsp},
 * {@code varm}, {@code varp} and {@code layers} groups, which anndata does not require, are left
 * out.
 */
public final class H5adWriter {
  private H5adWriter() {}

  /**
   * @param uns scalar metadata: {@link Number} values become numeric scalars, anything else a
   *     string
   */
  public static void write(Path file, CellTable t, Map<String, Object> uns) {
    try (WritableHdfFile h = HdfFile.write(file)) {
      encoding(h, "anndata", "0.1.0");
      writeObs(h, t);
      WritableGroup obsm = dict(h, "obsm");
      float[][] rows = new float[t.size()][];
      for (int i = 0; i < t.size(); i++) {
        rows[i] = t.row(i);
      }
      WritableDataset emb = obsm.putDataset(t.embeddingKey(), rows);
      encoding(emb, "array", "0.2.0");
      encoding(h.putDataset("X", rows), "array", "0.2.0");
      String[] varNames = new String[t.width()];
      for (int j = 0; j < varNames.length; j++) {
        varNames[j] = t.embeddingKey() + "_" + j;
      }
      WritableGroup var = h.putGroup("var");
      encoding(var, "dataframe", "0.2.0");
      var.putAttribute("_index", "_index");
      // anndata reads list(attr); an empty string gives [] where jHDF cannot write an empty array.
      var.putAttribute("column-order", "");
      encoding(var.putDataset("_index", varNames), "string-array", "0.2.0");
      WritableGroup unsGroup = dict(h, "uns");
      for (Map.Entry<String, Object> e : uns.entrySet()) {
        if (e.getValue() instanceof Number n) {
          encoding(unsGroup.putDataset(e.getKey(), n.doubleValue()), "numeric-scalar", "0.2.0");
        } else {
          encoding(unsGroup.putDataset(e.getKey(), String.valueOf(e.getValue())), "string", "0.2.0");
        }
      }
    } catch (RuntimeException e) {
      throw new H5adException(file, "cannot write h5ad: " + e.getMessage(), e);
    }
  }

  private static void writeObs(WritableGroup h, CellTable t) {
    Map<String, String[]> columns = new LinkedHashMap<>();
    if (t.donorIds() != null) columns.put("donor_id", t.donorIds());
    if (t.sexes() != null) columns.put("sex", withUnknown(t.sexes()));
    columns.put("cell_type", t.cellTypes());
    if (t.cellTypeOntologyIds() != null) columns.put("cell_type_ontology_term_id", t.cellTypeOntologyIds());

    WritableGroup obs = h.putGroup("obs");
    encoding(obs, "dataframe", "0.2.0");
    obs.putAttribute("_index", "_index");
    obs.putAttribute("column-order", columns.keySet().toArray(String[]::new));
    encoding(obs.putDataset("_index", t.cellIds()), "string-array", "0.2.0");
    for (Map.Entry<String, String[]> c : columns.entrySet()) {
      encoding(obs.putDataset(c.getKey(), c.getValue()), "string-array", "0.2.0");
    }
  }

  private static String[] withUnknown(String[] sexes) {
    String[] out = sexes.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) out[i] = "unknown";
    }
    return out;
  }

  private static WritableGroup dict(WritableGroup parent, String name) {
    WritableGroup g = parent.putGroup(name);
    encoding(g, "dict", "0.1.0");
    return g;
  }

  private static void encoding(WritableNode node, String type, String version) {
    node.putAttribute("encoding-type", type);
    node.putAttribute("encoding-version", version);
  }
}
