package io.donorstream.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Univariate Tree-structured Parzen Estimator, following Optuna's TPESampler, maximising the objective.
 *
 * <p>Until {@code startupTrials} COMPLETE trials exist, points are drawn uniformly (log-uniformly for LOG
 * kinds). After that the COMPLETE trials with finite values are ranked; the best {@link #gamma(int)} are
 * "good", the rest plus every PRUNED trial are "bad". Optuna ranks pruned trials (by their last
 * intermediate value, which {@link Trial#pruned} stores) below every complete one, and since gamma(n) is
 * counted over complete trials alone they always land in the bad group; their value plays no further
 * role. FAILED trials are ignored. For each dimension independently, {@code candidates} points are drawn
 * from l (the Parzen estimator of the good group) and the one maximising log l(x) - log g(x) is taken.
 *
 * <p>The random stream is derived from the seed and the trial number alone, and the history is sorted
 * internally, so a study resumed from trials.csv makes exactly the suggestions it would have made had it
 * never stopped.
 */
public final class TpeSampler {
  public static final int DEFAULT_STARTUP_TRIALS = 5;
  public static final int DEFAULT_CANDIDATES = 24;
  // Optuna's default_weights: the newest 25 observations of a group get weight 1, older ones a ramp
  // from 1/n, so a long study slowly forgets its early trials.
  private static final int FLAT_WEIGHTS = 25;

  private final SearchSpace space;
  private final long seed;
  private final int startupTrials;
  private final int candidates;

  public TpeSampler(SearchSpace space, long seed) { this(space, seed, DEFAULT_STARTUP_TRIALS, DEFAULT_CANDIDATES); }

  public TpeSampler(SearchSpace space, long seed, int startupTrials, int candidates) {
    if (startupTrials < 0) throw new IllegalArgumentException("startupTrials must be >= 0, got " + startupTrials);
    if (candidates < 1) throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
    this.space = Objects.requireNonNull(space, "space");
    this.seed = seed;
    this.startupTrials = startupTrials;
    this.candidates = candidates;
  }

  /** Number of good trials among n complete ones: min(ceil(0.25 n), 25), hyperopt's and Optuna's old default. */
  public static int gamma(int n) { return Math.min((int) Math.ceil(0.25 * n), 25); }

  /** The parameters for trial {@code trialNumber}, given every earlier trial of the study. */
  public Map<String, Double> suggest(int trialNumber, List<Trial> history) {
    SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + trialNumber);
    List<Trial> complete = history.stream()
        .filter(t -> t.state() == Trial.State.COMPLETE && Double.isFinite(t.value()))
        .sorted(Comparator.comparingDouble(Trial::value).reversed().thenComparingInt(Trial::number))
        .toList();
    if (complete.size() < startupTrials) return space.sampleRandom(rng);

    int nGood = gamma(complete.size());
    List<Trial> good = new ArrayList<>(complete.subList(0, nGood));
    List<Trial> bad = new ArrayList<>(complete.subList(nGood, complete.size()));
    history.stream().filter(t -> t.state() == Trial.State.PRUNED).forEach(bad::add);
    good.sort(Comparator.comparingInt(Trial::number));
    bad.sort(Comparator.comparingInt(Trial::number));

    var point = new LinkedHashMap<String, Double>();
    for (Param p : space.params()) point.put(p.name(), suggest(p, good, bad, rng));
    return point;
  }

  private double suggest(Param p, List<Trial> good, List<Trial> bad, RandomGenerator rng) {
    double[] lObs = coordinates(p, good);
    double[] gObs = coordinates(p, bad);
    if (p.kind() == Param.Kind.CHOICE) {
      int k = p.choices().length;
      CategoricalEstimator l = CategoricalEstimator.fit(indices(lObs), weights(lObs.length), k);
      CategoricalEstimator g = CategoricalEstimator.fit(indices(gObs), weights(gObs.length), k);
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < candidates; i++) {
        int c = l.sample(rng);
        double score = l.logPmf(c) - g.logPmf(c);
        if (best < 0 || score > bestScore) { best = c; bestScore = score; }
      }
      return p.fromCoordinate(best);
    }
    // INT kinds are searched as continuous over the half-step-widened range and rounded at the end;
    // l and g are compared at the unrounded candidate (Optuna integrates each kernel over the rounding
    // cell instead: a small difference that does not change which region is preferred).
    double lo = p.coordinateLow();
    double hi = p.coordinateHigh();
    ParzenEstimator l = ParzenEstimator.fit(lObs, weights(lObs.length), lo, hi);
    ParzenEstimator g = ParzenEstimator.fit(gObs, weights(gObs.length), lo, hi);
    double best = Double.NaN;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < candidates; i++) {
      double x = l.sample(rng);
      double score = l.logPdf(x) - g.logPdf(x);
      if (Double.isNaN(best) || score > bestScore) { best = x; bestScore = score; }
    }
    return p.fromCoordinate(best);
  }

  // Trials lacking the parameter (or holding a non-finite value) simply contribute no observation.
  private static double[] coordinates(Param p, List<Trial> trials) {
    return trials.stream().map(t -> t.params().get(p.name()))
        .filter(v -> v != null && Double.isFinite(v)).mapToDouble(p::toCoordinate).toArray();
  }

  private static int[] indices(double[] coordinates) {
    int[] idx = new int[coordinates.length];
    for (int i = 0; i < idx.length; i++) idx[i] = (int) coordinates[i];
    return idx;
  }

  /** Weights of n observations ordered oldest first. */
  static double[] weights(int n) {
    double[] w = new double[n];
    int ramp = n - FLAT_WEIGHTS;
    for (int i = 0; i < n; i++) {
      if (i >= ramp) w[i] = 1.0;
      else w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
    }
    return w;
  }
}
