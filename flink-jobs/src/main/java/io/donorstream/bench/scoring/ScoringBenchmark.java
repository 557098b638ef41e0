package io.donorstream.bench.scoring;

import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.local.LocalFlink;
import io.donorstream.local.LocalKafkaBroker;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scoring.KafkaScoringJob;
import io.donorstream.scoring.ScoringJob;
import io.donorstream.text.TextEncoder;
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
import org.apache.kafka.clients.admin.NewTopic;

/**
 * End-to-end scoring throughput (broker → ScoringJob → broker, counted on the output topic)
 * beside the raw {@code DonorScorer} throughput on the same model and batch size, and scoring
 * latency at a steady publishing rate.
 */
public final class ScoringBenchmark {
  static final int WARM_CELLS = 200_000;
  static final int MIN_WARM_ROUNDS = 4;
  static final int MAX_WARM_ROUNDS = 8;
  static final double STABLE = 0.05;
  /** Runs of the job and of its yardstick over the backlog, in turns. */
  static final int ROUNDS = 3;
  private static final String PASSTHROUGH_TOPIC = "bench-passthrough";
  private static final String BACKLOG_PREDICTIONS_TOPIC = "bench-backlog-predictions";
  private static final String LIVE_TOPIC = "bench-live";
  /** Thread CPU sampling interval during the measured runs (a sample costs ~1 ms). */
  private static final long SAMPLE_MILLIS = 250;
  /** As a live stream: a tenth of the cells come with their donor (their predictions carry the latent). */
  static final double LABELS_FRACTION = 0.1;
  private final PrintStream out;
  private final String architecture;
  private final int width;
  private final int cells;
  private final int batchSize;
  private final int parallelism;
  private final Double latencyRate;
  private final long checkpointMillis;
  private final java.util.Map<String, String> settings;
  private final Configuration cluster;

  /**
   * @param latencyRate the latency phase's publishing rate; null for half the job's own throughput
   * @param checkpointMillis the jobs' checkpoint (and transaction commit) interval
   * @param cluster Flink settings for the local cluster the jobs run on (e.g. network buffers)
   */
  public ScoringBenchmark(PrintStream out, String architecture, int width, int cells, int batchSize, int parallelism, Double latencyRate,
      long checkpointMillis, java.util.Map<String, String> settings, Configuration cluster) {
    this.checkpointMillis = checkpointMillis;
    this.settings = settings;
    this.cluster = cluster;
    this.out = out;
    this.architecture = architecture;
    this.width = width;
    this.cells = cells;
    this.batchSize = batchSize;
    this.parallelism = parallelism;
    this.latencyRate = latencyRate;
  }

  public void run(TextEncoder encoder, Path work) throws Exception {
    BenchModel bench = BenchModel.prepare(cells, "bench", architecture, width, encoder, work);
    CellTable stream = bench.stream();
    Path model = bench.model();
    // The job's subtasks each score on their own thread: the raw yardstick uses as many threads.
    double raw = RawScoring.cellsPerSecond(model, stream, batchSize, parallelism);
    double rawOneThread = RawScoring.cellsPerSecond(model, stream, batchSize, 1);
    String pytorch = PytorchInference.measure(model, stream, batchSize, 1);

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(Files.createDirectories(work.resolve("kafka")), 0)) {
      broker.createTopics(ProjectTopics.all(parallelism));
      String bootstrap = broker.bootstrap();
      Configuration c = bench.options(batchSize);
      settings.forEach(c::setString);
      String warmUp = warmUp(broker, bootstrap, stream, c, work);
      // A backlog on the broker before the measured job starts: the job then reads as fast as it
      // can, and the figure is the job's own (broker -> job -> broker), not the publisher's.
      long p0 = System.nanoTime();
      publish(bootstrap, ProjectTopics.CELLS, stream, 0);
      double publishRate = stream.size() / ((System.nanoTime() - p0) / 1e9);
      // The job and its yardstick (the same backlog through the same plumbing, unscored) in turns,
      // each run alone on the machine and timed the same way (bounded, nothing reading the output
      // while it runs): the machine's pace drifts from minute to minute, so each ratio compares a
      // pair of neighbouring runs, and the order alternates within the pairs.
      // The yardstick's own code paths (its identity step) are warmed by one run that is not counted;
      // the job's were warmed above.
      passthrough(broker, bootstrap, stream.size(), work, -1);
      Run[] jobRuns = new Run[ROUNDS];
      Run[] passRuns = new Run[ROUNDS];
      double[] ratios = new double[ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        if (round % 2 == 0) {
          passRuns[round] = passthrough(broker, bootstrap, stream.size(), work, round);
          jobRuns[round] = backlogJob(broker, bootstrap, stream, c, work, round);
        } else {
          jobRuns[round] = backlogJob(broker, bootstrap, stream, c, work, round);
          passRuns[round] = passthrough(broker, bootstrap, stream.size(), work, round);
        }
        ratios[round] = jobRuns[round].rate() / passRuns[round].rate();
      }
      Run scoring = median(jobRuns);
      Run yardstick = median(passRuns);
      double e2e = scoring.rate();
      double passthrough = yardstick.rate();
      double ratio = median(ratios);
      String cpu = scoring.cpu();
      // A running job on a topic of its own for the live figures: publisher beside it, then latency.
      createTopic(broker, LIVE_TOPIC);
      StreamExecutionEnvironment env = LocalFlink.environment(work.resolve("checkpoints"), checkpointMillis, parallelism, 0, null, cluster);
      try (OutputWatcher watcher = new OutputWatcher(KafkaEndpoint.of(bootstrap), List.of(ProjectTopics.PREDICTIONS))) {
        job(bootstrap, LIVE_TOPIC, "bench", false, c, stream.width()).build(env);
        JobClient job = env.executeAsync("bench-scoring");
        try {
          CellTable live = prefixed(stream, "live-");
          long t0 = System.nanoTime();
          CompletableFuture<?> publishing = CompletableFuture.runAsync(() -> publish(bootstrap, LIVE_TOPIC, live, 0));
          long expected = live.size();
          awaitCount(watcher, job, expected);
          double withPublisher = live.size() / ((System.nanoTime() - t0) / 1e9);
          publishing.get();
          // Latency: a steady rate, event time (publish) to scored.
          double latencyRate = this.latencyRate != null ? this.latencyRate : e2e / 2;
          int n = (int) Math.min(stream.size(), Math.max(20_000, latencyRate * 10));
          CellTable paced = prefixed(stream.select(range(0, n)), "lat-");
          publish(bootstrap, LIVE_TOPIC, paced, latencyRate);
          awaitCount(watcher, job, expected + n);
          double[] latency = latencies(bootstrap);
          out.printf("bench scoring model=%s width=%d cells=%d e2e_cells_per_s=%.0f raw_cells_per_s=%.0f ratio=%.2f passthrough_cells_per_s=%.0f"
              + " ratio_to_passthrough=%.2f p50_ms=%.0f p99_ms=%.0f latency_rate=%.0f%n", architecture, width, stream.size(), e2e, raw, e2e / raw,
              passthrough, ratio, latency[0], latency[1], latencyRate);
          out.printf("bench scoring forward: raw_1thread_cells_per_s=%.0f batch=%d %s%n", rawOneThread, batchSize, pytorch);
          out.printf("bench scoring rounds: e2e_cells_per_s=%s passthrough_cells_per_s=%s ratio_to_passthrough=%s%n", rates(jobRuns),
              rates(passRuns), Arrays.stream(ratios).mapToObj(r -> String.format("%.2f", r)).collect(java.util.stream.Collectors.joining(",")));
          out.printf("bench scoring publish_cells_per_s=%.0f e2e_with_publisher_cells_per_s=%.0f batch=%d parallelism=%d labels_fraction=%.1f"
              + " checkpoint_ms=%d %s%n", publishRate, withPublisher, batchSize, parallelism, LABELS_FRACTION, checkpointMillis, warmUp);
          out.printf("bench scoring cpu_cores e2e: %s%n", cpu);
          out.printf("bench scoring cpu_cores passthrough: %s%n", yardstick.cpu());
          out.printf("bench scoring: e2e = a backlog of %d cells on the broker scored by a bounded run of the job (after the warm-up),"
              + " nothing reading its output meanwhile, cells / time between the first and the last prediction (scored_at), median of " + ROUNDS
              + " runs; e2e_with_publisher = the same number of cells"
              + " published at full speed while a running job scores them, until the last prediction is committed (read_committed, commits"
              + " every checkpoint); passthrough = the same backlog through source -> keyBy(cell id) -> identity -> exactly-once sink,"
              + " nothing decoded, timed the same way, after one unmeasured run, median of " + ROUNDS + " runs, each beside a run of the job (in turns:"
              + " yardstick first, then job first, ...); ratio_to_passthrough = the median of the " + ROUNDS + " pairs' ratios; warm-up = bounded runs of the job on "
              + WARM_CELLS + " cells each, at least " + MIN_WARM_ROUNDS + ", until two in a row differ by less than " + Math.round(STABLE * 100) + " %% (at most " + MAX_WARM_ROUNDS
              + "); latency at latency_rate cells/s = event time to scored, before the commit; raw = DonorScorer.score on as many threads as"
              + " the job has subtasks (one scorer each), batches of the job's size, second of two passes; pytorch = the same network in"
              + " PyTorch eager inference (forward + softmax), same batch, one thread%n", stream.size());
        } finally {
          job.cancel().get();
        }
      }
    }
  }

  /**
   * Warms the JVM (JIT, libtorch, RocksDB) with bounded runs of the job, each on a topic of its own,
   * until two consecutive runs' rates differ by less than {@link #STABLE} (the JIT has settled).
   * Returns what it did, for the report line.
   */
  private String warmUp(LocalKafkaBroker broker, String bootstrap, CellTable stream, Configuration c, Path work) throws Exception {
    List<String> rates = new java.util.ArrayList<>();
    double previous = -1;
    for (int round = 1; round <= MAX_WARM_ROUNDS; round++) {
      String topic = "bench-warm-up-" + round;
      String prefix = "warm" + round + "-";
      createTopic(broker, topic);
      CellTable warm = prefixed(stream.select(range(0, Math.min(stream.size(), WARM_CELLS))), prefix);
      CellPublisher.publish(warm, new PublishOptions(bootstrap, topic, 0, LABELS_FRACTION, 0, false, 1, false));
      StreamExecutionEnvironment warmEnv = LocalFlink.environment(work.resolve("checkpoints"), checkpointMillis, parallelism, 0, null, cluster);
      job(bootstrap, topic, "bench-warm", true, c, stream.width()).build(warmEnv);
      warmEnv.execute("bench-scoring-warm-up-" + round);
      double rate = rate(bootstrap, ProjectTopics.PREDICTIONS, prefix, warm.size());
      rates.add(String.format("%.0f", rate));
      // At least MIN rounds: the rate can pause on its way up (e.g. 44k, 89k, 94k, then 130k).
      boolean stable = round >= MIN_WARM_ROUNDS && Math.abs(rate - previous) / previous < STABLE;
      previous = rate;
      if (stable) break;
    }
    return "warm_up_rounds=" + rates.size() + " warm_up_cells_per_s=" + String.join(",", rates);
  }

  /** Runs a bounded job to its end, sampling its threads' CPU; returns the {@link ThreadCpu} report. */
  private static String runSampled(StreamExecutionEnvironment env, String name) throws Exception {
    ThreadCpu cpu = new ThreadCpu();
    CompletableFuture<?> result = env.executeAsync(name).getJobExecutionResult();
    while (true) {
      cpu.sample();
      try {
        result.get(SAMPLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return cpu.report();
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        // sample again
      }
    }
  }

  /** One bounded run of the yardstick over the backlog (round -1: the unmeasured warm-up): its rate, with its CPU by kind of thread. */
  private Run passthrough(LocalKafkaBroker broker, String bootstrap, int cells, Path work, int round) throws Exception {
    String run = round < 0 ? "warm-up" : String.valueOf(round);
    String topic = PASSTHROUGH_TOPIC + "-" + run;
    createTopic(broker, topic);
    StreamExecutionEnvironment passEnv = LocalFlink.environment(work.resolve("checkpoints"), checkpointMillis, parallelism, 0, null, cluster);
    PassthroughJob.build(passEnv, bootstrap, ProjectTopics.CELLS, topic, "bench-pass-" + UUID.randomUUID(), true);
    String cpu = runSampled(passEnv, "bench-passthrough-" + run);
    return new Run(passthroughRate(bootstrap, topic, cells), cpu);
  }

  /** One bounded run of the job over the backlog, its predictions on a topic of the round's own. */
  private Run backlogJob(LocalKafkaBroker broker, String bootstrap, CellTable stream, Configuration c, Path work, int round) throws Exception {
    String predictions = BACKLOG_PREDICTIONS_TOPIC + "-" + round;
    createTopic(broker, predictions);
    StreamExecutionEnvironment bounded = LocalFlink.environment(work.resolve("checkpoints"), checkpointMillis, parallelism, 0, null, cluster);
    new KafkaScoringJob(KafkaEndpoint.of(bootstrap), "bench-" + UUID.randomUUID(), true, ProjectTopics.CELLS, ProjectTopics.MODEL_UPDATES, predictions,
        ProjectTopics.CELLS_DLQ).job(new ScoringOptions(c, stream.width())).build(bounded);
    String cpu = runSampled(bounded, "bench-scoring-backlog-" + round);
    return new Run(rate(bootstrap, predictions, "", stream.size()), cpu);
  }

  private record Run(double rate, String cpu) {}

  private static Run median(Run[] runs) {
    Run[] sorted = runs.clone();
    Arrays.sort(sorted, java.util.Comparator.comparingDouble(Run::rate));
    return sorted[sorted.length / 2];
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String rates(Run[] runs) {
    return Arrays.stream(runs).map(r -> String.format("%.0f", r.rate())).collect(java.util.stream.Collectors.joining(","));
  }

  private void createTopic(LocalKafkaBroker broker, String topic) {
    broker.createTopics(List.of(new NewTopic(topic, parallelism, (short) 1)));
  }

  private static void publish(String bootstrap, String topic, CellTable cells, double rate) {
    CellPublisher.publish(cells, new PublishOptions(bootstrap, topic, rate, LABELS_FRACTION, 0, false, 1, false));
  }

  /**
   * Cells per second between the first and last prediction (scored_at) on {@code topic} of the ids
   * that start with {@code prefix}. Read as a stream: nothing is kept per record, so millions of
   * cells fit.
   */
  private static double rate(String bootstrap, String topic, String prefix, int cells) {
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
    TopicReader.readToEnd(bootstrap, topic, 600_000, r -> {
      DonorPrediction p = serde.deserialize(r.value());
      if (!p.getCellId().startsWith(prefix)) return;
      span[0] = Math.min(span[0], p.getScoredAt().toEpochMilli());
      span[1] = Math.max(span[1], p.getScoredAt().toEpochMilli());
      span[2]++;
    });
    if (span[2] != cells) throw new IllegalStateException("the job wrote " + span[2] + " predictions for " + cells + " cells on " + topic);
    return cells / Math.max(1e-3, (span[1] - span[0]) / 1e3);
  }

  /** The passthrough's cells per second between its first and last stamped record. */
  private static double passthroughRate(String bootstrap, String topic, int cells) {
    long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
    TopicReader.readToEnd(bootstrap, topic, 600_000, r -> {
      long t = PassthroughJob.stampOf(r.value());
      span[0] = Math.min(span[0], t);
      span[1] = Math.max(span[1], t);
      span[2]++;
    });
    if (span[2] != cells) throw new IllegalStateException("the passthrough wrote " + span[2] + " records for " + cells + " cells");
    return cells / Math.max(1e-3, (span[1] - span[0]) / 1e3);
  }

  static void awaitCount(OutputWatcher watcher, JobClient job, long count) throws Exception {
    while (watcher.poll(200) < count) {
      if (job.getJobStatus().get().isTerminalState()) throw new IllegalStateException("the scoring job stopped");
    }
  }

  static ScoringJob job(String bootstrap, String cellsTopic, String group, boolean bounded, Configuration c, int width) {
    return KafkaScoringJob.onProjectTopics(KafkaEndpoint.of(bootstrap), group + "-" + UUID.randomUUID(), bounded).withCellsTopic(cellsTopic)
        .job(new ScoringOptions(c, width));
  }

  private double[] latencies(String bootstrap) {
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    List<long[]> kept = new java.util.ArrayList<>();
    TopicReader.readToEnd(bootstrap, ProjectTopics.PREDICTIONS, 600_000, r -> {
      DonorPrediction p = serde.deserialize(r.value());
      long event = p.getEventTime().toEpochMilli();
      if (p.getCellId().startsWith("lat-")) kept.add(new long[] {event, p.getScoredAt().toEpochMilli() - event});
    });
    double[] lat = kept.stream().mapToDouble(k -> k[1]).sorted().toArray();
    out.println("bench scoring latency_by_second: " + LatencyTimeline.of(kept));
    return new double[] {lat[(int) (lat.length * 0.5)], lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))]};
  }

  static CellTable prefixed(CellTable t, String prefix) {
    String[] ids = new String[t.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = prefix + t.cellIds()[i];
    return new CellTable(t.datasetId(), t.embeddingKey(), t.width(), ids, t.embedding(), t.cellTypes(), t.cellTypeOntologyIds(),
        t.donorIds(), t.sexes(), 0);
  }

  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
