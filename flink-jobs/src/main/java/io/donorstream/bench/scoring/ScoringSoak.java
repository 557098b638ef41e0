package io.donorstream.bench.scoring;

import ai.djl.ndarray.NDManager;
import io.donorstream.bench.training.LiveArrays;
import io.donorstream.bench.training.ProcessMemory;
import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalFlink;
import io.donorstream.local.LocalKafkaBroker;
import io.donorstream.loop.PrometheusScrape;
import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.metrics.ScoringMetrics;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.text.TextEncoder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Does the ScoringJob hold steady? One running job scores {@code total} cells, published a million
 * at a time (the same embeddings under new ids each time, so every cell is new to the duplicate
 * check); after each million: the million's rate, heap used after a full GC, the process's
 * resident memory, the DJL arrays alive in the process, RocksDB's files on disk, the duplicate
 * check's live Bloom filters and the broker's log on disk. With a duplicate window shorter than the
 * run ({@code -D scoring.duplicates.window-millis=60000}) the ids expire, the filters retire and the
 * topics (kept for one window here) are trimmed: every figure must then level off after the first
 * window.
 */
public final class ScoringSoak {
  public static final int CHUNK = 1_000_000;
  /** The soak's own Prometheus reporter ports (the duplicate check's filters are read there). */
  private static final String METRIC_PORTS = "9471-9479";
  private final PrintStream out;
  private final long total;
  private final int batchSize;
  private final int parallelism;
  private final Map<String, String> settings;

  /** @param settings scoring options for the job ({@code -D}), e.g. a short duplicate window */
  public ScoringSoak(PrintStream out, long total, int batchSize, int parallelism, Map<String, String> settings) {
    this.out = out;
    this.total = total;
    this.batchSize = batchSize;
    this.parallelism = parallelism;
    this.settings = settings;
  }

  public void run(TextEncoder encoder, Path work) throws Exception {
    BenchModel bench = BenchModel.prepare(CHUNK, "soak", encoder, work);
    CellTable chunk = bench.stream();
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(Files.createDirectories(work.resolve("kafka")), 0)) {
      Configuration c = bench.options(batchSize);
      settings.forEach(c::setString);
      long window = c.get(ScoringOptions.DUPLICATE_WINDOW_MILLIS);
      // The cells and predictions topics keep one window (at least a minute): a long soak's gigabytes are trimmed as they age.
      Map<String, String> kept = Map.of("retention.ms", String.valueOf(Math.max(60_000, window)), "segment.bytes", String.valueOf(64 << 20));
      broker.createTopics(ProjectTopics.all(parallelism).stream()
          .map(topic -> topic.name().equals(ProjectTopics.CELLS) || topic.name().equals(ProjectTopics.PREDICTIONS) ? topic.configs(kept) : topic)
          .toList());
      String bootstrap = broker.bootstrap();
      Path rocksdb = Files.createDirectories(work.resolve("rocksdb"));
      Configuration cluster = new Configuration();
      cluster.setString("state.backend.rocksdb.localdir", rocksdb.toAbsolutePath().toString());
      StreamExecutionEnvironment env = LocalFlink.environment(work.resolve("checkpoints"), 1000, parallelism, 0, METRIC_PORTS, cluster);
      out.printf("bench soak: %d cells, a million at a time; duplicate window %d s; parallelism %d%n", total, window / 1000, parallelism);
      try (OutputWatcher watcher = new OutputWatcher(KafkaEndpoint.of(bootstrap), List.of(ProjectTopics.PREDICTIONS))) {
        ScoringBenchmark.job(bootstrap, ProjectTopics.CELLS, "soak-" + UUID.randomUUID(), false, c, chunk.width()).build(env);
        JobClient job = env.executeAsync("bench-scoring-soak");
        String jobId = job.getJobID().toHexString();
        long started = System.nanoTime();
        try {
          for (long done = 0; done < total; done += CHUNK) {
            long t0 = System.nanoTime();
            CellPublisher.publish(ScoringBenchmark.prefixed(chunk, "s" + done / CHUNK + "-"),
                new PublishOptions(bootstrap, ProjectTopics.CELLS, 0, ScoringBenchmark.LABELS_FRACTION, 0, false, 1, false));
            ScoringBenchmark.awaitCount(watcher, job, done + CHUNK);
            double rate = CHUNK / ((System.nanoTime() - t0) / 1e9);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            out.printf("bench soak cells=%d minutes=%.1f cells_per_s=%.0f heap_used_after_gc_mib=%d rss_mib=%d live_ndarrays=%d rocksdb_mib=%d"
                + " duplicate_filters=%s broker_log_mib=%d%n", done + CHUNK, (System.nanoTime() - started) / 6e10, rate, heap >> 20,
                ProcessMemory.residentBytes() >> 20, liveArrays(), diskMib(rocksdb), liveFilters(jobId),
                diskMib(work.resolve("kafka")));
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

  /** Bytes of the files under {@code dir} in MiB (files vanish while it is read: compaction, segment deletion; then read again). */
  private static long diskMib(Path dir) throws java.io.IOException {
    for (int attempt = 0; ; attempt++) {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        return files.mapToLong(f -> {
          try {
            return Files.isRegularFile(f) ? Files.size(f) : 0;
          } catch (java.io.IOException gone) {
            return 0;
          }
        }).sum() >> 20;
      } catch (java.io.UncheckedIOException gone) {
        if (attempt == 3) throw gone.getCause();
      }
    }
  }

  /** Live Bloom filters over every scoring subtask, from the job's Prometheus reporter ("?" when it cannot be read). */
  private static String liveFilters(String jobId) {
    PrometheusScrape scrape = PrometheusScrape.of(METRIC_PORTS, jobId);
    if (scrape == null) return "?";
    List<Double> perSubtask = scrape.values("flink_taskmanager_job_task_operator_" + ProjectMetricGroup.NAME + "_" + ScoringMetrics.DUPLICATE_FILTERS, jobId);
    return perSubtask.isEmpty() ? "?" : String.valueOf(perSubtask.stream().mapToLong(Double::longValue).sum());
  }

  /** Arrays and managers alive in the whole process, under the engine's root manager. */
  private static int liveArrays() {
    NDManager probe = NDManager.newBaseManager();
    NDManager root = probe.getParentManager();
    probe.close();
    return LiveArrays.count(root);
  }
}
