package io.donorstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.data.CellTable;
import io.donorstream.preprocess.CellPreprocessor;
import io.donorstream.preprocess.SexErasure;
import io.donorstream.synth.CellTypeCatalog;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The input erasure on data shaped as seed-cns (14 donors, 6 female, a sex shift shared by all):
 * a probe trained on some donors must not read the others' sex, neither forwards (sex left) nor
 * backwards (the groups balanced exactly, as erasing the in-sample female–male direction leaves
 * them).
 */
class SexErasureLeakageTest {
  private static final int WIDTH = 64;

  @Test
  void aProbeOnHeldOutDonorsReadsChanceAfterTheErasureAndBackwardsAfterTheInSampleOne() {
    int[] counts = {1400, 1000, 800, 600};
    SyntheticSpec spec = new SyntheticSpec("test", 3800, 6, 8, CellTypeCatalog.first(4), counts, WIDTH, 32, 0.1, "X_emb", 2.0, 1.5, 6.0, 3);
    CellTable t = SyntheticDataGenerator.generate(spec, "erasure").table();
    CellPreprocessor.Labels labels = labelsOf(t);
    int[] rows = java.util.stream.IntStream.range(0, t.size()).toArray();
    int[] type = labels.typeOfRow();
    int[] donor = labels.donorOfRow();
    int[] sex = labels.sexOfRow();
    float[][] noText = new float[labels.types()][1];

    CellPreprocessor erasing = CellPreprocessor.fit(t.embedding(), WIDTH, rows, labels, noText, true);
    float[] erased = erasing.embeddings(t.embedding(), WIDTH, rows, type);
    double turned = SexLeakage.measure(erased, WIDTH, sex, donor, 1).groupBalancedAccuracy();

    float[] plain = CellPreprocessor.fit(t.embedding(), WIDTH, rows, labels, noText, false).embeddings(t.embedding(), WIDTH, rows, type);
    double before = SexLeakage.measure(plain, WIDTH, sex, donor, 1).groupBalancedAccuracy();
    new SexErasure(unit(donorBalancedGap(plain, donor, sex, labels.donors())), 1f).applyInPlace(plain, WIDTH);
    double inSample = SexLeakage.measure(plain, WIDTH, sex, donor, 1).groupBalancedAccuracy();

    assertThat(before).as("sex is shared across donors before any erasure").isGreaterThan(0.8);
    assertThat(erasing.sexErasure().strength()).isEqualTo(1f);
    assertThat(erasing.sexErasure().turnDegrees()).as("turned from the in-sample direction, not replaced").isBetween(1.0, 45.0);
    assertThat(turned).as("held-out donors after the erasure").isBetween(0.4, 0.6);
    assertThat(inSample).as("held-out donors after erasing the in-sample direction").isLessThan(0.4);
  }

  /**
   * The erasure against the truth: the generator's sex-free twin (same seed, no sex shift) holds
   * the same cells with the planted sex direction taken out, so the twin's donor accuracy is what an
   * erasure should keep. Telling apart two donors of the same sex needs no sex at all, so that must
   * not change; erasing identity along with sex (as turning the in-sample direction towards it did)
   * lowers it.
   */
  @Test
  void theErasureCostsNoMoreIdentityThanTakingOutThePlantedSexShift() {
    int[] counts = {8000, 5000, 4000, 3000};
    SyntheticSpec spec = new SyntheticSpec("test", 20000, 6, 8, CellTypeCatalog.first(4), counts, WIDTH, 32, 0.1, "X_emb", 2.0, 1.5, 6.0, 101);
    SyntheticSpec twinSpec = new SyntheticSpec("test", 20000, 6, 8, CellTypeCatalog.first(4), counts, WIDTH, 32, 0.1, "X_emb", 2.0, 0.0, 6.0, 101);
    CellTable t = SyntheticDataGenerator.generate(spec, "erasure").table();
    CellTable twin = SyntheticDataGenerator.generate(twinSpec, "erasure").table();
    CellPreprocessor.Labels labels = labelsOf(t);
    int[] type = labels.typeOfRow();
    int[] donor = labels.donorOfRow();
    int[] sex = labels.sexOfRow();
    int[] train = java.util.stream.IntStream.range(0, t.size()).filter(i -> i % 3 != 0).toArray();
    int[] test = java.util.stream.IntStream.range(0, t.size()).filter(i -> i % 3 == 0).toArray();
    float[][] noText = new float[labels.types()][1];

    CellPreprocessor erasing = CellPreprocessor.fit(t.embedding(), WIDTH, train, labels, noText, true);
    float[] erasedTrain = erasing.embeddings(t.embedding(), WIDTH, train, type);
    double erasedAccuracy = nearestMeanAccuracy(erasedTrain, erasing.embeddings(t.embedding(), WIDTH, test, type), donor, train, test, null);
    CellPreprocessor twinning = CellPreprocessor.fit(twin.embedding(), WIDTH, train, labels, noText, false);
    double twinAccuracy = nearestMeanAccuracy(twinning.embeddings(twin.embedding(), WIDTH, train, type),
        twinning.embeddings(twin.embedding(), WIDTH, test, type), donor, train, test, null);
    CellPreprocessor plain = CellPreprocessor.fit(t.embedding(), WIDTH, train, labels, noText, false);
    double withinSexBefore = nearestMeanAccuracy(plain.embeddings(t.embedding(), WIDTH, train, type),
        plain.embeddings(t.embedding(), WIDTH, test, type), donor, train, test, sex);
    double withinSexAfter = nearestMeanAccuracy(erasedTrain, erasing.embeddings(t.embedding(), WIDTH, test, type), donor, train, test, sex);
    float[] erasedTest = erasing.embeddings(t.embedding(), WIDTH, test, type);
    double probe = SexLeakage.measure(erasedTest, WIDTH, select(sex, test), select(donor, test), 1).groupBalancedAccuracy();

    assertThat(erasing.sexErasure().sameSexPairsKept()).isTrue();
    assertThat(withinSexAfter).as("telling apart donors of the same sex, before the erasure " + withinSexBefore)
        .isCloseTo(withinSexBefore, within(2.0 / test.length));
    assertThat(erasedAccuracy).as("donor accuracy after the erasure, against the sex-free twin's " + twinAccuracy)
        .isGreaterThan(twinAccuracy - 0.015);
    assertThat(probe).as("held-out donors after the erasure").isBetween(0.45, 0.55);
  }

  /** Cell types, donors and sexes (1 female) as indices, in order of first appearance. */
  private static CellPreprocessor.Labels labelsOf(CellTable t) {
    int n = t.size();
    int[] type = new int[n];
    int[] donor = new int[n];
    int[] sex = new int[n];
    Map<String, Integer> types = new LinkedHashMap<>();
    Map<String, Integer> donors = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      type[i] = types.computeIfAbsent(t.cellTypes()[i], k -> types.size());
      donor[i] = donors.computeIfAbsent(t.donorIds()[i], k -> donors.size());
      sex[i] = "female".equals(t.sexes()[i]) ? 1 : 0;
    }
    return new CellPreprocessor.Labels(type, types.size(), donor, donors.size(), sex);
  }

  /**
   * Nearest donor mean (with the training donor shares as priors), fitted on train, read on test.
   *
   * @param sex per cell, to choose only among the donors of the cell's own sex; null for all donors
   */
  private static double nearestMeanAccuracy(float[] trainX, float[] testX, int[] donor, int[] train, int[] test, int[] sex) {
    int donors = java.util.Arrays.stream(donor).max().orElse(0) + 1;
    int[] sexOfDonor = new int[donors];
    if (sex != null) for (int i = 0; i < donor.length; i++) sexOfDonor[donor[i]] = sex[i];
    double[][] mean = new double[donors][WIDTH];
    int[] count = new int[donors];
    for (int k = 0; k < train.length; k++) {
      int d = donor[train[k]];
      count[d]++;
      for (int j = 0; j < WIDTH; j++) mean[d][j] += trainX[k * WIDTH + j];
    }
    double var = 0;
    for (int d = 0; d < donors; d++) for (int j = 0; j < WIDTH; j++) mean[d][j] /= count[d];
    for (int k = 0; k < train.length; k++) {
      double[] m = mean[donor[train[k]]];
      for (int j = 0; j < WIDTH; j++) var += Math.pow(trainX[k * WIDTH + j] - m[j], 2);
    }
    var /= (double) train.length * WIDTH;
    int correct = 0;
    for (int k = 0; k < test.length; k++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int d = 0; d < donors; d++) {
        if (sex != null && sexOfDonor[d] != sex[test[k]]) continue;
        double s = 0;
        for (int j = 0; j < WIDTH; j++) s -= Math.pow(testX[k * WIDTH + j] - mean[d][j], 2);
        s = s / (2 * var) + Math.log(count[d]);
        if (s > bestScore) {
          bestScore = s;
          best = d;
        }
      }
      if (best == donor[test[k]]) correct++;
    }
    return (double) correct / test.length;
  }

  private static int[] select(int[] v, int[] rows) {
    int[] out = new int[rows.length];
    for (int k = 0; k < rows.length; k++) out[k] = v[rows[k]];
    return out;
  }

  private static double[] donorBalancedGap(float[] x, int[] donor, int[] sex, int donors) {
    double[][] mean = new double[donors][WIDTH];
    int[] count = new int[donors];
    int[] sexOf = new int[donors];
    for (int i = 0; i < donor.length; i++) {
      count[donor[i]]++;
      sexOf[donor[i]] = sex[i];
      for (int j = 0; j < WIDTH; j++) mean[donor[i]][j] += x[i * WIDTH + j];
    }
    int females = 0;
    for (int d = 0; d < donors; d++) females += sexOf[d];
    double[] gap = new double[WIDTH];
    for (int d = 0; d < donors; d++) {
      for (int j = 0; j < WIDTH; j++) gap[j] += mean[d][j] / count[d] / (sexOf[d] == 1 ? females : -(donors - females));
    }
    return gap;
  }

  private static float[] unit(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    float[] u = new float[v.length];
    for (int j = 0; j < v.length; j++) u[j] = (float) (v[j] / Math.sqrt(s));
    return u;
  }
}
