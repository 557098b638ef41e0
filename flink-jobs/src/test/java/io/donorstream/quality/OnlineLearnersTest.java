package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The online sex probe and the online challenger on latents with known structure. */
class OnlineLearnersTest {
  static final int DIM = 16;

  /** 40 donors, half female, each with its own centre; sex shifts dimension 0 by {@code sexShift}. */
  static List<Object[]> stream(double sexShift, int cells, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int donors = 40;
    double[][] centre = new double[donors][DIM];
    for (double[] c : centre) for (int j = 0; j < DIM; j++) c[j] = rng.nextGaussian();
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < cells; i++) {
      int d = rng.nextInt(donors);
      boolean female = d % 2 == 0;
      float[] x = new float[DIM];
      for (int j = 0; j < DIM; j++) x[j] = (float) (centre[d][j] + 0.5 * rng.nextGaussian());
      x[0] += (float) (female ? sexShift : -sexShift);
      out.add(new Object[] {x, "donor-" + d, female ? "female" : "male"});
    }
    return out;
  }

  @Test
  void theProbeFindsAPlantedSexSignalOnHeldOutDonors() {
    OnlineSexProbe probe = new OnlineSexProbe(DIM, 0.999);
    for (Object[] c : stream(2.0, 20_000, 1)) probe.observe((float[]) c[0], (String) c[1], (String) c[2]);
    assertThat(probe.groupedLeakage()).isGreaterThan(0.3);
    assertThat(probe.leakage()).isGreaterThan(0.3);
    assertThat(probe.groupedAuc()).isGreaterThan(0.9);
  }

  @Test
  void withoutASexSignalTheHeldOutDonorsShowNone() {
    OnlineSexProbe probe = new OnlineSexProbe(DIM, 0.999);
    for (Object[] c : stream(0.0, 20_000, 2)) probe.observe((float[]) c[0], (String) c[1], (String) c[2]);
    assertThat(probe.groupedLeakage()).isNotNull();
    assertThat(Math.abs(probe.groupedLeakage())).isLessThan(0.05);
  }

  @Test
  void donorsSpreadOverFiveStableFolds() {
    int[] perFold = new int[OnlineSexProbe.FOLDS];
    for (int d = 0; d < 1000; d++) perFold[OnlineSexProbe.fold("donor-" + d)]++;
    for (int n : perFold) assertThat(n).isBetween(150, 250);
    assertThat(OnlineSexProbe.fold("donor-7")).isEqualTo(OnlineSexProbe.fold("donor-7"));
  }

  @Test
  void theChallengerLearnsADonorItHasNeverSeen() {
    NearestMeanChallenger challenger = new NearestMeanChallenger(DIM, 0.99);
    List<Object[]> cells = stream(0.0, 6000, 3);
    for (Object[] c : cells.subList(0, 3000)) {
      if (!c[1].equals("donor-0")) challenger.observe((float[]) c[0], (String) c[1]);
    }
    // donor-0 appears: the first cell cannot be right, later ones are.
    int right = 0;
    int seen = 0;
    for (Object[] c : cells.subList(3000, 6000)) {
      String answer = challenger.observe((float[]) c[0], (String) c[1]);
      if (c[1].equals("donor-0")) {
        if (seen == 0) assertThat(answer).isNotEqualTo("donor-0");
        else if (seen >= 5 && answer.equals("donor-0")) right++;
        seen++;
      }
    }
    assertThat((double) right / (seen - 5)).isGreaterThan(0.8);
    assertThat(challenger.accuracy()).isGreaterThan(0.8);
  }

  @Test
  void fadingRateForgetsTheOldRegime() {
    FadingRate r = new FadingRate(0.99);
    assertThat(r.rate()).isNull();
    for (int i = 0; i < 2000; i++) r.add(true);
    for (int i = 0; i < 2000; i++) r.add(false);
    assertThat(r.rate()).isCloseTo(0.0, within(1e-6));
  }

  @Test
  void aucOfSeparatedAndOfIdenticalScores() {
    BinaryScores separated = new BinaryScores(1.0);
    BinaryScores identical = new BinaryScores(1.0);
    for (int i = 0; i < 100; i++) {
      separated.add(0.9, true);
      separated.add(0.1, false);
      identical.add(0.5, true);
      identical.add(0.5, false);
    }
    assertThat(separated.auc()).isEqualTo(1.0);
    assertThat(separated.balancedAccuracy()).isEqualTo(1.0);
    assertThat(identical.auc()).isEqualTo(0.5);
  }
}
