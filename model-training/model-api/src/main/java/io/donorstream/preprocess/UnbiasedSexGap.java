package io.donorstream.preprocess;

/**
 * The squared female–male gap of donor means along a direction, estimated without the bias a dozen
 * donors give it, and the erasure direction that removes that much and no more.
 *
 * <p>The in-sample gap {@code g} (mean of the female donors' means minus the male donors') holds,
 * besides sex, the chance difference between the two groups' own identities, so {@code (v·g)^2}
 * overstates the population gap. Leaving out every donor's pairing with itself gives an unbiased
 * estimate (a U-statistic): {@code Σ_{k≠j} K_kj (v·m_k)(v·m_j)} with {@code K} = 1/(nF(nF-1)) for two
 * female donors, 1/(nM(nM-1)) for two male donors and -1/(nF nM) for one of each. It is also the
 * expected agreement between the gaps of two disjoint halves of the donors, which is what a probe
 * trained on some donors and tested on others reads.
 *
 * <p>Erasing the in-sample direction {@code ĝ} removes more agreement than there is, so what is left
 * agrees negatively: the groups end balanced exactly, and a probe trained on some donors reads the
 * others' sex backwards. {@link #turn} therefore turns the direction away from {@code ĝ}, along the
 * steepest descent of the agreement it removes (towards directions where halves of the donors
 * disagree, which are identity), until it removes exactly the estimated total. On data simulated
 * as seed-cns is, that left a held-out-donor probe at 0.53–0.56 where {@code ĝ} left 0.35–0.37, and
 * kept donor accuracy at the level of erasing the true sex direction.
 */
final class UnbiasedSexGap {
  private final double[][] mean;
  private final int[] sex;
  private final double[][] weight;

  /**
   * @param mean donor means (rows of donors without cells are ignored)
   * @param count cells per donor
   * @param sex per donor: 1 female, 0 male
   */
  UnbiasedSexGap(double[][] mean, int[] count, int[] sex) {
    int females = 0;
    int males = 0;
    int present = 0;
    for (int d = 0; d < mean.length; d++) {
      if (count[d] == 0) continue;
      present++;
      if (sex[d] == 1) females++;
      else males++;
    }
    this.mean = new double[present][];
    int[] s = new int[present];
    int k = 0;
    for (int d = 0; d < mean.length; d++) {
      if (count[d] == 0) continue;
      this.mean[k] = mean[d];
      s[k++] = sex[d];
    }
    this.sex = s;
    weight = new double[present][present];
    for (int a = 0; a < present; a++) {
      for (int b = 0; b < present; b++) {
        if (a == b) continue;
        if (s[a] != s[b]) weight[a][b] = -1.0 / ((double) females * males);
        else if (s[a] == 1) weight[a][b] = 1.0 / ((double) females * (females - 1));
        else weight[a][b] = 1.0 / ((double) males * (males - 1));
      }
    }
  }

  /** The unbiased squared gap along {@code v} (need not be unit). */
  double along(double[] v) {
    return dot(v, times(v));
  }

  /** The unbiased squared gap summed over all directions (its trace). */
  double total() {
    double t = 0;
    for (int a = 0; a < mean.length; a++) for (int b = 0; b < mean.length; b++) if (weight[a][b] != 0) t += weight[a][b] * dot(mean[a], mean[b]);
    return t;
  }

  /**
   * The jackknife standard error of {@link #total()} over donors (each left out in turn); NaN when
   * leaving one out would leave a sex with fewer than two donors.
   */
  double totalStandardError() {
    int n = mean.length;
    int[] sexes = new int[2];
    for (int a = 0; a < n; a++) sexes[sex[a]]++;
    if (sexes[0] < 3 || sexes[1] < 3) return Double.NaN;
    double[] leftOut = new double[n];
    double average = 0;
    for (int k = 0; k < n; k++) {
      double[][] m = new double[n - 1][];
      int[] s = new int[n - 1];
      int[] count = new int[n - 1];
      for (int a = 0, i = 0; a < n; a++) {
        if (a == k) continue;
        m[i] = mean[a];
        s[i] = sex[a];
        count[i++] = 1;
      }
      leftOut[k] = new UnbiasedSexGap(m, count, s).total();
      average += leftOut[k] / n;
    }
    double ss = 0;
    for (double t : leftOut) ss += (t - average) * (t - average);
    return Math.sqrt((n - 1.0) / n * ss);
  }

  /**
   * The unit direction to erase: {@code unitGap} when erasing it removes no more than the total,
   * else turned from it along the steepest descent of {@link #along} until it removes the total.
   */
  double[] turn(double[] unitGap) {
    double total = total();
    double[] sg = times(unitGap);
    double a = dot(unitGap, sg);
    if (a <= total) return unitGap.clone();
    double[] descent = new double[unitGap.length];
    for (int j = 0; j < descent.length; j++) descent[j] = -(sg[j] - a * unitGap[j]);
    double norm = Math.sqrt(dot(descent, descent));
    if (norm <= 1e-12 * Math.sqrt(dot(sg, sg))) return unitGap.clone();
    for (int j = 0; j < descent.length; j++) descent[j] /= norm;
    double b = along(descent);
    double c = dot(sg, descent);
    // Removed agreement at angle θ in the plane of unitGap and descent, minus the total.
    java.util.function.DoubleUnaryOperator excess = th -> {
      double cos = Math.cos(th);
      double sin = Math.sin(th);
      return cos * cos * a + sin * sin * b + 2 * sin * cos * c - total;
    };
    int steps = 1024;
    double lo = 0;
    double hi = -1;
    double best = 0;
    double bestExcess = Double.POSITIVE_INFINITY;
    for (int i = 1; i <= steps; i++) {
      double th = Math.PI / 2 * i / steps;
      double e = excess.applyAsDouble(th);
      if (e <= 0) {
        hi = th;
        break;
      }
      lo = th;
      if (e < bestExcess) {
        bestExcess = e;
        best = th;
      }
    }
    double theta = best;
    if (hi >= 0) {
      for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (excess.applyAsDouble(mid) > 0) lo = mid;
        else hi = mid;
      }
      theta = hi;
    }
    double[] v = new double[unitGap.length];
    for (int j = 0; j < v.length; j++) v[j] = Math.cos(theta) * unitGap[j] + Math.sin(theta) * descent[j];
    return v;
  }

  /** The (symmetric) matrix {@code Σ K_kj m_k m_j^T} times {@code v}. */
  private double[] times(double[] v) {
    double[] p = new double[mean.length];
    for (int k = 0; k < mean.length; k++) p[k] = dot(mean[k], v);
    double[] out = new double[v.length];
    for (int k = 0; k < mean.length; k++) {
      double q = 0;
      for (int j = 0; j < mean.length; j++) q += weight[k][j] * p[j];
      for (int i = 0; i < v.length; i++) out[i] += q * mean[k][i];
    }
    return out;
  }

  private static double dot(double[] x, double[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
}
