package io.donorstream.bench;

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
import java.util.List;

/**
 * Training throughput on the {@code seed-cns} synthetic set (31,780 x 512, 14 donors), per model
 * and batch size: each configuration trains a few epochs over the same number of cells; the first
 * epoch warms up, later ones are timed. Resident native memory is printed after every epoch: it
 * must stay flat, since no array may outlive its step.
 */
public final class TrainingBenchmark {
  private final PrintStream out;
  private final int cellsPerEpoch;
  private final int epochs;

  public TrainingBenchmark(PrintStream out, int cellsPerEpoch, int epochs) {
    this.out = out;
    this.cellsPerEpoch = cellsPerEpoch;
    this.epochs = epochs;
  }

  public void run(TextEncoder encoder, List<String> models, List<Integer> batches) {
    CellTable t = SyntheticDataGenerator.generate(SyntheticSpec.seedCns(42), "seed-cns").table();
    DataSplit full = DataSplit.stratifiedByDonor(t.donorIds(), 0.15, 0.15, 42);
    int n = Math.min(cellsPerEpoch, full.train().length);
    DataSplit split = new DataSplit(java.util.Arrays.copyOf(full.train(), n), java.util.Arrays.copyOf(full.validation(), 512), full.test());
    CellTypeTexts texts = CellTypeTexts.encode(t.cellTypes(), t.cellTypeOntologyIds(), encoder, CellOntology.empty());
    PreparedData data = PreparedData.prepare(t, split, texts);
    String threads = System.getProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
    out.printf("bench training data=seed-cns cells_per_epoch=%d width=%d donors=%d epochs=%d (first is warm-up)%n",
        n, t.width(), data.donors().size(), epochs);
    for (String model : models) {
      for (int batch : batches) {
        ModelSpec spec = model.equals(ModelSpec.MULTIMODAL)
            ? ModelSpec.multimodal(data.geneWidth(), data.textDim(), data.donors().size(), false)
            : ModelSpec.vanilla(data.geneWidth(), data.textDim(), data.donors().size(), false);
        TrainSettings s = TrainSettings.defaults(model, 1).withBatchSize(batch).withEpochs(epochs).withPatience(epochs + 1).withDevice("cpu");
        int[] epoch = {0};
        DonorTrainer[] holder = new DonorTrainer[1];
        DonorTrainer trainer = new DonorTrainer(s, false, msg -> out.printf(
            "bench memory model=%s batch=%d epoch=%d live_arrays=%d native_mib=%d heap_mib=%d%n", model, batch, ++epoch[0],
            LiveArrays.count(holder[0].currentModel().getNDManager()), ProcessMemory.nativeMiB(), Runtime.getRuntime().totalMemory() >> 20));
        holder[0] = trainer;
        try (TrainedModel m = trainer.train(spec, data.train(), data.validation())) {
          List<EpochRecord> timed = m.history().subList(1, m.history().size());
          double seconds = timed.stream().mapToDouble(EpochRecord::seconds).sum();
          int steps = (n + batch - 1) / batch * timed.size();
          out.printf("bench training model=%s batch=%d cells_per_s=%.0f ms_per_step=%.2f threads=%s%n",
              model, batch, n * timed.size() / seconds, 1000 * seconds / steps, threads);
        }
      }
    }
  }
}
