package io.donorstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

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
    int n = t.size();
    int[] rows = new int[n];
    int[] type = new int[n];
    int[] donor = new int[n];
    int[] sex = new int[n];
    Map<String, Integer> types = new LinkedHashMap<>();
    Map<String, Integer> donors = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      rows[i] = i;
      type[i] = types.computeIfAbsent(t.cellTypes()[i], k -> types.size());
      donor[i] = donors.computeIfAbsent(t.donorIds()[i], k -> donors.size());
      sex[i] = "female".equals(t.sexes()[i]) ? 1 : 0;
    }
    CellPreprocessor.Labels labels = new CellPreprocessor.Labels(type, types.size(), donor, donors.size(), sex);
    float[][] noText = new float[types.size()][1];

    CellPreprocessor erasing = CellPreprocessor.fit(t.embedding(), WIDTH, rows, labels, noText, true);
    float[] erased = erasing.embeddings(t.embedding(), WIDTH, rows, type);
    double turned = SexLeakage.measure(erased, WIDTH, sex, donor, 1).groupBalancedAccuracy();

    float[] plain = CellPreprocessor.fit(t.embedding(), WIDTH, rows, labels, noText, false).embeddings(t.embedding(), WIDTH, rows, type);
    double before = SexLeakage.measure(plain, WIDTH, sex, donor, 1).groupBalancedAccuracy();
    new SexErasure(unit(donorBalancedGap(plain, donor, sex, donors.size())), 1f).applyInPlace(plain, WIDTH);
    double inSample = SexLeakage.measure(plain, WIDTH, sex, donor, 1).groupBalancedAccuracy();

    assertThat(before).as("sex is shared across donors before any erasure").isGreaterThan(0.8);
    assertThat(erasing.sexErasure().strength()).isEqualTo(1f);
    assertThat(erasing.sexErasure().turnDegrees()).as("turned from the in-sample direction, not replaced").isBetween(1.0, 45.0);
    assertThat(turned).as("held-out donors after the erasure").isBetween(0.4, 0.6);
    assertThat(inSample).as("held-out donors after erasing the in-sample direction").isLessThan(0.4);
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
