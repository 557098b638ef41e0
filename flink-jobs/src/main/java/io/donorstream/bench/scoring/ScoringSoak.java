package io.donorstream.bench.scoring;

import ai.djl.ndarray.NDManager;
import io.donorstream.bench.training.LiveArrays;
import io.donorstream.bench.training.ProcessMemory;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalFlink;
import io.donorstream.local.LocalKafkaBroker;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.text.TextEncoder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Does the ScoringJob hold steady? One running job scores {@code total} cells, published a million
 * at a time (the same embeddings under new ids each time, so every cell is new to the duplicate
 * check); after each million: the million's rate, heap used after a full GC, the process's
 * resident memory and the DJL arrays alive in the process.
 */
public final class ScoringSoak {
  public static final int CHUNK = 1_000_000;
  private final PrintStream out;
  private final long total;
  private final int batchSize;
  private final int parallelism;

  public ScoringSoak(PrintStream out, long total, int batchSize, int parallelism) {
    this.out = out;
    this.total = total;
    this.batchSize = batchSize;
    this.parallelism = parallelism;
  }

  public void run(TextEncoder encoder, Path work) throws Exception {
    BenchModel bench = BenchModel.prepare(CHUNK, "soak", encoder, work);
    CellTable chunk = bench.stream();
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(Files.createDirectories(work.resolve("kafka")), 0)) {
      broker.createTopics(ProjectTopics.all(parallelism));
      String bootstrap = broker.bootstrap();
      Configuration c = bench.options(batchSize);
      StreamExecutionEnvironment env = LocalFlink.environment(work.resolve("checkpoints"), 1000, parallelism, 0, null);
      try (OutputWatcher watcher = new OutputWatcher(KafkaEndpoint.of(bootstrap), List.of(ProjectTopics.PREDICTIONS))) {
        ScoringBenchmark.job(bootstrap, ProjectTopics.CELLS, "soak-" + UUID.randomUUID(), false, c, chunk.width()).build(env);
        JobClient job = env.executeAsync("bench-scoring-soak");
        try {
          for (long done = 0; done < total; done += CHUNK) {
            long t0 = System.nanoTime();
            CellPublisher.publish(ScoringBenchmark.prefixed(chunk, "s" + done / CHUNK + "-"),
                new PublishOptions(bootstrap, ProjectTopics.CELLS, 0, ScoringBenchmark.LABELS_FRACTION, 0, false, 1, false));
            ScoringBenchmark.awaitCount(watcher, job, done + CHUNK);
            double rate = CHUNK / ((System.nanoTime() - t0) / 1e9);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            out.printf("bench soak cells=%d cells_per_s=%.0f heap_used_after_gc_mib=%d rss_mib=%d live_ndarrays=%d%n", done + CHUNK, rate,
                heap >> 20, ProcessMemory.residentBytes() >> 20, liveArrays());
          }
        } finally {
          job.cancel().get();
        }
      }
    }
    out.println("bench soak: cells_per_s = a million cells published at full speed into the running job, until the last of"
        + " their predictions is committed (publisher and job share the cores); heap after System.gc(); live_ndarrays = native"
        + " arrays and managers alive under DJL's engine (the served models' parameters and nothing per batch)");
  }

  /** Arrays and managers alive in the whole process, under the engine's root manager. */
  private static int liveArrays() {
    NDManager probe = NDManager.newBaseManager();
    NDManager root = probe.getParentManager();
    probe.close();
    return LiveArrays.count(root);
  }
}
