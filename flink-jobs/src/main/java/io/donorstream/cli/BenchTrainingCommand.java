package io.donorstream.cli;

import io.donorstream.bench.training.TrainingBenchmark;
import io.donorstream.text.TextEncoder;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "training",
    mixinStandardHelpOptions = true,
    description = {
      "Training throughput for vanilla and multimodal on the seed-cns synthetic set (31,780 x 512),",
      "batch 32 (as the original) and 256, beside the same training in PyTorch when python3 with torch",
      "is present (bench/pytorch_reference.py, shipped in the jar). Prints 'bench training model=...",
      "batch=... cells_per_s=... ms_per_step=... threads=... [pytorch_cells_per_s=... ratio=ours/pytorch]'",
      "and native memory after each epoch (it must stay flat)."
    })
public final class BenchTrainingCommand implements Callable<Integer> {
  @Mixin TextOptions text;

  @Option(names = "--cells", defaultValue = "8192", description = "Training cells per epoch (default ${DEFAULT-VALUE}).")
  int cells;

  @Option(names = "--epochs", defaultValue = "6", description = "Epochs per configuration, warm-up included (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--warmup-epochs", defaultValue = "2",
      description = "Leading epochs not timed, for donorstream and PyTorch alike: the JIT compiles meanwhile (default ${DEFAULT-VALUE}).")
  int warmupEpochs;

  @Option(names = "--models", split = ",", defaultValue = "vanilla,multimodal", description = "Models (default ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--batches", split = ",", defaultValue = "32,256", description = "Batch sizes (default ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Override
  public Integer call() {
    if (warmupEpochs < 0 || epochs <= warmupEpochs) {
      throw new UserError("--epochs (" + epochs + ") must exceed --warmup-epochs (" + warmupEpochs + "): at least one epoch is timed");
    }
    try (TextEncoder encoder = text.encoder()) {
      new TrainingBenchmark(System.out, cells, epochs, warmupEpochs).run(encoder, models, batches);
    }
    return 0;
  }
}
