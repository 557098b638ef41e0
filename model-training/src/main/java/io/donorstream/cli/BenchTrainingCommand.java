package io.donorstream.cli;

import io.donorstream.bench.TrainingBenchmark;
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
      "batch 32 (as the original) and 256. Prints 'bench training model=... batch=... cells_per_s=...",
      "ms_per_step=... threads=...' and native memory after each epoch (it must stay flat)."
    })
public final class BenchTrainingCommand implements Callable<Integer> {
  @Mixin TextOptions text;

  @Option(names = "--cells", defaultValue = "8192", description = "Training cells per epoch (default ${DEFAULT-VALUE}).")
  int cells;

  @Option(names = "--epochs", defaultValue = "3", description = "Epochs per configuration, the first is warm-up (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--models", split = ",", defaultValue = "vanilla,multimodal", description = "Models (default ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--batches", split = ",", defaultValue = "32,256", description = "Batch sizes (default ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Override
  public Integer call() {
    if (epochs < 2) throw new UserError("--epochs must be at least 2: the first one is warm-up");
    try (TextEncoder encoder = text.encoder()) {
      new TrainingBenchmark(System.out, cells, epochs).run(encoder, models, batches);
    }
    return 0;
  }
}
