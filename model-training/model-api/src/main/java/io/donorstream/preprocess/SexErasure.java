package io.donorstream.preprocess;

import java.util.Arrays;

/**
 * Removes from each (standardised) embedding the sex difference that is shared across donors: a
 * closed-form linear concept erasure (as in INLP and LEACE) along the direction {@code u} from the
 * male donors' mean embedding to the female donors' (each donor counted once, whatever its number
 * of cells). Each embedding becomes {@code x - strength (u·x) u}.
 *
 * <p>The strength comes from leaving each donor out: estimate {@code u} from the others and see
 * where the left-out donor falls along it. When left-out donors fall on their own sex's side
 * consistently (a one-sample t statistic above {@link #SHARED_T} over the donors), sex shifts
 * embeddings across donors and a direction is removed entirely: measured on the synthetic
 * seed-cns set, removing 97% of the in-sample direction still left a probe reading sex from the
 * input at balanced accuracy 0.93, so anything less than all of it is relearned. The in-sample
 * direction itself also removes the chance difference between the two groups' identities, which
 * balances the groups exactly and makes a probe trained on some donors read the others' sex
 * backwards; the direction erased is the {@link SexOnlyDirection}, which takes the unbiased
 * estimate of the squared sex gap ({@link UnbiasedSexGap}) out of every female–male pair of donors
 * and nothing out of same-sex pairs. Where that cannot be found (as many donors as dimensions), the
 * in-sample direction turned just far enough that it removes that estimate and no more, towards
 * identity ({@link UnbiasedSexGap#turn}). Otherwise the strength is the share
 * of the sex gap that left-out donors reproduce (usually small): with a dozen donors the group
 * difference also holds the chance difference between the two groups' own donor identities, which
 * no method can tell from sex, and removing that costs donor identity for nothing.
 *
 * <p>Sex is used to fit the erasure, never as an input; direction and strength are stored in the
 * artifact and applied when scoring.
 *
 * @param sharedT the left-out donors' t statistic (NaN when too few donors)
 * @param turnDegrees how far the direction was turned from the in-sample one (NaN when not fitted)
 * @param sameSexPairsKept the direction is the {@link SexOnlyDirection} (false: turned towards
 *     identity by {@link UnbiasedSexGap#turn}, where the within-sex deviations fill the space, or the
 *     in-sample one)
 */
public record SexErasure(float[] direction, float strength, double sharedT, double turnDegrees, boolean sameSexPairsKept) {
  /** Left-out donors reproducing the sex difference with t above this: sex is shared, remove it all. */
  public static final double SHARED_T = 3.0;

  public SexErasure(float[] direction, float strength) {
    this(direction, strength, Double.NaN, Double.NaN, false);
  }

  /**
   * Fits on {@code rows} of a row-major matrix.
   *
   * @param donor donor index per row of {@code x}
   * @param sex per row: 1 female, 0 male, -1 unknown
   * @return the erasure, or null when the training donors are not of both sexes (at least two of each)
   */
  public static SexErasure fit(float[] x, int width, int[] rows, int[] donor, int[] sex, int donors) {
    double[][] mean = new double[donors][width];
    int[] count = new int[donors];
    int[] donorSex = new int[donors];
    Arrays.fill(donorSex, -1);
    for (int r : rows) {
      if (sex[r] < 0) continue;
      int d = donor[r];
      donorSex[d] = sex[r];
      count[d]++;
      for (int j = 0; j < width; j++) mean[d][j] += x[r * width + j];
    }
    int females = 0;
    int males = 0;
    for (int d = 0; d < donors; d++) {
      if (count[d] == 0) continue;
      for (int j = 0; j < width; j++) mean[d][j] /= count[d];
      if (donorSex[d] == 1) females++;
      else males++;
    }
    if (females < 2 || males < 2) return null;
    double[] gap = groupGap(mean, count, donorSex, -1, width);
    double inSample = norm(gap);
    if (inSample < 1e-12) return null;
    // Leave each donor out: how far along the others' direction does it sit on its own sex's side?
    double[] side = new double[donors];
    int n = 0;
    double femaleSide = 0;
    double maleSide = 0;
    for (int k = 0; k < donors; k++) {
      if (count[k] == 0) continue;
      double[] g = groupGap(mean, count, donorSex, k, width);
      double gn = norm(g);
      if (gn < 1e-12) continue;
      double[] mid = groupMidpoint(mean, count, donorSex, k, width);
      double along = 0;
      for (int j = 0; j < width; j++) along += (mean[k][j] - mid[j]) * g[j] / gn;
      side[n++] = donorSex[k] == 1 ? along : -along;
      if (donorSex[k] == 1) femaleSide += along / females;
      else maleSide += along / males;
    }
    double t = tStatistic(Arrays.copyOf(side, n));
    double reproduced = Math.max(0, Math.min(1, (femaleSide - maleSide) / inSample));
    boolean shared = t > SHARED_T;
    double[] unit = new double[width];
    for (int j = 0; j < width; j++) unit[j] = gap[j] / inSample;
    double[] erased = unit;
    boolean sexOnly = false;
    if (shared) {
      UnbiasedSexGap unbiased = new UnbiasedSexGap(mean, count, donorSex);
      int[] known = Arrays.stream(rows).filter(r -> sex[r] >= 0).toArray();
      erased = SexOnlyDirection.find(x, width, known, donor, mean, count, donorSex, gap, unbiased.total(),
          unbiased.totalStandardError());
      sexOnly = erased != null;
      if (!sexOnly) erased = unbiased.turn(unit);
    }
    double cos = 0;
    float[] direction = new float[width];
    for (int j = 0; j < width; j++) {
      direction[j] = (float) erased[j];
      cos += erased[j] * unit[j];
    }
    double turn = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    return new SexErasure(direction, shared ? 1f : (float) reproduced, t, turn, sexOnly);
  }

  /** One-sample t statistic of the mean against zero. */
  static double tStatistic(double[] v) {
    if (v.length < 3) return Double.NaN;
    double m = 0;
    for (double x : v) m += x / v.length;
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    double sd = Math.sqrt(ss / (v.length - 1));
    return sd < 1e-12 ? (m > 0 ? Double.POSITIVE_INFINITY : 0) : m / (sd / Math.sqrt(v.length));
  }

  /** Mean of the female donors' means minus the male donors', leaving out donor {@code skip}. */
  private static double[] groupGap(double[][] mean, int[] count, int[] sex, int skip, int width) {
    double[][] g = groupMeans(mean, count, sex, skip, width);
    double[] gap = new double[width];
    for (int j = 0; j < width; j++) gap[j] = g[1][j] - g[0][j];
    return gap;
  }

  private static double[] groupMidpoint(double[][] mean, int[] count, int[] sex, int skip, int width) {
    double[][] g = groupMeans(mean, count, sex, skip, width);
    double[] mid = new double[width];
    for (int j = 0; j < width; j++) mid[j] = (g[0][j] + g[1][j]) / 2;
    return mid;
  }

  /** [0] male, [1] female: the mean of the donors' means, each donor once. */
  static double[][] groupMeans(double[][] mean, int[] count, int[] sex, int skip, int width) {
    double[][] g = new double[2][width];
    int[] n = new int[2];
    for (int d = 0; d < mean.length; d++) {
      if (d == skip || count[d] == 0) continue;
      n[sex[d]]++;
      for (int j = 0; j < width; j++) g[sex[d]][j] += mean[d][j];
    }
    for (int s = 0; s < 2; s++) for (int j = 0; j < width; j++) g[s][j] /= Math.max(1, n[s]);
    return g;
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    return Math.sqrt(s);
  }

  /** {@code x - strength (u·x) u} for every row of a row-major matrix, in place. */
  public void applyInPlace(float[] x, int width) {
    int n = x.length / width;
    for (int i = 0; i < n; i++) {
      int o = i * width;
      double dot = 0;
      for (int j = 0; j < width; j++) dot += x[o + j] * direction[j];
      dot *= strength;
      for (int j = 0; j < width; j++) x[o + j] -= (float) (dot * direction[j]);
    }
  }
}
