package io.donorstream.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Hand-built h5ad files for encodings and defects our writer never produces. */
final class H5adFixtures {
  private H5adFixtures() {}

  /** A file with an obs index of {@code ids}, obsm['emb'] = rows, and whatever {@code obs} adds. */
  static Path write(Path file, String[] ids, float[][] rows, Consumer<WritableGroup> obs) {
    try (WritableHdfFile h = HdfFile.write(file)) {
      h.putAttribute("encoding-type", "anndata");
      WritableGroup o = h.putGroup("obs");
      o.putAttribute("_index", "_index");
      o.putDataset("_index", ids);
      obs.accept(o);
      WritableGroup obsm = h.putGroup("obsm");
      obsm.putDataset("emb", rows);
    }
    return file;
  }

  /** anndata 0.7's layout: codes in obs/&lt;col&gt;, categories in obs/__categories/&lt;col&gt;. */
  static void legacyCategorical(WritableGroup obs, String name, String[] categories, byte[] codes) {
    obs.putDataset(name, codes);
    WritableGroup cats = obs.getChild("__categories") instanceof WritableGroup g ? g : obs.putGroup("__categories");
    cats.putDataset(name, categories);
  }

  /** anndata 0.8+'s layout: a group with codes and categories. */
  static void currentCategorical(WritableGroup obs, String name, String[] categories, byte[] codes) {
    WritableGroup g = obs.putGroup(name);
    g.putAttribute("encoding-type", "categorical");
    g.putDataset("categories", categories);
    g.putDataset("codes", codes);
  }

  static float[][] rows(int n, int w) {
    float[][] r = new float[n][w];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < w; j++) r[i][j] = i + j / 10f;
    }
    return r;
  }
}
