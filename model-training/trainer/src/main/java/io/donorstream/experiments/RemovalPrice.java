package io.donorstream.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/**
 * What each row with sex removal paid: its test accuracy minus its counterpart's without removal on
 * the same split, per seed, averaged with its standard error over seeds (the differences are
 * paired, so split-to-split variation cancels), beside the sex-blind bound where the data carry one
 * and the same paired difference to logistic regression on the same split.
 *
 * @param versusLogistic accuracy minus logistic regression's, per seed (empty without that baseline)
 * @param lambdas the reversal strength each seed ended with (0: no adversary)
 */
public record RemovalPrice(Variant variant, Variant counterpart, MeanSd accuracy, MeanSd difference, MeanSd versusLogistic, Double belowSexBlind,
    MeanSd probe, List<Float> lambdas) {

  /** One per adversarial row of the table (not the λ sweep) that has a counterpart; empty otherwise. */
  public static List<RemovalPrice> of(Comparison.Result r, Double sexBlindBound) {
    List<RemovalPrice> out = new ArrayList<>();
    for (Variant v : r.variants()) {
      if (!v.adversarial() || v.sweepPoint()) continue;
      Variant plain = r.variants().stream().filter(c -> c.id().equals(v.withoutRemoval().id())).findFirst().orElse(null);
      if (plain == null) continue;
      List<Comparison.Run> runs = r.runsOf(v);
      List<Comparison.Run> without = r.runsOf(plain);
      MeanSd difference = paired(runs, seed -> without.stream().filter(p -> p.seed() == seed).map(p -> number(p.metrics(), "accuracy")));
      MeanSd versusLogistic = paired(runs,
          seed -> r.baselines().stream().filter(b -> b.name().equals(Comparison.LOGISTIC) && b.seed() == seed).map(Comparison.Baseline::accuracy));
      MeanSd acc = MeanSd.of(runs, "accuracy");
      List<Float> lambdas = runs.stream().map(x -> (float) number(x.metrics(), "lambda")).toList();
      out.add(new RemovalPrice(v, plain, acc, difference, versusLogistic, sexBlindBound == null ? null : acc.mean() - sexBlindBound,
          MeanSd.of(runs, "sex_probe_group_balanced_accuracy"), lambdas));
    }
    return out;
  }

  /** Each run's accuracy minus the reference on its seed (runs without one left out), over seeds. */
  private static MeanSd paired(List<Comparison.Run> runs, LongFunction<Stream<Double>> referenceOnSeed) {
    return MeanSd.of(runs.stream().flatMapToDouble(run -> referenceOnSeed.apply(run.seed()).limit(1)
        .mapToDouble(ref -> number(run.metrics(), "accuracy") - ref)).toArray());
  }

  /** "−0.012 ± 0.006 (SE, 3 seeds)"; one seed: no standard error. */
  public String formatDifference() {
    return formatPaired(difference);
  }

  /** The same for the difference to logistic regression. */
  public String formatVersusLogistic() {
    return formatPaired(versusLogistic);
  }

  /** The standard error of the mean paired difference. */
  public double standardError() {
    return difference.standardError();
  }

  private static String formatPaired(MeanSd d) {
    if (d.n() == 0) return "n/a";
    String mean = String.format(Locale.ROOT, "%+.3f", d.mean());
    if (d.n() < 2) return mean + " (1 seed)";
    return mean + String.format(Locale.ROOT, " ± %.3f (SE, %d seeds)", d.standardError(), d.n());
  }

  /** The distinct λ the seeds ended with, e.g. "0" or "0, 0.03". */
  public String formatLambdas() {
    TreeSet<Float> distinct = new TreeSet<>(lambdas);
    return String.join(", ", distinct.stream().map(Variant::format).toList());
  }

  private static double number(Map<String, Object> metrics, String key) {
    Object v = metrics.get(key);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
