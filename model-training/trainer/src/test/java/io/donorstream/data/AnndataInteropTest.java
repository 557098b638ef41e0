package io.donorstream.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files we write must open in Python's anndata, the field's lingua franca. */
class AnndataInteropTest {
  @TempDir Path dir;

  @Test
  void generatedFileOpensInAnndata() throws Exception {
    PythonAnndata.assumeAvailable();
    Path file = dir.resolve("synthetic.h5ad");
    var r = SyntheticDataGenerator.generate(SyntheticSpec.generic(300, 4, 3, 12, "X_emb", 2, 1, 1), "synthetic");
    H5adWriter.write(file, r.table(), Map.of("bayes_optimal_accuracy", r.bayes().value()));

    PythonAnndata.Result out = PythonAnndata.run("import anndata\n"
        + "a = anndata.read_h5ad('" + file + "')\n"
        + "print(a.n_obs, a.n_vars, a.obsm['X_emb'].shape[1], a.obs['donor_id'].nunique(),"
        + " sorted(a.obs['sex'].unique()), a.obs_names[0], round(float(a.uns['bayes_optimal_accuracy']), 4),"
        + " float(a.obsm['X_emb'][1, 2]))");
    assertThat(out.exit()).as(out.text()).isZero();
    assertThat(out.text().trim()).isEqualTo(String.format("300 12 12 4 ['female', 'male'] %s %s %s", r.table().cellIds()[0],
        Math.round(r.bayes().value() * 1e4) / 1e4, (double) r.table().row(1)[2]));
  }
}
