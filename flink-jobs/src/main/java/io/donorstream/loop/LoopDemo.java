package io.donorstream.loop;

import io.donorstream.config.MonitorOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.LocalKafkaBroker;
import io.donorstream.kafka.ModelAnnouncer;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import io.donorstream.retrain.Retrainer;
import io.donorstream.service.PromotionRule;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/**
 * The closed loop, end to end on one machine: a first model trained without a few donors serves;
 * the stream drifts to those donors; the MonitoringJob asks for a new model; the retrain service
 * trains one on what the monitor archived (plus the first model's training set), checks it on recent
 * held-out cells and puts it in shadow; the ScoringJob scores every cell with both; once enough
 * labelled cells show the shadow better (95 % bound) and no leakier, it is promoted and the
 * ScoringJob swaps without a restart; accuracy recovers. Progress lines while it runs; the summary
 * line and a report (markdown + PNG) at the end.
 */
public final class LoopDemo {
  public static final String MODEL = "vanilla";
  static final String FIRST = "1";

  /**
   * @param shadowCells labelled cells both models must answer before the shadow is judged
   * @param promotionTimeoutSeconds how long the drift may run without a promotion before the demo gives up
   * @param keepRunning leave everything running after the summary (Ctrl-C stops)
   * @param maxCells a larger data set is sampled down to this many cells (seeded), so training stays short
   */
  public record Options(int beforeCells, int afterCells, double rate, long shadowCells, int parallelism, String webUiPorts,
      String prometheusPorts, long promotionTimeoutSeconds, boolean keepRunning, int maxCells) {
    public static Options quick() {
      return new Options(600, 800, 150, 300, 2, "8081-8099", "9249-9259", 300, false, 20_000);
    }

    public static Options full() {
      return new Options(1500, 2000, 150, 500, 2, "8081-8099", "9249-9259", 600, false, 100_000);
    }

    public Options keepingRunning(boolean keep) {
      return new Options(beforeCells, afterCells, rate, shadowCells, parallelism, webUiPorts, prometheusPorts, promotionTimeoutSeconds, keep,
          maxCells);
    }

    public Options withPorts(String webUi, String prometheus) {
      return new Options(beforeCells, afterCells, rate, shadowCells, parallelism, webUi, prometheus, promotionTimeoutSeconds, keepRunning,
          maxCells);
    }
  }

  private LoopDemo() {}

  public static LoopResult run(CellTable data, Path workDir, TextEncoder encoder, Options o, PrintStream out) throws Exception {
    CellTable cells = data;
    if (data.size() > o.maxCells()) {
      int[] rows = java.util.stream.IntStream.range(0, data.size()).toArray();
      io.donorstream.data.Shuffle.shuffle(rows, new java.util.SplittableRandom(7));
      rows = java.util.Arrays.stream(rows, 0, o.maxCells()).sorted().toArray();
      cells = data.select(rows);
      out.printf("(using %,d of the %,d cells, sampled at random, so that training stays short)%n", cells.size(), data.size());
    }
    Path dir = workDir.resolve("loop");
    if (Files.exists(dir)) LocalKafkaBroker.deleteData(dir);
    Files.createDirectories(dir);
    LoopPlan plan = LoopPlan.of(cells, o.beforeCells(), o.afterCells());
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    CellTable initial = cells.select(plan.training());
    long t0 = System.nanoTime();
    firstChampion(registry, initial, encoder, "initial model, trained without donors " + plan.newDonors());
    RegisteredVersion v1 = registry.version(MODEL, FIRST);
    out.printf("[1/6] data %s: %,d cells x %d, %d donors; model v1 trained on %,d cells of %d donors (not %s) in %.0f s: test accuracy %.3f%n",
        cells.datasetId(), cells.size(), cells.width(), cells.donors().size(), initial.size(), initial.donors().size(), plan.newDonors(),
        (System.nanoTime() - t0) / 1e9, v1.metrics().getOrDefault("accuracy", Double.NaN));

    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    List<String> serviceLog = Collections.synchronizedList(new ArrayList<>());
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
      String bootstrap = broker.bootstrap();
      broker.createTopics(ProjectTopics.all(2));
      try (LoopObserver observer = new LoopObserver(bootstrap)) {
        ModelAnnouncer.announce(bootstrap, ProjectTopics.MODEL_UPDATES, registry.dir(MODEL, FIRST));
        ClosedLoop.Settings settings = new ClosedLoop.Settings(o.parallelism(), 1_000, o.webUiPorts(), o.prometheusPorts(), monitorConfig(), 4_000,
            Retrainer.defaults(MODEL), new PromotionRule(o.shadowCells(), PromotionRule.defaults().margin(), PromotionRule.defaults().leakageTolerance()),
            initial);
        LoopResult result;
        String problem = null;
        double servedBefore;
        double servedAfter;
        double restarts;
        long published;
        try (ClosedLoop loop = ClosedLoop.start(bootstrap, dir, registry, cells.width(), encoder, settings, l -> {
          if (EPOCH.matcher(l).find()) {
            if (everyTenth(l)) out.println("      retrain-service: " + l);
          } else {
            serviceLog.add(l);
            out.println("      retrain-service: " + l);
          }
        })) {
          out.printf("[2/6] Kafka at %s; ScoringJob + MonitoringJob on one local Flink cluster (RocksDB, 1 s checkpoints): web UI %s,"
              + " Prometheus on a port in %s; retrain service running%n", bootstrap, loop.cluster().restAddress(), o.prometheusPorts());
          LoopProgress progress = new LoopProgress(observer, registry, out);
          LoopPublisher publisher = new LoopPublisher(bootstrap, cells, o.rate(), observer, progress::maybePrint);
          publisher.publish(plan.beforeDrift(), Phase.BEFORE_DRIFT);
          awaitAnswered(observer, publisher.published(), 120);
          servedBefore = scoringGauges(o, loop)[0];
          out.printf("[3/6] %,d cells of known donors scored (accuracy %.3f); now the stream drifts to donors v1 never saw %s%n",
              publisher.published(), observer.tally(Phase.BEFORE_DRIFT, v -> true).accuracy(), plan.newDonors());
          long driftStart = System.currentTimeMillis();
          publisher.cycle(plan.drift(), Phase.DRIFT, () -> !FIRST.equals(champion(registry)),
              (long) (o.rate() * o.promotionTimeoutSeconds()));
          if (FIRST.equals(champion(registry))) {
            problem = String.format("no promotion within %d s of drift (%d retrain requests; registry %s)", o.promotionTimeoutSeconds(),
                observer.requests().size(), LoopProgress.stages(registry));
            out.println("error: " + problem);
          } else {
            out.printf("[4/6] v%s promoted %.0f s after the drift began; the ScoringJob swaps to it without a restart%n", champion(registry),
                (System.currentTimeMillis() - driftStart) / 1000.0);
            publisher.publish(plan.afterSwap(), Phase.AFTER_SWAP);
          }
          awaitAnswered(observer, publisher.published(), 120);
          double[] gauges = scoringGauges(o, loop);
          servedAfter = gauges[0];
          restarts = gauges[1];
          published = publisher.published();
          if (o.keepRunning()) {
            out.println(result(observer, registry, published, problem, servedBefore, servedAfter, restarts).summaryLine());
            out.printf("still running (Ctrl-C stops): web UI %s, Prometheus on a port in %s, Kafka at %s%n", loop.cluster().restAddress(),
                o.prometheusPorts(), bootstrap);
            Thread.currentThread().join();
          }
          out.println("[5/6] stopping: the retrain service finishes what it is doing, the jobs are cancelled");
        }
        // After the service stopped: the counts include a retraining it finished on the way out.
        result = result(observer, registry, published, problem, servedBefore, servedAfter, restarts);
        out.printf("      registry: %s; Prometheus: the ScoringJob's modelVersion gauge %s -> %s, its restarts %s%n",
            LoopProgress.stages(registry), num(result.servedVersionBefore()), num(result.servedVersionAfter()), num(result.scoringRestarts()));
        Path report = LoopReport.write(dir, result, observer, registry, List.copyOf(serviceLog), plan);
        out.printf("[6/6] report: %s (and %s)%n", report, report.resolveSibling(LoopReport.PNG));
        out.println(result.summaryLine());
        return result;
      }
    } finally {
      LocalKafkaBroker.deleteData(kafkaDir);
    }
  }

  private static final java.util.regex.Pattern EPOCH = java.util.regex.Pattern.compile("^(classify|align) epoch (\\d+)/(\\d+)");

  /** Training progress in the demo's output: every tenth epoch and the last. */
  private static boolean everyTenth(String line) {
    java.util.regex.Matcher m = EPOCH.matcher(line);
    return m.find() && (Integer.parseInt(m.group(2)) % 10 == 0 || m.group(2).equals(m.group(3)));
  }

  /** The demo's stream lasts minutes, not hours: short windows, quick idleness. */
  static Configuration monitorConfig() {
    Configuration m = new Configuration();
    m.set(MonitorOptions.OUT_OF_ORDERNESS_MILLIS, 1_000L);
    m.set(MonitorOptions.IDLE_MILLIS, 2_000L);
    m.set(MonitorOptions.WINDOW_MILLIS, 6_000L);
    m.set(MonitorOptions.SLIDE_MILLIS, 2_000L);
    return m;
  }

  static String champion(ModelRegistry registry) {
    RegisteredVersion c = registry.champion(MODEL);
    return c == null ? null : c.version();
  }

  /** Trains a vanilla model on {@code cells} and registers it as version 1, champion. */
  static void firstChampion(ModelRegistry registry, CellTable cells, TextEncoder encoder, String reason) {
    registry.register(MODEL, null, null, null, reason, d -> new TrainingPipeline(m -> {})
        .run(TrainRequest.of(cells, MODEL, TrainSettings.defaults(MODEL, 42), d, encoder).name(MODEL).version(d.getFileName().toString()).build()));
    registry.move(MODEL, FIRST, Stage.CHAMPION, reason);
  }

  static final String MODEL_VERSION_GAUGE = "flink_taskmanager_job_task_operator_donorstream_modelVersion";
  static final String RESTARTS = "flink_jobmanager_job_numRestarts";

  /**
   * The ScoringJob as Prometheus sees it: the served version (the lowest over its subtasks) and its
   * restarts; NaN for what cannot be read.
   */
  static double[] scoringGauges(Options o, ClosedLoop loop) {
    String job = loop.scoringJob().getJobID().toString();
    PrometheusScrape s = PrometheusScrape.of(o.prometheusPorts(), job);
    if (s == null) return new double[] {Double.NaN, Double.NaN};
    return new double[] {s.values(MODEL_VERSION_GAUGE, job).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
        s.values(RESTARTS, job).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)};
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "n/a" : v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static LoopResult result(LoopObserver observer, ModelRegistry registry, long published, String problem, double servedBefore,
      double servedAfter, double restarts) {
    Map<String, Long> versions = observer.firstAnswers();
    String last = versions.keySet().stream().max(java.util.Comparator.comparingDouble(Double::parseDouble)).orElse(FIRST);
    return new LoopResult(published, observer.predictions(), observer.deadLetters(), observer.shadowPredictions(),
        registry.versions(MODEL).size() - 1, versions.size() - 1, last, observer.tally(Phase.BEFORE_DRIFT, v -> true).accuracy(),
        observer.tally(Phase.DRIFT, FIRST::equals).accuracy(), observer.tally(Phase.AFTER_SWAP, v -> !v.equals(FIRST)).accuracy(), problem,
        servedBefore, servedAfter, restarts);
  }

  /** Waits (bounded) until every published cell has an answer: a prediction or a dead letter. */
  private static void awaitAnswered(LoopObserver observer, long published, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (observer.predictions() + observer.deadLetters() < published && System.currentTimeMillis() < deadline) Thread.sleep(200);
  }
}
