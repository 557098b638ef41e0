package io.donorstream.preprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The erasure direction that takes the shared sex gap out of every female–male pair of donors and
 * nothing out of any same-sex pair.
 *
 * <p>Erasing a direction {@code w} shortens the distance between two donors' means by their
 * difference along it. Same-sex pairs keep all of theirs when {@code w} is orthogonal to the
 * within-sex deviations of the donor means (each donor minus its sex's mean): the identity they
 * carry is left whole. Along the rest of the in-sample gap, {@code c} (the gap with those deviations
 * projected out), every female–male pair differs by the same {@code |c|}, and erasing {@code c}
 * would take {@code |c|²} from each: the shared sex gap plus the chance difference between the two
 * groups' identities, which is why the in-sample direction over-removes. What the pairs should lose
 * is the shared gap alone, estimated without that bias by {@link UnbiasedSexGap#total()}. A
 * projection cannot remove a fraction of a direction's information, so {@code w} leans from
 * {@code c} towards a direction {@code v} that no donor mean moves along (pure within-donor noise,
 * uncorrelated with {@code c}'s): what is kept in their plane is {@code c}'s gap with {@code v}'s
 * noise mixed in, exactly as much of the gap as the estimate says is identity.
 *
 * <p>On data simulated as seed-cns is, this kept donor accuracy at or above that of erasing the
 * true sex direction, where turning the in-sample direction towards identity
 * ({@link UnbiasedSexGap#turn}) lost 0.7–1.3 points; trained on generated seed-cns sets, vanilla
 * rose by 1.6, 0.1 and 2.2 points over the turn, 0.2–0.5 under each set's sex-free twin
 * (docs/removing-sex.md).
 */
final class SexOnlyDirection {
  /** Power iterations for the noise direction: it need only be a high-variance one, not the top one. */
  private static final int POWER_ITERATIONS = 12;

  private SexOnlyDirection() {}

  /**
   * @param x row-major standardised embeddings ({@code rows} index them)
   * @param mean donor means; rows of donors without cells are ignored
   * @param count cells per donor
   * @param sex per donor: 1 female, 0 male
   * @param gap the in-sample female − male gap of the donor-balanced group means
   * @param sharedGap the unbiased estimate of the squared shared gap
   * @param sharedGapError its standard error (NaN when unknown: then {@code c} is never taken whole
   *     in its place)
   * @return the unit direction to erase, or null when it cannot be found this way (more donors than
   *     dimensions, so the within-sex deviations fill the space; a gap that lies mostly within them;
   *     or no direction left that no donor mean moves along)
   */
  static double[] find(float[] x, int width, int[] rows, int[] donorOfRow, double[][] mean, int[] count, int[] sex, double[] gap,
      double sharedGap, double sharedGapError) {
    if (!(sharedGap > 0)) return null;
    double[][] groupMean = SexErasure.groupMeans(mean, count, sex, -1, width);
    List<double[]> withinSex = new ArrayList<>();
    List<double[]> donorSpan = new ArrayList<>();
    double scale = 0;
    for (double v : gap) scale += v * v;
    double tolerance = 1e-9 * Math.max(scale, 1e-300);
    for (int d = 0; d < mean.length; d++) {
      if (count[d] == 0) continue;
      double[] deviation = new double[width];
      double[] centred = new double[width];
      for (int j = 0; j < width; j++) {
        deviation[j] = mean[d][j] - groupMean[sex[d]][j];
        centred[j] = mean[d][j] - (groupMean[0][j] + groupMean[1][j]) / 2;
      }
      addToBasis(withinSex, deviation, tolerance);
      addToBasis(donorSpan, centred, tolerance);
    }
    double[] c = gap.clone();
    projectOut(c, withinSex);
    double c2 = dot(c, c);
    if (c2 <= tolerance) return null;
    double cn = Math.sqrt(c2);
    for (int j = 0; j < width; j++) c[j] /= cn;
    if (c2 <= sharedGap) {
      // The estimate asks for more than c holds: within twice its own standard error, that is the
      // estimate's noise, and c goes whole (all that can go without touching same-sex pairs);
      // beyond it, the sex gap lies partly along the within-sex deviations and this cannot help.
      return sharedGap - c2 <= 2 * sharedGapError ? c : null;
    }
    // Within-donor covariance times c, then a noise direction orthogonal to every donor mean and
    // to that product (so its noise is uncorrelated with c's).
    WithinDonorNoise noise = new WithinDonorNoise(x, width, rows, donorOfRow, mean);
    double[] sc = noise.times(c);
    double varC = dot(c, sc);
    List<double[]> excluded = new ArrayList<>(donorSpan);
    addToBasis(excluded, sc, 1e-9 * Math.max(dot(sc, sc), 1e-300));
    double[] v = new double[width];
    SplittableRandom rng = new SplittableRandom(width);
    for (int j = 0; j < width; j++) v[j] = rng.nextGaussian();
    for (int i = 0; i <= POWER_ITERATIONS; i++) {
      projectOut(v, excluded);
      double n = Math.sqrt(dot(v, v));
      if (n < 1e-12) return null;
      for (int j = 0; j < width; j++) v[j] /= n;
      if (i < POWER_ITERATIONS) v = noise.times(v);
    }
    double varV = dot(v, noise.times(v));
    if (!(varV > 1e-12 * varC) || !(varC > 0)) return null;
    // Kept in the (c, v) plane: sin(phi) of c's gap under noise variance sin²(phi) varC + cos²(phi) varV;
    // its squared signal-to-noise must be the share of |c|² that is not the shared gap.
    double keep = (c2 - sharedGap) / c2;
    double phi = Math.atan(Math.sqrt(keep * varV / ((1 - keep) * varC)));
    double[] w = new double[width];
    for (int j = 0; j < width; j++) w[j] = Math.cos(phi) * c[j] + Math.sin(phi) * v[j];
    return w;
  }

  /** Gram–Schmidt (twice, for round-off) of {@code v} against an orthonormal basis; added if it is new. */
  private static void addToBasis(List<double[]> basis, double[] v, double tolerance) {
    double[] r = v.clone();
    projectOut(r, basis);
    projectOut(r, basis);
    double n2 = dot(r, r);
    if (n2 <= tolerance) return;
    double n = Math.sqrt(n2);
    for (int j = 0; j < r.length; j++) r[j] /= n;
    basis.add(r);
  }

  private static void projectOut(double[] v, List<double[]> basis) {
    for (double[] b : basis) {
      double p = dot(v, b);
      for (int j = 0; j < v.length; j++) v[j] -= p * b[j];
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** Products with the pooled within-donor covariance of the cells, one pass over them each. */
  private record WithinDonorNoise(float[] x, int width, int[] rows, int[] donorOfRow, double[][] mean) {
    double[] times(double[] v) {
      double[] out = new double[width];
      int n = 0;
      for (int r : rows) {
        double[] m = mean[donorOfRow[r]];
        int o = r * width;
        double p = 0;
        for (int j = 0; j < width; j++) p += (x[o + j] - m[j]) * v[j];
        for (int j = 0; j < width; j++) out[j] += p * (x[o + j] - m[j]);
        n++;
      }
      for (int j = 0; j < width; j++) out[j] /= Math.max(1, n);
      return out;
    }
  }
}
