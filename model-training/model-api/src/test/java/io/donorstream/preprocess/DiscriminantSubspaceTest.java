package io.donorstream.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscriminantSubspaceTest {
  /** Five donors told apart along four of 40 directions; the other 36 carry noise only. */
  @Test
  void keepsTheDirectionsThatTellDonorsApartWhitenedAndDropsTheNoise() {
    int width = 40;
    int donors = 5;
    int n = 4000;
    SplittableRandom rng = new SplittableRandom(3);
    float[][] centres = new float[donors][width];
    for (int k = 0; k < donors; k++) for (int j = 0; j < donors - 1; j++) centres[k][j] = (float) (2 * rng.nextGaussian());
    float[] x = new float[n * width];
    int[] donorOfRow = new int[n];
    for (int i = 0; i < n; i++) {
      donorOfRow[i] = i % donors;
      for (int j = 0; j < width; j++) x[i * width + j] = centres[i % donors][j] + (float) rng.nextGaussian();
    }
    DiscriminantSubspace s = DiscriminantSubspace.fit(x, width, donorOfRow, donors, 0.0);
    assertThat(s.dims()).isEqualTo(donors - 1);
    float[] y = s.apply(x);

    // Unshrunk, the projection whitens the within-donor scatter: unit variance, no correlation.
    double[][] means = new double[donors][s.dims()];
    for (int i = 0; i < n; i++) for (int c = 0; c < s.dims(); c++) means[donorOfRow[i]][c] += y[i * s.dims() + c] / (n / donors);
    double[][] within = new double[s.dims()][s.dims()];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < s.dims(); a++) {
        for (int b = 0; b < s.dims(); b++) {
          within[a][b] += (y[i * s.dims() + a] - means[donorOfRow[i]][a]) * (y[i * s.dims() + b] - means[donorOfRow[i]][b]) / n;
        }
      }
    }
    for (int a = 0; a < s.dims(); a++) {
      for (int b = 0; b < s.dims(); b++) assertThat(within[a][b]).as(a + "," + b).isCloseTo(a == b ? 1.0 : 0.0, org.assertj.core.api.Assertions.within(1e-3));
    }
    // A step along a noise direction moves the projection far less than the same step along a donor direction.
    assertThat(shift(s, x, 20)).as("noise direction").isLessThan(shift(s, x, 0) / 10);
  }

  private static double shift(DiscriminantSubspace s, float[] x, int direction) {
    float[] cell = java.util.Arrays.copyOf(x, s.width());
    float[] moved = cell.clone();
    moved[direction] += 1;
    float[] a = s.apply(cell);
    float[] b = s.apply(moved);
    double shift = 0;
    for (int c = 0; c < s.dims(); c++) shift += Math.abs(a[c] - b[c]);
    return shift;
  }

  @Test
  void isStoredAndRebuiltBitForBit() {
    int width = 8;
    float[] x = new float[200 * width];
    int[] donorOfRow = new int[200];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      donorOfRow[i] = i % 3;
      for (int j = 0; j < width; j++) x[i * width + j] = (float) (rng.nextGaussian() + (j == i % 3 ? 2 : 0));
    }
    DiscriminantSubspace s = DiscriminantSubspace.fit(x, width, donorOfRow, 3, DiscriminantSubspace.SHRINKAGE);
    DiscriminantSubspace rebuilt = new DiscriminantSubspace(s.projection().clone(), width, s.dims());
    assertThat(rebuilt.apply(x)).containsExactly(s.apply(x));
  }
}
