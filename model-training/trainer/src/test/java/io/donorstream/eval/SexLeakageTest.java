package io.donorstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SexLeakageTest {
  private static final int DONORS = 10;
  private static final int PER_DONOR = 60;
  private static final int DIM = 8;

  @Test
  void aSharedSexDirectionIsFoundAcrossDonors() {
    SexLeakage.Result r = measure(1.5, 0.0);
    assertThat(r.balancedAccuracy()).isGreaterThan(0.85);
    assertThat(r.auc()).isGreaterThan(0.9);
    assertThat(r.groupBalancedAccuracy()).isGreaterThan(0.85);
  }

  @Test
  void donorSpecificOffsetsLeakPerCellButNotAcrossDonors() {
    SexLeakage.Result r = measure(0.0, 2.0);
    assertThat(r.balancedAccuracy()).as("cell-level CV sees each donor in training").isGreaterThan(0.8);
    assertThat(r.groupBalancedAccuracy()).as("held-out donors have unrelated offsets").isLessThan(0.7);
  }

  @Test
  void noSexLabelsMeansNotAvailable() {
    int n = 20;
    int[] sex = new int[n];
    java.util.Arrays.fill(sex, -1);
    SexLeakage.Result r = SexLeakage.measure(new float[n * 2], 2, sex, new int[n], 1);
    assertThat(r.balancedAccuracy()).isNull();
    assertThat(r.groupBalancedAccuracy()).isNull();
    assertThat(r.reason()).contains("no sex labels");
  }

  @Test
  void theDonorGroupedFigureDoesNotDependOnHowDonorsAreDealtIntoFolds() {
    // 14 donors, a weak shared sex shift beside strong donor offsets: a single deal's reading moves
    // with which donors share a fold; the average over deals much less.
    Data d = data(14, 0.3, 1.0, 11);
    double single = spreadOverSeeds(d, 1);
    double averaged = spreadOverSeeds(d, SexLeakage.GROUP_REPEATS);
    assertThat(single).as("a single deal's readings differ from seed to seed").isGreaterThan(0.01);
    assertThat(averaged).as("averaged over %d deals (single deal: SD %.4f)", SexLeakage.GROUP_REPEATS, single).isLessThan(0.6 * single);
  }

  /** Standard deviation of the donor-grouped figure over eight seeds. */
  private static double spreadOverSeeds(Data d, int repeats) {
    double[] v = new double[8];
    double mean = 0;
    for (int seed = 0; seed < v.length; seed++) {
      v[seed] = SexLeakage.measure(d.x, DIM, d.sex, d.donor, 100 + seed, repeats).groupBalancedAccuracy();
      mean += v[seed] / v.length;
    }
    double ss = 0;
    for (double e : v) ss += (e - mean) * (e - mean);
    return Math.sqrt(ss / (v.length - 1));
  }

  private record Data(float[] x, int[] sex, int[] donor) {}

  /** Cells of 10 donors (5 per sex): a shared sex shift plus a random per-donor offset. */
  private static SexLeakage.Result measure(double sexShift, double donorOffset) {
    Data d = data(DONORS, sexShift, donorOffset, 3);
    return SexLeakage.measure(d.x, DIM, d.sex, d.donor, 7);
  }

  /** Cells of {@code donors} donors (alternating sexes): a shared sex shift plus a random per-donor offset. */
  private static Data data(int donors, double sexShift, double donorOffset, long seed) {
    Random rng = new Random(seed);
    int n = donors * PER_DONOR;
    float[] x = new float[n * DIM];
    int[] sex = new int[n];
    int[] donor = new int[n];
    for (int d = 0; d < donors; d++) {
      double[] offset = new double[DIM];
      for (int j = 0; j < DIM; j++) offset[j] = donorOffset * rng.nextGaussian();
      for (int k = 0; k < PER_DONOR; k++) {
        int i = d * PER_DONOR + k;
        sex[i] = d % 2;
        donor[i] = d;
        for (int j = 0; j < DIM; j++) x[i * DIM + j] = (float) (rng.nextGaussian() * 0.5 + offset[j] + (j == 0 ? sexShift * (2 * sex[i] - 1) : 0));
      }
    }
    return new Data(x, sex, donor);
  }
}
