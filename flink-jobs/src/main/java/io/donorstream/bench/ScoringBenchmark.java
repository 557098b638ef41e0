package io.donorstream.bench;

import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.CellPublisher;
import io.donorstream.kafka.FlinkKafka;
import io.donorstream.kafka.LocalKafkaBroker;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.PublishOptions;
import io.donorstream.kafka.TopicReader;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scorer.DonorScorer;
import io.donorstream.scoring.LocalFlink;
import io.donorstream.scoring.ScoringJob;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainRequest;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainingPipeline;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * End-to-end scoring throughput (broker → ScoringJob → broker, counted on the output topic)
 * beside the raw {@code DonorScorer} throughput on the same model and batch size, and scoring
 * latency at a steady publishing rate.
 */
public final class ScoringBenchmark {
  private final PrintStream out;
  private final int cells;
  private final int batchSize;
  private final int parallelism;
  private final double latencyRate;

  public ScoringBenchmark(PrintStream out, int cells, int batchSize, int parallelism, double latencyRate) {
    this.out = out;
    this.cells = cells;
    this.batchSize = batchSize;
    this.parallelism = parallelism;
    this.latencyRate = latencyRate;
  }

  public void run(TextEncoder encoder, Path work) throws Exception {
    CellTable all = SyntheticDataGenerator.generate(SyntheticSpec.generic(cells + 20_000, 20, 8, 50, "X_emb", 2.0, 1.5, 9), "bench").table();
    CellTable train = all.select(range(cells, cells + 20_000));
    CellTable stream = all.select(range(0, cells));
    Path model = work.resolve("model");
    new TrainingPipeline(m -> {}).run(new TrainRequest(train, "vanilla", false, null, null,
        TrainSettings.defaults("vanilla", 1).withEpochs(5), model, "vanilla", "1", encoder, CellOntology.empty(), false));
    double raw = rawThroughput(model, stream);

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(Files.createDirectories(work.resolve("kafka")), 0)) {
      broker.createTopics(ProjectTopics.all(parallelism));
      CellPublisher.publish(stream, new PublishOptions(broker.bootstrap(), ProjectTopics.CELLS, 0, 1.0, 0, false, 1, false));
      Configuration c = new Configuration();
      c.set(ScoringOptions.MODEL_PATH, model.toString());
      c.set(ScoringOptions.BATCH_SIZE, batchSize);
      c.set(ScoringOptions.DUPLICATE_DEAD_LETTER, true);
      long submitted = System.currentTimeMillis();
      StreamExecutionEnvironment env = LocalFlink.environment(work.resolve("checkpoints"), 1000, parallelism, 0, null);
      job(broker.bootstrap(), "bench-e2e", true, c, stream.width()).build(env);
      env.execute("bench-scoring-e2e");
      long finished = System.currentTimeMillis();
      long[] scoredAt = scoredTimes(broker.bootstrap());
      long first = Arrays.stream(scoredAt).min().orElse(finished);
      double e2e = scoredAt.length / ((finished - first) / 1000.0);
      out.printf("bench scoring e2e: %d predictions; job wall time %.1f s of which start-up %.1f s (excluded)%n", scoredAt.length,
          (finished - submitted) / 1000.0, (first - submitted) / 1000.0);

      double[] latency = latencyAtRate(broker.bootstrap(), c, stream, scoredAt.length);
      out.printf("bench scoring model=vanilla cells=%d e2e_cells_per_s=%.0f raw_cells_per_s=%.0f ratio=%.2f p50_ms=%.0f p99_ms=%.0f%n",
          scoredAt.length, e2e, raw, e2e / raw, latency[0], latency[1]);
      out.printf("bench scoring latency measured at %.0f cells/s publishing, event time to scored (excludes the commit at the next checkpoint)%n",
          latencyRate);
    }
  }

  private ScoringJob job(String bootstrap, String group, boolean bounded, Configuration c, int width) {
    return new ScoringJob(
        FlinkKafka.source(bootstrap, ProjectTopics.CELLS, group, bounded),
        FlinkKafka.source(bootstrap, ProjectTopics.MODEL_UPDATES, group + "-models", bounded),
        FlinkKafka.exactlyOnceSink(bootstrap, ProjectTopics.PREDICTIONS, group + "-p-" + UUID.randomUUID()),
        FlinkKafka.exactlyOnceSink(bootstrap, ProjectTopics.CELLS_DLQ, group + "-d-" + UUID.randomUUID()),
        new ScoringOptions(c, width));
  }

  private double rawThroughput(Path model, CellTable t) {
    try (DonorScorer scorer = DonorScorer.load(model)) {
      int w = t.width();
      for (int pass = 0; pass < 2; pass++) {
        long t0 = System.nanoTime();
        for (int from = 0; from < t.size(); from += batchSize) {
          int to = Math.min(t.size(), from + batchSize);
          scorer.score(Arrays.copyOfRange(t.embedding(), from * w, to * w), Arrays.copyOfRange(t.cellTypes(), from, to), 3);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (pass == 1) return t.size() / s;
      }
    }
    return 0;
  }

  /** Publishes fresh copies of the cells at a steady rate into a running job; returns p50 and p99. */
  private double[] latencyAtRate(String bootstrap, Configuration c, CellTable t, long alreadyScored) throws Exception {
    int n = (int) Math.min(t.size(), Math.max(20_000, latencyRate * 10));
    CellTable renamed = renamed(t.select(range(0, n)));
    StreamExecutionEnvironment env = LocalFlink.environment(Path.of(System.getProperty("java.io.tmpdir"), "ds-bench-cp-" + UUID.randomUUID()),
        1000, parallelism, 0, null);
    job(bootstrap, "bench-latency", false, c, t.width()).build(env);
    JobClient job = env.executeAsync("bench-scoring-latency");
    try (OutputWatcher watcher = new OutputWatcher(bootstrap, List.of(ProjectTopics.PREDICTIONS))) {
      // The job first catches up with the cells already on the topic; wait for that, then pace.
      while (watcher.poll(500) < alreadyScored) {
        if (job.getJobStatus().get().isTerminalState()) throw new IllegalStateException("latency job stopped");
      }
      CompletableFuture<?> publishing = CompletableFuture.runAsync(() -> CellPublisher.publish(renamed,
          new PublishOptions(bootstrap, ProjectTopics.CELLS, latencyRate, 1.0, 0, false, 1, false)));
      while (watcher.poll(500) < alreadyScored + n) {
        if (job.getJobStatus().get().isTerminalState()) throw new IllegalStateException("latency job stopped");
      }
      publishing.get();
    } finally {
      job.cancel().get();
    }
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    double[] lat = TopicReader.readAll(bootstrap, ProjectTopics.PREDICTIONS, 60_000).stream()
        .map(r -> serde.deserialize(r.value()))
        .filter(p -> p.getCellId().startsWith("lat-"))
        .mapToDouble(p -> p.getScoredAt().toEpochMilli() - p.getEventTime().toEpochMilli())
        .sorted().toArray();
    return new double[] {lat[(int) (lat.length * 0.5)], lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))]};
  }

  private long[] scoredTimes(String bootstrap) {
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    return TopicReader.readAll(bootstrap, ProjectTopics.PREDICTIONS, 120_000).stream()
        .mapToLong(r -> serde.deserialize(r.value()).getScoredAt().toEpochMilli()).toArray();
  }

  private static CellTable renamed(CellTable t) {
    String[] ids = new String[t.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = "lat-" + t.cellIds()[i];
    return new CellTable(t.datasetId(), t.embeddingKey(), t.width(), ids, t.embedding(), t.cellTypes(), t.cellTypeOntologyIds(),
        t.donorIds(), t.sexes(), 0);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
