package io.donorstream.bench.scoring;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.bench.training.PytorchReference;
import io.donorstream.data.CellTable;
import io.donorstream.inference.EncodedCells;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The same network in PyTorch eager inference (Debian's python3-torch), on the same cells, batch
 * and thread count: the yardstick for the raw scorer. A cell's cost does not depend on the weights,
 * so the reference runs the architecture with its own initial weights.
 */
final class PytorchInference {
  private static final int CELLS = 20_000;

  private PytorchInference() {}

  /** PyTorch's cells per second as report fields, or why there is no figure. */
  static String measure(Path model, CellTable t, int batchSize, int threads) {
    PytorchReference.Availability found = PytorchReference.locate();
    if (found.reference() == null) return "pytorch_cells_per_s=n/a (" + found.reason() + ")";
    try (PytorchReference reference = found.reference()) {
      ModelManifest m = ModelArtifact.readVerified(model);
      int n = Math.min(CELLS, t.size());
      int w = t.width();
      float[][] textTable = new float[m.cell_types.size()][];
      for (int k = 0; k < textTable.length; k++) textTable[k] = m.text_embeddings.get(m.cell_types.get(k));
      int[] types = new int[n];
      for (int i = 0; i < n; i++) types[i] = Math.max(0, m.cell_types.indexOf(t.cellTypes()[i]));
      int[] none = new int[n];
      String[] ids = Arrays.copyOf(t.cellIds(), n);
      EncodedCells cells = new EncodedCells(ids, w, Arrays.copyOf(t.embedding(), n * w), types, none, none);
      String arch = m.spec.architecture();
      reference.export(cells, textTable, m.donors.size(), Map.of(arch, m.spec), Map.of(arch, TrainSettings.defaults(arch, 1)));
      double rate = reference.inferenceCellsPerSecond(arch, batchSize, 4, 1, threads);
      return String.format("pytorch_cells_per_s=%.0f pytorch_threads=%d torch=%s", rate, threads, reference.torchVersion());
    }
  }
}
