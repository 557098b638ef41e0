package io.donorstream.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnbiasedSexGapTest {

  @Test
  void theEstimateIsTheAgreementBetweenTheGapsOfTwoHalvesOfTheDonors() {
    // 3 female and 5 male donors: odd groups, so either half may get the larger piece of each.
    SplittableRandom rng = new SplittableRandom(11);
    int width = 5;
    int[] sex = {1, 1, 1, 0, 0, 0, 0, 0};
    double[][] mean = new double[sex.length][width];
    for (double[] m : mean) for (int j = 0; j < width; j++) m[j] = rng.nextGaussian();
    double[] v = new double[width];
    for (int j = 0; j < width; j++) v[j] = rng.nextGaussian();
    int[] count = new int[sex.length];
    java.util.Arrays.fill(count, 10);

    double agreement = 0;
    List<int[]> femaleHalves = halves(new int[] {0, 1, 2});
    List<int[]> maleHalves = halves(new int[] {3, 4, 5, 6, 7});
    for (int[] f : femaleHalves) {
      for (int[] m : maleHalves) {
        double a = gapAlong(mean, v, f, m, 0);
        double b = gapAlong(mean, v, f, m, 1);
        agreement += a * b / (femaleHalves.size() * maleHalves.size());
      }
    }
    assertThat(new UnbiasedSexGap(mean, count, sex).along(v)).isCloseTo(agreement, within(1e-9));
  }

  @Test
  void theJackknifeErrorIsNilWithoutIdentityAndGrowsWithIt() {
    int[] sex = {1, 1, 1, 0, 0, 0, 0};
    int[] count = new int[sex.length];
    java.util.Arrays.fill(count, 10);
    SplittableRandom rng = new SplittableRandom(5);
    double[][] same = new double[sex.length][3];
    double[][] spread = new double[sex.length][3];
    for (int d = 0; d < sex.length; d++) {
      same[d][0] = spread[d][0] = sex[d] == 1 ? 1 : -1;
      for (int j = 1; j < 3; j++) spread[d][j] = rng.nextGaussian();
      spread[d][0] += 0.5 * rng.nextGaussian();
    }
    assertThat(new UnbiasedSexGap(same, count, sex).total()).isCloseTo(4, within(1e-12));
    assertThat(new UnbiasedSexGap(same, count, sex).totalStandardError()).isCloseTo(0, within(1e-12));
    assertThat(new UnbiasedSexGap(spread, count, sex).totalStandardError()).isGreaterThan(0.1);
    int[] twoFemales = {1, 1, 0, 0, 0, 0, 0};
    assertThat(new UnbiasedSexGap(spread, count, twoFemales).totalStandardError()).as("one left out leaves a single female").isNaN();
  }

  @Test
  void turningTheDirectionLeavesNoGapAndNoBackwardsGap() {
    SplittableRandom rng = new SplittableRandom(5);
    int width = 40;
    int[] sex = new int[14];
    for (int d = 0; d < 6; d++) sex[d] = 1;
    double[][] mean = new double[sex.length][width];
    for (int d = 0; d < sex.length; d++) {
      for (int j = 0; j < width; j++) mean[d][j] = 2 * rng.nextGaussian() / Math.sqrt(width);
      mean[d][0] += sex[d] == 1 ? 1.5 : -1.5;
    }
    int[] count = new int[sex.length];
    java.util.Arrays.fill(count, 50);
    UnbiasedSexGap gap = new UnbiasedSexGap(mean, count, sex);
    double[] inSample = unit(inSampleGap(mean, sex));

    double[] turned = gap.turn(inSample);
    assertThat(norm(turned)).isCloseTo(1, within(1e-9));
    assertThat(Math.abs(turned[0])).as("still mostly the planted sex axis").isGreaterThan(0.8);
    assertThat(gap.along(turned)).as("removes the estimated squared gap, no more").isCloseTo(gap.total(), within(1e-9 * gap.total()));

    double leftByInSample = new UnbiasedSexGap(erase(mean, inSample), count, sex).total();
    double leftByTurned = new UnbiasedSexGap(erase(mean, turned), count, sex).total();
    assertThat(leftByInSample).as("the in-sample direction over-removes").isLessThan(-0.05 * gap.total());
    assertThat(leftByTurned).isCloseTo(0, within(1e-9 * gap.total()));
  }

  @Test
  void aDirectionThatRemovesNoMoreThanThereIsIsKept() {
    int[] sex = {1, 1, 0, 0};
    double[][] mean = {{1, 0}, {1, 0}, {-1, 0}, {-1, 0}};
    double[] g = {1, 0};
    assertThat(new UnbiasedSexGap(mean, new int[] {3, 3, 3, 3}, sex).turn(g)).containsExactly(1, 0);
  }

  /** Every subset of the size ⌊n/2⌋ or ⌈n/2⌉ as half 0, the rest as half 1. */
  private static List<int[]> halves(int[] donors) {
    List<int[]> out = new ArrayList<>();
    int n = donors.length;
    for (int mask = 0; mask < 1 << n; mask++) {
      int size = Integer.bitCount(mask);
      if (size != n / 2 && size != (n + 1) / 2) continue;
      int[] half = new int[n];
      for (int i = 0; i < n; i++) half[i] = (mask >> i & 1) == 1 ? 0 : 1;
      out.add(half);
    }
    return out;
  }

  /** v · (female mean − male mean) over the donors in {@code half}. */
  private static double gapAlong(double[][] mean, double[] v, int[] femaleHalf, int[] maleHalf, int half) {
    double f = 0;
    double m = 0;
    int nf = 0;
    int nm = 0;
    for (int i = 0; i < femaleHalf.length; i++) {
      if (femaleHalf[i] != half) continue;
      f += dot(mean[i], v);
      nf++;
    }
    for (int i = 0; i < maleHalf.length; i++) {
      if (maleHalf[i] != half) continue;
      m += dot(mean[femaleHalf.length + i], v);
      nm++;
    }
    return f / nf - m / nm;
  }

  private static double[] inSampleGap(double[][] mean, int[] sex) {
    double[] g = new double[mean[0].length];
    int f = 0;
    for (int s : sex) f += s;
    int m = sex.length - f;
    for (int d = 0; d < mean.length; d++) for (int j = 0; j < g.length; j++) g[j] += sex[d] == 1 ? mean[d][j] / f : -mean[d][j] / m;
    return g;
  }

  private static double[][] erase(double[][] mean, double[] u) {
    double[][] out = new double[mean.length][];
    for (int d = 0; d < mean.length; d++) {
      double along = dot(mean[d], u);
      out[d] = mean[d].clone();
      for (int j = 0; j < u.length; j++) out[d][j] -= along * u[j];
    }
    return out;
  }

  private static double[] unit(double[] v) {
    double n = norm(v);
    double[] out = v.clone();
    for (int j = 0; j < v.length; j++) out[j] /= n;
    return out;
  }

  private static double norm(double[] v) {
    return Math.sqrt(dot(v, v));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
