package io.donorstream.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What each row with sex removal paid: its test accuracy minus its counterpart's without removal on
 * the same split, per seed, averaged with its standard error over seeds (the differences are
 * paired, so split-to-split variation cancels), beside the sex-blind bound where the data carry one.
 *
 * @param lambdas the reversal strength each seed ended with (0: no adversary)
 */
public record RemovalPrice(Variant variant, Variant counterpart, MeanSd accuracy, MeanSd difference, Double belowSexBlind, MeanSd probe,
    List<Float> lambdas) {

  /** One per adversarial row of the table (not the λ sweep) that has a counterpart; empty otherwise. */
  public static List<RemovalPrice> of(Comparison.Result r, Double sexBlindBound) {
    List<RemovalPrice> out = new ArrayList<>();
    for (Variant v : r.variants()) {
      if (!v.adversarial() || v.sweepPoint()) continue;
      Variant plain = r.variants().stream().filter(c -> c.id().equals(v.withoutRemoval().id())).findFirst().orElse(null);
      if (plain == null) continue;
      List<Comparison.Run> runs = r.runsOf(v);
      List<Double> diffs = new ArrayList<>();
      for (Comparison.Run run : runs) {
        r.runsOf(plain).stream().filter(p -> p.seed() == run.seed()).findFirst()
            .ifPresent(p -> diffs.add(number(run.metrics(), "accuracy") - number(p.metrics(), "accuracy")));
      }
      MeanSd acc = MeanSd.of(runs, "accuracy");
      List<Float> lambdas = runs.stream().map(x -> (float) number(x.metrics(), "lambda")).toList();
      out.add(new RemovalPrice(v, plain, acc, MeanSd.of(diffs.stream().mapToDouble(Double::doubleValue).toArray()),
          sexBlindBound == null ? null : acc.mean() - sexBlindBound, MeanSd.of(runs, "sex_probe_group_balanced_accuracy"), lambdas));
    }
    return out;
  }

  /** "−0.012 ± 0.006 (SE, 3 seeds)"; one seed: no standard error. */
  public String formatDifference() {
    if (difference.n() == 0) return "n/a";
    String mean = String.format(Locale.ROOT, "%+.3f", difference.mean());
    if (difference.n() < 2) return mean + " (1 seed)";
    return mean + String.format(Locale.ROOT, " ± %.3f (SE, %d seeds)", standardError(), difference.n());
  }

  /** The standard error of the mean paired difference. */
  public double standardError() {
    return difference.n() < 2 ? Double.NaN : difference.sd() / Math.sqrt(difference.n());
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
