package io.donorstream.cli;

import io.donorstream.bench.scoring.ScoringBenchmark;
import io.donorstream.bench.scoring.ScoringSoak;
import io.donorstream.text.TextEncoder;
import java.nio.file.Files;
import org.apache.flink.util.FileUtils;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "scoring",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end scoring throughput (local broker -> ScoringJob -> broker) beside the raw DonorScorer",
      "throughput on the same model and batch size (as many scorer threads as the job has subtasks), and",
      "latency at a steady publishing rate. Prints 'bench scoring model=... width=... cells=... e2e_cells_per_s=...",
      "raw_cells_per_s=... ratio=... passthrough_cells_per_s=... ratio_to_passthrough=... p50_ms=... p99_ms=...',",
      "and the forward pass on one thread beside the same network in PyTorch eager inference (Debian's python3-torch).",
      "--soak N: a memory soak of one running job instead."
    })
public final class BenchScoringCommand implements Callable<Integer> {
  @Mixin TextOptions text;

  @Option(names = "--model", defaultValue = "vanilla", description = {"vanilla (50-d cells, 20 donors) or multimodal (the original project's",
      "Perceiver/cross-attention model on 512-d cells of 14 donors and 16 cell types) (default ${DEFAULT-VALUE})."})
  String model;

  @Option(names = "--width", description = "Embedding width (default: 50 for vanilla, 512 for multimodal).")
  Integer width;

  @Option(names = "--cells", description = "Cells in the timed backlog (default: 1,000,000 for vanilla, 127,120 for multimodal).")
  Integer cells;

  @Option(names = "--batch-size", defaultValue = "1024", description = "Micro-batch size (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--parallelism", defaultValue = "2", description = "Scoring subtasks (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--latency-rate", description = "Publishing rate for the latency phase, cells/s (default: 10000 for vanilla, half the job's measured throughput for multimodal).")
  Double latencyRate;

  @Option(names = "--checkpoint-interval", defaultValue = "1000", paramLabel = "MS", description = {"Checkpoint (and transaction commit)",
      "interval of the measured jobs, ms (default ${DEFAULT-VALUE}: the strictest; deploy/ uses 10 s)."})
  long checkpointMillis;

  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "A scoring option for the measured job (e.g. -D scoring.batch.millis=50), as 'score -D' takes them.")
  java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

  @Option(names = "--flink", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "A Flink setting for the local cluster the jobs run on (e.g. --flink taskmanager.network.memory.buffers-per-channel=8).")
  java.util.Map<String, String> flink = new java.util.LinkedHashMap<>();

  @Option(names = "--soak", paramLabel = "CELLS", description = {"Instead: one running job scores CELLS cells (a multiple of 1,000,000),",
      "printing its rate, heap after GC, resident memory, live DJL arrays, RocksDB on disk, the duplicate check's live",
      "filters and the broker's log after every million. With -D scoring.duplicates.window-millis=60000 ids expire",
      "within the run: every figure should level off after the first window."})
  Long soak;

  @Override
  public Integer call() throws Exception {
    if (soak != null && (soak < ScoringSoak.CHUNK || soak % ScoringSoak.CHUNK != 0)) {
      throw new UserError("--soak must be a positive multiple of 1000000, got " + soak);
    }
    boolean multimodal = model.equals("multimodal");
    if (!multimodal && !model.equals("vanilla")) throw new UserError("--model must be vanilla or multimodal, got '" + model + "'");
    if (width == null) width = multimodal ? 512 : 50;
    if (cells == null) cells = multimodal ? 127_120 : 1_000_000;
    if (latencyRate == null && !multimodal) latencyRate = 10_000.0;
    for (String key : settings.keySet()) {
      if (io.donorstream.config.ScoringOptions.ALL.stream().noneMatch(o -> o.key().equals(key))) {
        throw new UserError("-D " + key + ": not a scoring option; the options are "
            + io.donorstream.config.ScoringOptions.ALL.stream().map(o -> o.key()).toList());
      }
    }
    if (width < 16) throw new UserError("--width must be at least 16, got " + width);
    if (cells < 1000) throw new UserError("--cells must be at least 1000 (the backlog that is timed), got " + cells);
    if (batchSize < 1) throw new UserError("--batch-size must be at least 1, got " + batchSize);
    if (parallelism < 1) throw new UserError("--parallelism must be at least 1, got " + parallelism);
    if (latencyRate != null && latencyRate <= 0) throw new UserError("--latency-rate must be positive, got " + latencyRate);
    if (checkpointMillis < 100) throw new UserError("--checkpoint-interval must be at least 100 ms, got " + checkpointMillis);
    Path work = Files.createTempDirectory("donorstream-bench-scoring");
    try (TextEncoder encoder = text.encoder()) {
      if (soak != null) {
        new ScoringSoak(System.out, soak, batchSize, parallelism, settings).run(encoder, work);
      } else {
        new ScoringBenchmark(System.out, model, width, cells, batchSize, parallelism, latencyRate, checkpointMillis, settings,
            org.apache.flink.configuration.Configuration.fromMap(flink)).run(encoder, work);
      }
    } finally {
      // The broker's log and RocksDB of a long run are gigabytes.
      FileUtils.deleteDirectory(work.toFile());
    }
    return 0;
  }
}
