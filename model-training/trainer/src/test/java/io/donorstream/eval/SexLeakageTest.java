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

  /** Cells of 10 donors (5 per sex): a shared sex shift plus a random per-donor offset. */
  private static SexLeakage.Result measure(double sexShift, double donorOffset) {
    Random rng = new Random(3);
    int n = DONORS * PER_DONOR;
    float[] x = new float[n * DIM];
    int[] sex = new int[n];
    int[] donor = new int[n];
    for (int d = 0; d < DONORS; d++) {
      double[] offset = new double[DIM];
      for (int j = 0; j < DIM; j++) offset[j] = donorOffset * rng.nextGaussian();
      for (int k = 0; k < PER_DONOR; k++) {
        int i = d * PER_DONOR + k;
        sex[i] = d % 2;
        donor[i] = d;
        for (int j = 0; j < DIM; j++) x[i * DIM + j] = (float) (rng.nextGaussian() * 0.5 + offset[j] + (j == 0 ? sexShift * (2 * sex[i] - 1) : 0));
      }
    }
    return SexLeakage.measure(x, DIM, sex, donor, 7);
  }
}
