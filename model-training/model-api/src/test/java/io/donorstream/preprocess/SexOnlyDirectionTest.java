package io.donorstream.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SexOnlyDirectionTest {
  private static final int WIDTH = 24;
  private static final int DONORS = 10;

  /** Donors (4 female) with random identity offsets and a sex shift of ±1.5 on axis 0; unit noise. */
  private static final class Cells {
    final int[] sexOfDonor = new int[DONORS];
    final int[] count = new int[DONORS];
    final double[][] mean;
    final float[] x;
    final int[] donor;
    final int[] rows;

    Cells(long seed, int width) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[][] offset = new double[DONORS][width];
      mean = new double[DONORS][width];
      int n = 0;
      for (int d = 0; d < DONORS; d++) {
        sexOfDonor[d] = d < 4 ? 1 : 0;
        for (int j = 1; j < width; j++) offset[d][j] = 0.5 * rng.nextGaussian();
        offset[d][0] = sexOfDonor[d] == 1 ? 1.5 : -1.5;
        n += count[d] = 200 + 40 * d;
      }
      x = new float[n * width];
      donor = new int[n];
      rows = new int[n];
      int i = 0;
      for (int d = 0; d < DONORS; d++) {
        for (int k = 0; k < count[d]; k++, i++) {
          rows[i] = i;
          donor[i] = d;
          for (int j = 0; j < width; j++) x[i * width + j] = (float) (offset[d][j] + rng.nextGaussian());
        }
      }
      for (int r = 0; r < n; r++) for (int j = 0; j < width; j++) mean[donor[r]][j] += x[r * width + j] / count[donor[r]];
    }

    double[] gap() {
      double[] g = new double[WIDTH];
      for (int d = 0; d < DONORS; d++) for (int j = 0; j < WIDTH; j++) g[j] += mean[d][j] / (sexOfDonor[d] == 1 ? 4.0 : -6.0);
      return g;
    }

    double[] find(double sharedGap) {
      return find(sharedGap, Double.NaN);
    }

    double[] find(double sharedGap, double error) {
      return SexOnlyDirection.find(x, WIDTH, rows, donor, mean, count, sexOfDonor, gap(), sharedGap, error);
    }

    /** The pooled within-donor covariance times {@code v}. */
    double[] noiseTimes(double[] v) {
      double[] out = new double[WIDTH];
      for (int r : rows) {
        double p = 0;
        for (int j = 0; j < WIDTH; j++) p += (x[r * WIDTH + j] - mean[donor[r]][j]) * v[j];
        for (int j = 0; j < WIDTH; j++) out[j] += p * (x[r * WIDTH + j] - mean[donor[r]][j]) / rows.length;
      }
      return out;
    }
  }

  @Test
  void sameSexPairsLoseNothingAndFemaleMalePairsKeepWhatIsNotTheSharedGap() {
    Cells c = new Cells(7, WIDTH);
    double shared = new UnbiasedSexGap(c.mean, c.count, c.sexOfDonor).total();
    double[] w = c.find(shared);
    assertThat(w).isNotNull();
    assertThat(SexOnlyDirection.dot(w, w)).isCloseTo(1, within(1e-12));
    assertThat(Math.abs(w[0])).as("mostly the planted axis").isGreaterThan(0.8);
    for (int d = 0; d < DONORS; d++) {
      for (int e = d + 1; e < DONORS; e++) {
        if (c.sexOfDonor[d] != c.sexOfDonor[e]) continue;
        double along = 0;
        for (int j = 0; j < WIDTH; j++) along += w[j] * (c.mean[d][j] - c.mean[e][j]);
        assertThat(along).as("same-sex pair %d, %d", d, e).isCloseTo(0, within(1e-9));
      }
    }
    // In the plane of the gap's sex-only part and w, the direction kept beside w carries the gap at
    // the signal-to-noise ratio of the gap minus the shared part, under its own noise.
    double[] gap = c.gap();
    double[] cUnit = cUnit(c, gap);
    double[] kept = cUnit.clone();
    double cw = SexOnlyDirection.dot(cUnit, w);
    for (int j = 0; j < WIDTH; j++) kept[j] -= cw * w[j];
    double kn = Math.sqrt(SexOnlyDirection.dot(kept, kept));
    for (int j = 0; j < WIDTH; j++) kept[j] /= kn;
    double keptGap = SexOnlyDirection.dot(kept, gap);
    double snrKept = keptGap * keptGap / SexOnlyDirection.dot(kept, c.noiseTimes(kept));
    double cGap = SexOnlyDirection.dot(cUnit, gap);
    double snrWanted = (cGap * cGap - shared) / SexOnlyDirection.dot(cUnit, c.noiseTimes(cUnit));
    assertThat(snrWanted).isGreaterThan(0);
    assertThat(snrKept).isCloseTo(snrWanted, within(1e-6 * snrWanted));
  }

  @Test
  void anEstimateJustAboveWhatTheGapHoldsAlongItTakesThatWholeWithinTheEstimatesNoise() {
    Cells c = new Cells(7, WIDTH);
    double[] gap = c.gap();
    double[] along = cUnit(c, gap);
    double c2 = Math.pow(SexOnlyDirection.dot(along, gap), 2);
    assertThat(c.find(c2 * 1.1, c2 * 0.1)).as("within two standard errors").containsExactly(along, within(1e-9));
    assertThat(c.find(c2 * 1.1, c2 * 0.01)).as("beyond them").isNull();
    assertThat(c.find(c2 * 1.1, Double.NaN)).as("no standard error").isNull();
  }

  @Test
  void noDirectionWhenTheSharedGapIsAllOfTheGapOrTheDonorsFillTheSpace() {
    Cells c = new Cells(11, WIDTH);
    double[] gap = c.gap();
    assertThat(c.find(SexOnlyDirection.dot(gap, gap) * 2)).as("more to remove than the gap holds").isNull();
    assertThat(c.find(0)).as("nothing to remove").isNull();
    int narrow = DONORS - 3;
    Cells few = new Cells(11, narrow);
    double[] g = new double[narrow];
    for (int d = 0; d < DONORS; d++) for (int j = 0; j < narrow; j++) g[j] += few.mean[d][j] / (few.sexOfDonor[d] == 1 ? 4.0 : -6.0);
    assertThat(SexOnlyDirection.find(few.x, narrow, few.rows, few.donor, few.mean, few.count, few.sexOfDonor, g, 1.0, 1.0))
        .as("8 within-sex deviations fill 7 dimensions").isNull();
  }

  /** The gap's unit part orthogonal to the within-sex deviations of the donor means. */
  private static double[] cUnit(Cells c, double[] gap) {
    double[][] g = new double[2][WIDTH];
    for (int d = 0; d < DONORS; d++) {
      for (int j = 0; j < WIDTH; j++) g[c.sexOfDonor[d]][j] += c.mean[d][j] / (c.sexOfDonor[d] == 1 ? 4.0 : 6.0);
    }
    java.util.List<double[]> basis = new java.util.ArrayList<>();
    for (int d = 0; d < DONORS; d++) {
      double[] r = new double[WIDTH];
      for (int j = 0; j < WIDTH; j++) r[j] = c.mean[d][j] - g[c.sexOfDonor[d]][j];
      for (int pass = 0; pass < 2; pass++) {
        for (double[] b : basis) {
          double p = SexOnlyDirection.dot(r, b);
          for (int j = 0; j < WIDTH; j++) r[j] -= p * b[j];
        }
      }
      double n = Math.sqrt(SexOnlyDirection.dot(r, r));
      if (n < 1e-9) continue;
      for (int j = 0; j < WIDTH; j++) r[j] /= n;
      basis.add(r);
    }
    double[] out = gap.clone();
    for (double[] b : basis) {
      double p = SexOnlyDirection.dot(out, b);
      for (int j = 0; j < WIDTH; j++) out[j] -= p * b[j];
    }
    double n = Math.sqrt(SexOnlyDirection.dot(out, out));
    for (int j = 0; j < WIDTH; j++) out[j] /= n;
    return out;
  }
}
