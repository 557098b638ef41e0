package io.donorstream.experiments;

import io.donorstream.data.CellTable;
import io.donorstream.eval.ClassificationMetrics;
import io.donorstream.pipeline.Baselines;
import io.donorstream.pipeline.RemovalLadder;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.text.CellOntology;
import io.donorstream.text.CellTypeTexts;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.DataSplit;
import io.donorstream.train.PreparedData;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every variant on the same splits over several seeds: per seed one donor-stratified split, the
 * majority and logistic-regression baselines trained once on it, then each variant through the
 * whole {@link TrainingPipeline} (early stopping on validation, test evaluated once, artifact
 * written to {@code out/runs/<variant>/seed-<seed>}).
 */
public final class Comparison {
  /**
   * @param epochs maximum classification epochs, or null for each model's default
   * @param lambda λ of the table's adversarial variants; NaN: sex removed by evidence, as {@code train --adversarial} does
   * @param sweep also run {@link Variant#lambdaSweep()} for the trade-off figure
   */
  public record Options(List<Long> seeds, Integer epochs, float lambda, boolean sweep, String device) {}

  public record Run(Variant variant, long seed, Map<String, Object> metrics, Path artifact) {}

  /** The logistic-regression baseline's name. */
  static final String LOGISTIC = "logistic regression";

  public record Baseline(String name, long seed, double accuracy, double macroF1, double weightedF1, double balancedAccuracy) {
    static Baseline of(String name, long seed, ClassificationMetrics m) {
      return new Baseline(name, seed, m.accuracy(), m.macroF1(), m.weightedF1(), m.balancedAccuracy());
    }
  }

  public record Split(long seed, int train, int validation, int test) {}

  public record Result(DataSummary data, List<Split> splits, List<Baseline> baselines, List<Variant> variants, List<Run> runs) {
    public List<Run> runsOf(Variant v) {
      return runs.stream().filter(r -> r.variant().equals(v)).toList();
    }
  }

  private final Options options;
  private final Consumer<String> log;

  public Comparison(Options options, Consumer<String> log) {
    this.options = options;
    this.log = log;
  }

  public Result run(CellTable table, TextEncoder encoder, CellOntology ontology, Path out) {
    List<Variant> variants = new ArrayList<>(Variant.table(options.lambda()));
    if (options.sweep()) variants.addAll(Variant.lambdaSweep());
    CellTypeTexts texts = CellTypeTexts.encode(table.cellTypes(), table.cellTypeOntologyIds(), encoder, ontology);
    RunProgress progress = new RunProgress(options.seeds().size() * variants.size());
    List<String> queue = new ArrayList<>();
    for (long ignored : options.seeds()) for (Variant v : variants) queue.add(v.id());
    List<Split> splits = new ArrayList<>();
    List<Baseline> baselines = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    for (long seed : options.seeds()) {
      DataSplit split = DataSplit.stratifiedByDonor(table.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, seed);
      splits.add(new Split(seed, split.train().length, split.validation().length, split.test().length));
      PreparedData plain = PreparedData.prepare(table, split, texts, false);
      Baseline majority = Baseline.of("majority", seed, Baselines.majority(plain));
      Baseline logreg = Baseline.of(LOGISTIC, seed, Baselines.logistic(plain, seed, options.device()));
      baselines.add(majority);
      baselines.add(logreg);
      log.accept(String.format("seed %d: split train %d / validation %d / test %d; logistic regression %.3f, majority %.3f", seed,
          split.train().length, split.validation().length, split.test().length, logreg.accuracy(), majority.accuracy()));
      for (Variant v : variants) {
        progress.start(v.id(), seed);
        String prefix = progress.prefix();
        Path dir = out.resolve("runs").resolve(v.id()).resolve("seed-" + seed);
        long t0 = System.nanoTime();
        Map<String, Object> metrics;
        try {
          metrics = new TrainingPipeline(msg -> log.accept(prefix + " " + msg)).run(request(table, encoder, ontology, v, seed, dir));
        } catch (RuntimeException e) {
          throw new IllegalStateException(v.id() + " seed " + seed + " failed: " + e.getMessage(), e);
        }
        metrics.putAll(perSexAccuracy(metrics));
        // The run skipped its own baselines: the seed's, trained once on the same split, stand in.
        metrics.put("baseline_logreg_accuracy", logreg.accuracy());
        metrics.put("baseline_majority_accuracy", majority.accuracy());
        runs.add(new Run(v, seed, metrics, dir));
        progress.finish(v.id(), (System.nanoTime() - t0) / 1e9);
        queue.remove(0);
        Object probe = metrics.get("sex_probe_group_balanced_accuracy");
        log.accept(String.format("%s accuracy %.3f, held-out-donor sex probe %s; %s", prefix, (Double) metrics.get("accuracy"),
            probe instanceof Double d ? String.format("%.3f", d) : "not available", progress.summary(queue)));
      }
    }
    return new Result(DataSummary.of(table), splits, baselines, variants, runs);
  }

  private TrainRequest request(CellTable table, TextEncoder encoder, CellOntology ontology, Variant v, long seed, Path dir) {
    TrainSettings s = TrainSettings.defaults(v.architecture(), seed).withDevice(options.device()).withAlign(v.align() ? 5 : 0);
    if (!v.byEvidence()) s = s.withLambda(v.lambda());
    if (options.epochs() != null) s = s.withEpochs(options.epochs());
    TrainRequest.Builder b = TrainRequest.of(table, v.architecture(), s, dir, encoder).adversarial(v.adversarial()).name(v.id()).ontology(ontology)
        .baselines(false);
    if (v.byEvidence()) b.removal(RemovalLadder.defaults());
    return b.build();
  }

  /** Test accuracy of each sex's donors (recall weighted by support) and the female - male gap. */
  static Map<String, Object> perSexAccuracy(Map<String, Object> metrics) {
    double[] right = new double[2];
    double[] total = new double[2];
    for (Object o : (List<?>) metrics.get("per_donor")) {
      Map<?, ?> d = (Map<?, ?>) o;
      Object sex = d.get("sex");
      if (!"female".equals(sex) && !"male".equals(sex)) continue;
      int k = "female".equals(sex) ? 0 : 1;
      double support = ((Number) d.get("support")).doubleValue();
      right[k] += ((Number) d.get("recall")).doubleValue() * support;
      total[k] += support;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Double female = total[0] == 0 ? null : right[0] / total[0];
    Double male = total[1] == 0 ? null : right[1] / total[1];
    out.put("accuracy_female", female);
    out.put("accuracy_male", male);
    out.put("sex_accuracy_gap", female == null || male == null ? null : female - male);
    return out;
  }
}
