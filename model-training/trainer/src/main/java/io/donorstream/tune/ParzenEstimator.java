package io.donorstream.tune;

import java.util.Arrays;
import java.util.Comparator;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * A mixture of Gaussians truncated to [low, high], one kernel per observation plus a broad prior kernel,
 * built as Optuna's univariate TPE builds it (consider_prior, consider_magic_clip, no consider_endpoints).
 * All positions are search coordinates (see {@link Param}).
 */
final class ParzenEstimator {
  // The prior kernel sits mid-range with sigma = range: it keeps some mass everywhere, so g(x) never
  // vanishes and l(x) can still propose points far from the few good observations.
  static final double PRIOR_WEIGHT = 1.0;
  private static final int MAX_REJECTIONS = 100;
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  private final double low;
  private final double high;
  private final double[] mus;
  private final double[] sigmas;
  private final double[] cumulativeWeights;
  private final double[] logScale; // log(weight / (sigma * sqrt(2 pi) * truncated mass)) per kernel

  private ParzenEstimator(double low, double high, double[] mus, double[] sigmas, double[] weights) {
    this.low = low;
    this.high = high;
    this.mus = mus;
    this.sigmas = sigmas;
    double total = Arrays.stream(weights).sum();
    cumulativeWeights = new double[weights.length];
    logScale = new double[weights.length];
    double acc = 0;
    for (int i = 0; i < weights.length; i++) {
      acc += weights[i] / total;
      cumulativeWeights[i] = acc;
      double mass = Normal.cdf((high - mus[i]) / sigmas[i]) - Normal.cdf((low - mus[i]) / sigmas[i]);
      logScale[i] = Math.log(weights[i] / total) - Math.log(sigmas[i]) - LOG_SQRT_2PI - Math.log(Math.max(mass, 1e-300));
    }
  }

  /**
   * Kernels at {@code observations} (with {@code weights}) plus the prior. Each observation's bandwidth is
   * the larger gap to its neighbours in sorted order (the prior's centre counts as a neighbour, the range
   * ends do too except for the outermost points, which use their inner gap), clipped to
   * [range / min(100, 1 + n + 1), range]: Optuna's "magic clip", with n + 1 kernels counting the prior.
   * The lower clip stops the kernels collapsing as observations crowd together; it loosens as n grows.
   */
  static ParzenEstimator fit(double[] observations, double[] weights, double low, double high) {
    int n = observations.length;
    double range = high - low;
    double[] mus = Arrays.copyOf(observations, n + 1);
    mus[n] = 0.5 * (low + high);
    double[] w = Arrays.copyOf(weights, n + 1);
    w[n] = PRIOR_WEIGHT;

    Integer[] order = IntStream.range(0, n + 1).boxed().sorted(Comparator.comparingDouble(i -> mus[i])).toArray(Integer[]::new);
    double[] ends = new double[n + 3];
    ends[0] = low;
    ends[n + 2] = high;
    for (int j = 0; j <= n; j++) ends[j + 1] = mus[order[j]];
    double minSigma = range / Math.min(100.0, 1.0 + n + 1);
    double[] sigmas = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      double gap = Math.max(ends[j + 1] - ends[j], ends[j + 2] - ends[j + 1]);
      if (n >= 1 && j == 0) gap = ends[2] - ends[1];
      if (n >= 1 && j == n) gap = ends[n + 1] - ends[n];
      sigmas[order[j]] = Math.max(minSigma, Math.min(range, gap));
    }
    sigmas[n] = range;
    return new ParzenEstimator(low, high, mus, sigmas, w);
  }

  /** A draw: pick a kernel by weight, then rejection-sample it within the range. */
  double sample(RandomGenerator rng) {
    double u = rng.nextDouble();
    int k = 0;
    while (k < cumulativeWeights.length - 1 && u >= cumulativeWeights[k]) k++;
    // Every kernel centre lies in the range and sigma <= range, so each try lands inside with
    // probability >= 0.34; the fallback is practically never reached.
    for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      double x = mus[k] + sigmas[k] * rng.nextGaussian();
      if (x >= low && x <= high) return x;
    }
    return Math.max(low, Math.min(high, mus[k]));
  }

  double logPdf(double x) {
    double[] terms = new double[mus.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < mus.length; i++) {
      double z = (x - mus[i]) / sigmas[i];
      terms[i] = logScale[i] - 0.5 * z * z;
      max = Math.max(max, terms[i]);
    }
    double sum = 0;
    for (double t : terms) sum += Math.exp(t - max);
    return max + Math.log(sum);
  }
}
