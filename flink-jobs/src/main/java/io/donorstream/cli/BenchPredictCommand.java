package io.donorstream.cli;

import io.donorstream.bench.predict.PredictBenchmark;
import io.donorstream.text.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "predict's throughput end to end (h5ad read in chunks, scored, CSV written; and with the h5ad too) beside",
      "the bare DonorScorer.score on the same cells held in memory, same process, model and batch size, for a",
      "vanilla model on 50-d and a multimodal one on 512-d synthetic cells (each trained briefly first). Prints",
      "'bench predict model=... width=... cells=... batch=... e2e_cells_per_s=... raw_cells_per_s=... ratio=...",
      "e2e_h5ad_cells_per_s=... ratio_h5ad=... e2e_cpu_us_per_cell: score=... read+write=...' (medians over",
      "--rounds, timed in turns; the CPU figures are the stages' thread CPU time per cell, from the CSV runs)."
    })
public final class BenchPredictCommand implements Callable<Integer> {
  @Mixin TextOptions text;

  @Option(names = "--models", split = ",", defaultValue = "vanilla,multimodal", description = "Models (default ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--vanilla-cells", defaultValue = "200000", description = "Cells streamed for vanilla, 50-d (default ${DEFAULT-VALUE}).")
  int vanillaCells;

  @Option(names = "--multimodal-cells", defaultValue = "20000", description = "Cells streamed for multimodal, 512-d (default ${DEFAULT-VALUE}).")
  int multimodalCells;

  @Option(names = "--batch-size", defaultValue = "4096", description = "Cells per scorer call (default ${DEFAULT-VALUE}, predict's).")
  int batchSize;

  @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds (default ${DEFAULT-VALUE}).")
  int rounds;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1) throw new UserError("--batch-size must be at least 1, got " + batchSize);
    if (rounds < 1) throw new UserError("--rounds must be at least 1, got " + rounds);
    for (String m : models) ModelChoice.check(m, false);
    Path work = Files.createTempDirectory("donorstream-bench-predict");
    try (TextEncoder encoder = text.encoder()) {
      PredictBenchmark bench = new PredictBenchmark(System.out, batchSize, rounds);
      for (String m : models) {
        bench.run(m.equals("vanilla") ? new PredictBenchmark.Case("vanilla", 50, vanillaCells, 10_000, 3)
            : new PredictBenchmark.Case("multimodal", 512, multimodalCells, 4_000, 1), encoder, work);
      }
    } finally {
      FileUtils.deleteDirectory(work.toFile());
    }
    return 0;
  }
}
