package io.donorstream.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.PythonAnndata;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsH5adTest {
  @TempDir Path dir;

  private Path write(String indexName) {
    Path out = dir.resolve("p.h5ad");
    try (PredictionsH5ad h = new PredictionsH5ad(out, indexName, List.of("D1", "D2", "D3"), 2, 3, Map.of("donorstream_model", "m v1"), dir)) {
      h.add(Cells.scored("cell-a", null, null, "D2", 0.7f, false, new String[] {"D2", "D1", "D3"}, new float[] {0.7f, 0.2f, 0.1f}, 1, 2, 3));
      ScoredCell b = Cells.scored("cell-é", null, null, "D3", 0.4f, true, new String[] {"D3", "D2", "D1"}, new float[] {0.4f, 0.35f, 0.25f},
          4, 5, 6);
      h.add(new ScoredCell(b.cellId(), null, null, "neuron", b.score(), 0.45f));
      h.finish();
    }
    return out;
  }

  @Test
  void columnsIndexAndLatentReadBackAndTheTemporaryColumnFilesAreGone() throws Exception {
    Path out = write("cell_id");
    try (HdfFile h = new HdfFile(out)) {
      assertThat(h.getChild("obs").getAttribute("_index").getData()).isEqualTo("cell_id");
      assertThat((String[]) h.getDatasetByPath("obs/cell_id").getData()).containsExactly("cell-a", "cell-é");
      assertThat((byte[]) h.getDatasetByPath("obs/predicted_donor/codes").getData()).containsExactly((byte) 1, (byte) 2);
      assertThat((String[]) h.getDatasetByPath("obs/top2_donor/categories").getData()).containsExactly("D1", "D2", "D3");
      assertThat((float[]) h.getDatasetByPath("obs/top2_probability").getData()).containsExactly(0.2f, 0.35f);
      assertThat((float[][]) h.getDatasetByPath("obsm/donorstream_latent").getData()).isEqualTo(new float[][] {{1, 2, 3}, {4, 5, 6}});
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("p.h5ad");
    }
  }

  @Test
  void opensInAnndataWithCategoricalsBooleansAndTheInputsIndex() {
    PythonAnndata.assumeAvailable();
    Path out = write("cell_id");
    PythonAnndata.Result r = PythonAnndata.run("import anndata, numpy as np\n"
        + "a = anndata.read_h5ad('" + out + "')\n"
        + "o = a.obs\n"
        + "print(a.n_obs, a.obs_names.name, list(a.obs_names), list(o.columns))\n"
        + "print(o['predicted_donor'].dtype, list(o['predicted_donor'].cat.categories), list(o['predicted_donor']))\n"
        + "print(o['unknown_donor'].dtype, list(o['unknown_donor']), o['calibrated_confidence'].isna().tolist(), float(o['calibrated_confidence'][1]))\n"
        + "print(a.obsm['donorstream_latent'].dtype, a.obsm['donorstream_latent'].tolist(), a.uns['donorstream_model'])");
    assertThat(r.exit()).as(r.text()).isZero();
    assertThat(r.text().lines().toList()).containsExactly(
        "2 cell_id ['cell-a', 'cell-é'] ['predicted_donor', 'confidence', 'calibrated_confidence', 'unknown_donor', 'top1_donor',"
            + " 'top1_probability', 'top2_donor', 'top2_probability']",
        "category ['D1', 'D2', 'D3'] ['D2', 'D3']",
        "bool [False, True] [True, False] 0.44999998807907104",
        "float32 [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]] m v1");
  }
}
