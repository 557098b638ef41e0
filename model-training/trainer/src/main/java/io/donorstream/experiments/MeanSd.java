package io.donorstream.experiments;

import java.util.List;

/** Mean and sample standard deviation of a metric over seeds; runs where it is missing are left out. */
public record MeanSd(double mean, double sd, int n) {

  public static MeanSd of(List<Comparison.Run> runs, String metric) {
    return of(runs.stream().map(r -> r.metrics().get(metric)).filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue()).toArray());
  }

  public static MeanSd of(double[] values) {
    int n = values.length;
    if (n == 0) return new MeanSd(Double.NaN, Double.NaN, 0);
    double mean = 0;
    for (double v : values) mean += v / n;
    double ss = 0;
    for (double v : values) ss += (v - mean) * (v - mean);
    return new MeanSd(mean, n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1)), n);
  }

  /** The standard error of the mean (NaN below two values). */
  public double standardError() {
    return n < 2 ? Double.NaN : sd / Math.sqrt(n);
  }

  /** "0.392 ± 0.020", "0.392" for one seed, "n/a" when missing. */
  public String format(String pattern) {
    if (n == 0) return "n/a";
    return n < 2 ? String.format(pattern, mean) : String.format(pattern + " ± " + pattern, mean, sd);
  }
}
