package io.donorstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DonorNoveltyTest {
  /** Cells of {@code donors} donors, each donor a random offset of length 2 in 16 dimensions plus unit noise. */
  static EncodedCells cells(double[][] offsets, int[] donorOfCell, Random rng) {
    int w = offsets[0].length;
    float[] gene = new float[donorOfCell.length * w];
    for (int i = 0; i < donorOfCell.length; i++) {
      for (int j = 0; j < w; j++) gene[i * w + j] = (float) (offsets[donorOfCell[i]][j] + rng.nextGaussian());
    }
    int[] none = new int[donorOfCell.length];
    return new EncodedCells(new String[donorOfCell.length], w, gene, none, donorOfCell, none);
  }

  static double[][] offsets(int donors, int w, Random rng) {
    double[][] o = new double[donors][w];
    for (double[] v : o) {
      double n = 0;
      for (int j = 0; j < w; j++) n += (v[j] = rng.nextGaussian()) * v[j];
      for (int j = 0; j < w; j++) v[j] *= 2 / Math.sqrt(n);
    }
    return o;
  }

  static int[] cycle(int n, int from, int count) {
    int[] d = new int[n];
    for (int i = 0; i < n; i++) d[i] = from + i % count;
    return d;
  }

  @Test
  void leavingADonorOutOnValidationForetellsTheNoveltyOfNewDonors() {
    Random rng = new Random(3);
    double[][] all = offsets(12, 16, rng);
    DonorNovelty n = DonorNovelty.fit(cells(all, cycle(4000, 0, 8), rng), cells(all, cycle(2000, 0, 8), rng), 8);
    assertThat(n.informative()).isTrue();
    float[] fresh = n.scores(cells(all, cycle(3000, 8, 4), rng).gene(), 3000);
    double mean = 0;
    for (float f : fresh) mean += f / fresh.length;
    // New donors' cells sit where left-out known donors' did.
    assertThat(mean).isCloseTo(n.unseenMean(), within(0.1 * (n.unseenMean() - n.knownMean()) + 0.5));
    DonorNovelty.Share share = DonorNovelty.unknownShare(n.knownMean(), n.knownSd(), n.unseenMean(), fresh.length, mean, n.knownSd());
    assertThat(share.share()).isGreaterThan(0.8);
    float[] known = n.scores(cells(all, cycle(3000, 0, 8), rng).gene(), 3000);
    double knownMean = 0;
    for (float f : known) knownMean += f / known.length;
    assertThat(DonorNovelty.unknownShare(n.knownMean(), n.knownSd(), n.unseenMean(), known.length, knownMean, n.knownSd()).share())
        .isLessThan(0.15);
  }

  @Test
  void squaredDistanceMatchesTheSumOfSquaresAtEveryWidthAndOffset() {
    Random rng = new Random(5);
    for (int w : new int[] {1, 2, 3, 4, 5, 7, 50, 511, 512}) {
      float[] c = new float[w];
      float[] x = new float[3 * w + 1];
      for (int j = 0; j < w; j++) c[j] = (float) rng.nextGaussian();
      for (int j = 0; j < x.length; j++) x[j] = (float) rng.nextGaussian();
      for (int from : new int[] {0, 1, 2 * w}) {
        double exact = 0;
        for (int j = 0; j < w; j++) exact += Math.pow((double) x[from + j] - c[j], 2);
        assertThat((double) DonorNovelty.squaredDistance(x, from, c)).as("width %d from %d", w, from).isCloseTo(exact, within(1e-5 * exact + 1e-6));
      }
    }
  }
}
