package io.donorstream.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SexErasureTest {
  private static final int WIDTH = 6;

  /**
   * Twelve donors (five female) with their own random offsets; with {@code shift}, the sexes also
   * sit {@code 2 * shift} apart on the first axis. Donors have unequal cell counts, so a
   * cell-weighted difference would lean towards the largest donors.
   */
  private static Cells cells(double shift, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int donors = 12;
    double[][] offset = new double[donors][WIDTH];
    int[] sexOfDonor = new int[donors];
    for (int d = 0; d < donors; d++) {
      sexOfDonor[d] = d < 5 ? 1 : 0;
      for (int j = 0; j < WIDTH; j++) offset[d][j] = rng.nextDouble(-1, 1);
      offset[d][0] += sexOfDonor[d] == 1 ? shift : -shift;
    }
    int n = 0;
    int[] cellsOf = new int[donors];
    for (int d = 0; d < donors; d++) n += cellsOf[d] = 20 + 30 * d;
    Cells c = new Cells(new float[n * WIDTH], new int[n], new int[n], new int[n], sexOfDonor);
    int i = 0;
    for (int d = 0; d < donors; d++) {
      for (int k = 0; k < cellsOf[d]; k++, i++) {
        c.rows[i] = i;
        c.donor[i] = d;
        c.sex[i] = sexOfDonor[d];
        for (int j = 0; j < WIDTH; j++) c.x[i * WIDTH + j] = (float) (offset[d][j] + 0.5 * gaussian(rng));
      }
    }
    return c;
  }

  private record Cells(float[] x, int[] rows, int[] donor, int[] sex, int[] sexOfDonor) {
    SexErasure fit() {
      return SexErasure.fit(x, WIDTH, rows, donor, sex, sexOfDonor.length);
    }

    double gapAlong(float[] u) {
      double gap = 0;
      for (int j = 0; j < WIDTH; j++) gap += u[j] * donorBalancedGap(x, j, donor, sexOfDonor, sexOfDonor.length);
      return gap;
    }
  }

  @Test
  void aSexDifferenceSharedByAllDonorsIsFoundAndRemovedEntirely() {
    Cells c = cells(3, 3);
    SexErasure e = c.fit();
    assertThat(Math.abs(e.direction()[0])).as("along the planted axis").isGreaterThan(0.95f);
    assertThat(e.sharedT()).as("left-out donors fall on their sex's side").isGreaterThan(SexErasure.SHARED_T);
    assertThat(e.strength()).isEqualTo(1f);
    e.applyInPlace(c.x(), WIDTH);
    assertThat(c.gapAlong(e.direction())).isCloseTo(0, within(1e-4));
  }

  @Test
  void aGroupDifferenceThatIsOnlyChanceBetweenDonorsIsMostlyLeftAlone() {
    Cells c = cells(0, 5);
    SexErasure e = c.fit();
    assertThat(e.sharedT()).isLessThan(SexErasure.SHARED_T);
    assertThat(e.strength()).as("left-out donors do not follow the others' sex difference").isLessThan(0.25f);
    double before = c.gapAlong(e.direction());
    e.applyInPlace(c.x(), WIDTH);
    assertThat(c.gapAlong(e.direction())).isCloseTo((1 - e.strength()) * before, within(1e-3));
  }

  @Test
  void aSingleSexOrUnknownSexGivesNoErasure() {
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    int[] rows = {0, 1};
    assertThat(SexErasure.fit(x, WIDTH, rows, new int[] {0, 1}, new int[] {1, 1}, 2)).isNull();
    assertThat(SexErasure.fit(x, WIDTH, rows, new int[] {0, 1}, new int[] {-1, 0}, 2)).isNull();
  }

  static double donorBalancedGap(float[] x, int j, int[] donor, int[] sexOfDonor, int donors) {
    double[] sum = new double[donors];
    int[] count = new int[donors];
    for (int i = 0; i < donor.length; i++) {
      sum[donor[i]] += x[i * WIDTH + j];
      count[donor[i]]++;
    }
    double f = 0, m = 0;
    int nf = 0, nm = 0;
    for (int d = 0; d < donors; d++) {
      if (sexOfDonor[d] == 1) {
        f += sum[d] / count[d];
        nf++;
      } else {
        m += sum[d] / count[d];
        nm++;
      }
    }
    return f / nf - m / nm;
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
