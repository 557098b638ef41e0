package io.donorstream.loop;

import io.donorstream.config.MonitorOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalKafkaBroker;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.promotion.PromotionGate;
import io.donorstream.publish.ModelAnnouncer;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import io.donorstream.retrain.Retrainer;
import io.donorstream.retrain.service.PromotionRule;
import io.donorstream.synth.FreshCells;
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
 * The closed loop, end to end on one machine, telling both of its stories. A first model trained
 * without sex removal and without a few donors serves. While the stream brings known donors'
 * cells, the MonitoringJob's online probe reads how much sex its latent carries across donors: where
 * the data carry a sex signal that generalises (the generated set), it raises a leakage alarm and
 * the retrain service answers with a sex-removed model that must bring the live leakage under the
 * ceiling at no more than the stated accuracy price; where they do not (OneK1K), the demo says the
 * episode was not needed. Then the stream drifts to the unseen donors; the monitor asks again (with
 * labels, and without: the cells' distance to the known donors); the service trains on what was
 * archived, checks the candidate on recent held-out cells, puts it in shadow, promotes it once live
 * cells show it better, and the ScoringJob swaps without a restart. No cell is sent twice. Progress
 * lines while it runs; the summary line and a report (markdown + PNG) at the end; it closes only
 * when every alarm raised was answered.
 */
public final class LoopDemo {
  public static final String MODEL = "vanilla";
  static final String FIRST = "1";

  /**
   * @param beforeCells at least this many known donors' cells before the drift
   * @param shadowCells labelled cells both models must answer before the shadow is judged
   * @param leakageCells labelled cells a sex probe must have tested before its reading counts (no-alarm check, leakage answers)
   * @param promotionTimeoutSeconds how long each episode may run without its answer before the demo gives up
   * @param keepRunning leave everything running after the summary (Ctrl-C stops)
   * @param maxCells a larger data set is sampled down to this many cells (seeded), so training stays short
   */
  public record Options(int beforeCells, int afterCells, double rate, long shadowCells, long leakageCells, int parallelism, String webUiPorts,
      String prometheusPorts, long promotionTimeoutSeconds, boolean keepRunning, int maxCells) {
    public static Options quick() {
      return new Options(600, 800, 150, 300, 600, 2, "8081-8099", "9249-9259", 300, false, 20_000);
    }

    public static Options full() {
      return new Options(1500, 2000, 150, 500, 1000, 2, "8081-8099", "9249-9259", 600, false, 100_000);
    }

    public Options keepingRunning(boolean keep) {
      return new Options(beforeCells, afterCells, rate, shadowCells, leakageCells, parallelism, webUiPorts, prometheusPorts, promotionTimeoutSeconds,
          keep, maxCells);
    }

    public Options withPorts(String webUi, String prometheus) {
      return new Options(beforeCells, afterCells, rate, shadowCells, leakageCells, parallelism, webUi, prometheus, promotionTimeoutSeconds,
          keepRunning, maxCells);
    }
  }

  /**
   * The demo's data: a table, and for a generated one the generator's own model to draw new cells
   * from ({@code fresh}; null for a file, whose cells are each sent once).
   */
  public record Input(CellTable cells, FreshCells fresh) {}

  private LoopDemo() {}

  public static LoopResult run(Input input, Path workDir, TextEncoder encoder, Options o, PrintStream out) throws Exception {
    CellTable cells = input.cells();
    if (input.fresh() == null && cells.size() > o.maxCells()) {
      int[] rows = java.util.stream.IntStream.range(0, cells.size()).toArray();
      io.donorstream.data.Shuffle.shuffle(rows, new java.util.SplittableRandom(7));
      rows = java.util.Arrays.stream(rows, 0, o.maxCells()).sorted().toArray();
      out.printf("(using %,d of the %,d cells, sampled at random, so that training stays short)%n", rows.length, cells.size());
      cells = cells.select(rows);
    }
    Path dir = workDir.resolve("loop");
    if (Files.exists(dir)) LocalKafkaBroker.deleteData(dir);
    Files.createDirectories(dir);
    LoopPlan plan = LoopPlan.of(cells, o.afterCells());
    LoopCells source = input.fresh() == null ? LoopCells.of(cells, plan) : LoopCells.generated(input.fresh(), plan);
    // A file's cells are few: a slower stream spends fewer of them on each window the rules need.
    double rate = source.finite() ? Math.max(30, Math.min(o.rate(), (plan.beforeDrift().length + plan.drift().length) / 60.0)) : o.rate();
    // And a shadow judged on fewer of them: a sixth of the new donors' cells, at least 100.
    long shadowCells = source.finite() ? Math.min(o.shadowCells(), Math.max(100, plan.drift().length / 6)) : o.shadowCells();
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    CellTable initial = cells.select(plan.training());
    long t0 = System.nanoTime();
    firstChampion(registry, initial, encoder, "initial model, trained without donors " + plan.newDonors() + " and without sex removal");
    RegisteredVersion v1 = registry.version(MODEL, FIRST);
    out.printf("[1/6] data %s: %,d cells x %d, %d donors; model v1 trained on %,d cells of %d donors (not %s), without sex removal, in %.0f s:"
        + " test accuracy %.3f; the stream: %s, %.0f cells/s; shadows judged on %,d paired cells%n", cells.datasetId(), cells.size(), cells.width(),
        cells.donors().size(), initial.size(), initial.donors().size(), plan.newDonors(), (System.nanoTime() - t0) / 1e9,
        v1.metrics().getOrDefault("accuracy", Double.NaN), source.describe(), rate, shadowCells);

    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    List<String> serviceLog = Collections.synchronizedList(new ArrayList<>());
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
      String bootstrap = broker.bootstrap();
      broker.createTopics(ProjectTopics.all(2));
      try (LoopObserver observer = new LoopObserver(bootstrap)) {
        ModelAnnouncer.announce(bootstrap, ProjectTopics.MODEL_UPDATES, registry.dir(MODEL, FIRST));
        PromotionGate gate = PromotionGate.defaults(0.0);
        ClosedLoop.Settings settings = new ClosedLoop.Settings(o.parallelism(), 1_000, o.webUiPorts(), o.prometheusPorts(), monitorConfig(), 4_000,
            Retrainer.defaults(MODEL).withGate(gate), new PromotionRule(shadowCells, o.leakageCells(), gate.withMargin(0.01)), initial);
        Episodes e = new Episodes(observer, registry, gate.leakageCeiling());
        LoopResult result;
        List<String> problems = new ArrayList<>();
        double servedBefore;
        double servedAfter;
        double restarts;
        long published;
        String driftChampion;
        DriftEstimate drift;
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
          // A file's cells are not spent while the service trains: the stream waits for it.
          java.util.function.BooleanSupplier hold = source.finite()
              ? () -> loop.service().busy() || observer.requests().size() > loop.service().received() : () -> false;
          LoopPublisher publisher = new LoopPublisher(bootstrap, rate, observer, progress::maybePrint, hold);
          long episodeCells = (long) (rate * o.promotionTimeoutSeconds());
          long start = System.currentTimeMillis();
          boolean hasSex = cells.hasSex();
          publisher.stream(Phase.BEFORE_DRIFT, source::known, () -> e.leakageSettled(publisher.published(), o, hasSex),
              Math.max(o.beforeCells(), episodeCells));
          awaitAnswered(observer, publisher.published(), 120);
          servedBefore = scoringGauges(o, loop)[0];
          out.printf("[3/6] %,d cells of known donors scored (v1 accuracy %.3f). %s%n", publisher.published(),
              observer.tally(Phase.BEFORE_DRIFT, FIRST::equals).accuracy(), e.leakageStory(start, problems));
          driftChampion = champion(registry);
          out.printf("      now the stream drifts to donors v%s never saw %s%n", driftChampion, plan.newDonors());
          long driftStart = System.currentTimeMillis();
          long driftSent = publisher.stream(Phase.DRIFT, source::unseen, () -> e.answeredSince(driftChampion), episodeCells);
          if (!e.answeredSince(driftChampion) && source.ranOut(Phase.DRIFT)) {
            // A file's new-donor cells are few: the answer is judged on the cells held back for after the swap.
            out.printf("      the file's %,d cells of the new donors are all sent; the stream goes on with the cells held back for after the swap%n",
                driftSent);
            publisher.stream(Phase.AFTER_SWAP, source::after, () -> e.answeredSince(driftChampion), episodeCells - driftSent);
          }
          if (!e.answeredSince(driftChampion)) {
            problems.add(source.ranOut(Phase.AFTER_SWAP)
                ? String.format("the file's cells ran out before a promotion (%d retrain requests; registry %s): a file with more cells per"
                    + " donor is needed", observer.requests().size(), LoopProgress.stages(registry))
                : String.format("no promotion within %d s of drift (%d retrain requests; registry %s)", o.promotionTimeoutSeconds(),
                    observer.requests().size(), LoopProgress.stages(registry)));
            out.println("error: " + problems.get(problems.size() - 1));
          } else {
            out.printf("[4/6] v%s promoted %.0f s after the drift began; the ScoringJob swaps to it without a restart%n", champion(registry),
                (System.currentTimeMillis() - driftStart) / 1000.0);
          }
          drift = DriftEstimate.of(observer.reports(), driftChampion, driftStart);
          if (drift != null) out.println("      " + drift.describe());
          publisher.stream(Phase.AFTER_SWAP, source::after, () -> false, o.afterCells());
          // Every alarm raised must be answered before the demo ends: the stream goes on (new cells) while one is open.
          publisher.stream(Phase.AFTER_SWAP, source::after, () -> e.quietAtEnd(o.leakageCells()), episodeCells);
          awaitAnswered(observer, publisher.published(), 120);
          double[] gauges = scoringGauges(o, loop);
          servedAfter = gauges[0];
          restarts = gauges[1];
          published = publisher.published();
          if (o.keepRunning()) {
            out.println(result(observer, registry, published, problems, servedBefore, servedAfter, restarts, driftChampion, e, drift).summaryLine());
            out.printf("still running (Ctrl-C stops): web UI %s, Prometheus on a port in %s, Kafka at %s%n", loop.cluster().restAddress(),
                o.prometheusPorts(), bootstrap);
            Thread.currentThread().join();
          }
          out.println("[5/6] stopping: the retrain service finishes what it is doing, the jobs are cancelled");
        }
        // After the service stopped: the counts include a retraining it finished on the way out.
        result = result(observer, registry, published, problems, servedBefore, servedAfter, restarts, driftChampion, e, drift);
        out.printf("      registry: %s; Prometheus: the ScoringJob's modelVersion gauge %s -> %s, its restarts %s%n",
            LoopProgress.stages(registry), num(result.servedVersionBefore()), num(result.servedVersionAfter()), num(result.scoringRestarts()));
        for (Alarms.Alarm a : result.alarms()) {
          out.printf("      alarm on v%s %s: %s%n", a.version(), a.asked().stream().map(io.donorstream.promotion.Reason::wire).toList(),
              a.open() ? "OPEN" : "answered by v" + a.answeredBy() + (a.promoted() ? " (promoted)" : " (judged and retired)"));
        }
        Path report = LoopReport.write(dir, result, observer, registry, List.copyOf(serviceLog), plan, driftChampion);
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
    // The same reason may ask again after a minute of the stream, not ten: the demo waits minutes, not hours.
    m.set(MonitorOptions.COOLDOWN_MILLIS, 60_000L);
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

  private static LoopResult result(LoopObserver observer, ModelRegistry registry, long published, List<String> problems, double servedBefore,
      double servedAfter, double restarts, String driftChampion, Episodes e, DriftEstimate drift) {
    Map<String, Long> versions = observer.firstAnswers();
    String last = versions.keySet().stream().max(java.util.Comparator.comparingDouble(Double::parseDouble)).orElse(FIRST);
    List<Alarms.Alarm> alarms = Alarms.of(observer.requests(), registry, MODEL);
    List<String> all = new ArrayList<>(problems);
    if (!Alarms.open(alarms).isEmpty()) all.add(Alarms.open(alarms).size() + " alarm(s) not answered");
    return new LoopResult(published, observer.predictions(), observer.deadLetters(), observer.shadowPredictions(),
        registry.versions(MODEL).size() - 1, versions.size() - 1, last, observer.tally(Phase.BEFORE_DRIFT, FIRST::equals).accuracy(),
        observer.tally(Phase.DRIFT, driftChampion::equals).accuracy(), observer.tally(Phase.AFTER_SWAP, v -> Episodes.newer(v, driftChampion)).accuracy(),
        all.isEmpty() ? null : String.join("; ", all), servedBefore, servedAfter, restarts, e.leakage(FIRST), e.leakage(champion(registry)),
        alarms, !Alarms.any(alarms, io.donorstream.promotion.Reason.LEAKAGE) || e.leakageUnderCeiling(champion(registry)), drift);
  }

  /** Waits (bounded) until every published cell has an answer: a prediction or a dead letter. */
  private static void awaitAnswered(LoopObserver observer, long published, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (observer.predictions() + observer.deadLetters() < published && System.currentTimeMillis() < deadline) Thread.sleep(200);
  }
}
