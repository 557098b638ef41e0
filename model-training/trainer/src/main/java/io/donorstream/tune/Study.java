package io.donorstream.tune;

import io.donorstream.data.CellTable;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.progress.Progress;
import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.DataSplit;
import io.donorstream.train.Hyperparameters;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainingDiverged;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A TPE search on the validation split. Every finished trial is appended to {@code trials.csv}
 * before the next starts, so a killed study resumes where it stopped (the sampler is seeded by
 * study seed and trial number, so the resumed study suggests what the uninterrupted one would
 * have). Trials whose validation accuracy falls below the median of finished trials at the same
 * epoch are pruned. The best settings go to {@code best.json}.
 */
public final class Study {
  public static final String TRIALS_CSV = "trials.csv";
  public static final String BEST_JSON = "best.json";

  /**
   * @param epochs maximum classification epochs per trial, or null for the model's default
   * @param alignEpochs contrastive alignment epochs per trial (multimodal), 0 for none
   */
  public record Options(String architecture, boolean adversarial, int alignEpochs, int trials, Integer epochs, long seed, String device,
      boolean prune) {}

  private final Options o;
  private final Consumer<String> log;

  public Study(Options options, Consumer<String> log) {
    this.o = options;
    this.log = log;
  }

  public SearchSpace space() {
    return TuningSpace.of(o.architecture(), o.adversarial());
  }

  /** The settings every trial starts from (a trial's values replace some of them). */
  public TrainSettings baseSettings() {
    TrainSettings base = TrainSettings.defaults(o.architecture(), o.seed()).withDevice(o.device()).withAlign(o.alignEpochs());
    return o.epochs() == null ? base : base.withEpochs(o.epochs());
  }

  /** Runs the trials not yet in {@code out/trials.csv}; returns the best, also written to best.json. */
  public BestParams run(CellTable table, TextEncoder encoder, CellOntology ontology, Path out) {
    SearchSpace space = space();
    Path csv = out.resolve(TRIALS_CSV);
    List<Trial> history = new ArrayList<>(TrialsCsv.read(csv, space));
    if (!history.isEmpty()) log.accept("resuming: " + history.size() + " trials already in " + csv);
    DataSplit split = DataSplit.stratifiedByDonor(table.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, o.seed());
    TrainSettings base = baseSettings();
    ValidationObjective objective = ValidationObjective.prepare(table, split, o.architecture(), o.adversarial(), base, encoder, ontology);
    log.accept(String.format("tuning %s%s on %d training and %d validation cells (seed %d); the test split is not loaded; objective: %s",
        o.architecture(), o.adversarial() ? " + adversarial" : "", split.train().length, objective.validationCells(), o.seed(), objectiveText()));
    TpeSampler sampler = new TpeSampler(space, o.seed());
    // Warm-up and the schedule's first steps make early epochs say little: no pruning in the first fifth.
    MedianPruner pruner = new MedianPruner(MedianPruner.DEFAULT_STARTUP_TRIALS, Math.max(MedianPruner.DEFAULT_WARMUP_STEPS, base.epochs() / 5));
    long start = System.nanoTime();
    int startedHere = 0;
    for (int n = history.size(); n < o.trials(); n++) {
      Map<String, Double> params = sampler.suggest(n, history);
      Trial t = runTrial(n, params, objective, pruner, history);
      TrialsCsv.append(csv, space, t);
      history.add(t);
      startedHere++;
      double perTrial = (System.nanoTime() - start) / 1e9 / startedHere;
      log.accept(String.format("trial %d/%d %s %s in %.1f s; best %s; ETA %s", n + 1, o.trials(), describe(t), describe(t.params()), t.seconds(),
          best(history).map(b -> String.format("%.4f (trial %d)", b.value(), b.number() + 1)).orElse("none yet"),
          Progress.clock(perTrial * (o.trials() - n - 1))));
    }
    Trial best = best(history).orElseThrow(() -> new IllegalStateException("no trial completed: every one diverged or was pruned; see " + csv));
    Map<String, Number> bestParams = new LinkedHashMap<>(best.params());
    BestParams result = new BestParams(o.architecture(), o.adversarial(), o.alignEpochs() > 0, best.number(), best.value(), objectiveText(), bestParams);
    result.write(out.resolve(BEST_JSON));
    return result;
  }

  private Trial runTrial(int n, Map<String, Double> params, ValidationObjective objective, MedianPruner pruner, List<Trial> history) {
    List<Double> curve = new ArrayList<>();
    double[] bestSoFar = {Double.NEGATIVE_INFINITY};
    long t0 = System.nanoTime();
    try {
      ValidationObjective.Outcome out = objective.evaluate(Hyperparameters.of(params), r -> {
        if (!r.phase().equals("classify")) return;
        curve.add(r.validationAccuracy());
        bestSoFar[0] = Math.max(bestSoFar[0], r.validationAccuracy());
        if (o.prune() && pruner.shouldPrune(r.epoch(), bestSoFar[0], history)) throw new TrialPruned(r.epoch());
      });
      return Trial.complete(n, params, out.value(), seconds(t0), curve);
    } catch (TrialPruned p) {
      return Trial.pruned(n, params, seconds(t0), curve);
    } catch (TrainingDiverged d) {
      log.accept("trial " + (n + 1) + " diverged: " + d.getMessage());
      return Trial.failed(n, params, seconds(t0), curve);
    }
  }

  private String objectiveText() {
    return o.adversarial() ? "validation accuracy - max(0, held-out-donor sex probe balanced accuracy - 0.5)" : "validation accuracy";
  }

  static Optional<Trial> best(List<Trial> history) {
    return history.stream().filter(t -> t.state() == Trial.State.COMPLETE && Double.isFinite(t.value()))
        .max(Comparator.comparingDouble(Trial::value).thenComparing(Comparator.comparingInt(Trial::number).reversed()));
  }

  private static String describe(Trial t) {
    return switch (t.state()) {
      case COMPLETE -> String.format("value %.4f", t.value());
      case PRUNED -> String.format("pruned at epoch %d (best validation accuracy %.4f)", t.intermediate().size(),
          t.intermediate().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
      case FAILED -> "failed";
    };
  }

  static String describe(Map<String, ? extends Number> p) {
    StringBuilder s = new StringBuilder();
    p.forEach((k, n) -> {
      double v = n.doubleValue();
      s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(v == Math.rint(v) && Math.abs(v) >= 1 ? Long.toString((long) v) : String.format("%.3g", v));
    });
    return s.toString();
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
