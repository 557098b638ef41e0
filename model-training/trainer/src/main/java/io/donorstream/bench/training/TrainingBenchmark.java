package io.donorstream.bench.training;

import io.donorstream.data.CellTable;
import io.donorstream.model.ModelSpec;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.CellTypeTexts;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.DataSplit;
import io.donorstream.train.DonorTrainer;
import io.donorstream.train.EpochRecord;
import io.donorstream.train.PreparedData;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainedModel;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput on the {@code seed-cns} synthetic set (31,780 x 512, 14 donors), per model
 * and batch size: each configuration trains a few epochs over the same cells; the first ones warm
 * up, the training steps of later ones are timed (validation passes are not). Beside each figure,
 * the same training in PyTorch on the same cells and thread count, when Python with torch is
 * present. Resident native memory is printed after every epoch: it must stay flat, since no array
 * may outlive its step.
 */
public final class TrainingBenchmark {
  private final PrintStream out;
  private final int cellsPerEpoch;
  private final int epochs;
  private final int warmupEpochs;

  /** @param warmupEpochs leading epochs not timed (the JIT compiles the step meanwhile), for both implementations */
  public TrainingBenchmark(PrintStream out, int cellsPerEpoch, int epochs, int warmupEpochs) {
    this.out = out;
    this.cellsPerEpoch = cellsPerEpoch;
    this.epochs = epochs;
    this.warmupEpochs = warmupEpochs;
  }

  public void run(TextEncoder encoder, List<String> models, List<Integer> batches) {
    CellTable t = SyntheticDataGenerator.generate(SyntheticSpec.seedCns(42), "seed-cns").table();
    DataSplit full = DataSplit.stratifiedByDonor(t.donorIds(), 0.15, 0.15, 42);
    int n = Math.min(cellsPerEpoch, full.train().length);
    DataSplit split = new DataSplit(Arrays.copyOf(full.train(), n), Arrays.copyOf(full.validation(), 512), full.test());
    CellTypeTexts texts = CellTypeTexts.encode(t.cellTypes(), t.cellTypeOntologyIds(), encoder, CellOntology.empty());
    PreparedData data = PreparedData.prepare(t, split, texts);
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
    int donors = data.donors().size();
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    Map<String, TrainSettings> settings = new LinkedHashMap<>();
    for (String model : models) {
      specs.put(model, model.equals(ModelSpec.MULTIMODAL)
          ? ModelSpec.multimodal(data.geneWidth(), data.textDim(), donors, false)
          : ModelSpec.vanilla(data.geneWidth(), data.textDim(), donors, false));
      settings.put(model, TrainSettings.defaults(model, 1).withEpochs(epochs).withPatience(epochs + 1).withDevice("cpu"));
    }
    out.printf("bench training data=seed-cns cells_per_epoch=%d width=%d donors=%d epochs=%d (the first %d warm up, untimed)%n", n, t.width(),
        donors, epochs, warmupEpochs);
    PytorchReference.Availability found = PytorchReference.locate();
    try (PytorchReference reference = found.reference()) {
      if (reference == null) {
        out.println("bench training: no PyTorch reference: " + found.reason() + "; printing donorstream's figures alone");
      } else {
        out.println("bench training: PyTorch reference " + reference.torchVersion() + " on the same cells, batch, optimiser and threads");
        reference.export(data.train().cells(), data.train().textTable(), donors, specs, settings);
      }
      for (String model : models) {
        for (int batch : batches) {
          TrainSettings s = settings.get(model).withBatchSize(batch);
          double[] ours = measure(model, batch, specs.get(model), s, data);
          String ratio = "";
          if (reference != null) {
            double theirs = reference.cellsPerSecond(model, batch, epochs, warmupEpochs, threads);
            ratio = String.format(" pytorch_cells_per_s=%.0f ratio=%.2f", theirs, ours[0] / theirs);
          }
          out.printf("bench training model=%s batch=%d cells_per_s=%.0f ms_per_step=%.3f threads=%d%s%n",
              model, batch, ours[0], ours[1], threads, ratio);
        }
      }
    }
  }

  /** Cells per second and milliseconds per step over the timed epochs. */
  private double[] measure(String model, int batch, ModelSpec spec, TrainSettings s, PreparedData data) {
    int n = data.train().cells().size();
    int[] epoch = {0};
    DonorTrainer[] holder = new DonorTrainer[1];
    DonorTrainer trainer = new DonorTrainer(s, false, msg -> out.printf(
        "bench memory model=%s batch=%d epoch=%d live_arrays=%d native_mib=%d heap_mib=%d%n", model, batch, ++epoch[0],
        LiveArrays.count(holder[0].currentModel().getNDManager()), ProcessMemory.nativeMiB(), Runtime.getRuntime().totalMemory() >> 20));
    holder[0] = trainer;
    try (TrainedModel m = trainer.train(spec, data.train(), data.validation())) {
      List<EpochRecord> timed = m.history().subList(warmupEpochs, m.history().size());
      double seconds = timed.stream().mapToDouble(EpochRecord::stepSeconds).sum();
      int steps = (n + batch - 1) / batch * timed.size();
      return new double[] {n * timed.size() / seconds, 1000 * seconds / steps};
    }
  }
}
