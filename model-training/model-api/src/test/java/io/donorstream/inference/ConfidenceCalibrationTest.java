package io.donorstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfidenceCalibrationTest {

  @Test
  void poolsViolatorsIntoANonDecreasingStep() {
    // Hand-worked PAV: outcomes 1,0 at 0.1,0.2 pool to 0.5; 0 at 0.3 joins them (1/3); 1 at 0.4 stays.
    ConfidenceCalibration c = ConfidenceCalibration.fit(new float[] {0.2f, 0.1f, 0.4f, 0.3f}, new boolean[] {false, true, true, false});
    assertThat(c.apply(0.1)).isCloseTo(1.0 / 3, within(1e-6));
    assertThat(c.apply(0.3)).isCloseTo(1.0 / 3, within(1e-6));
    assertThat(c.apply(0.4)).isCloseTo(1.0, within(1e-6));
    assertThat(c.apply(0.35)).as("linear between knots").isCloseTo((1.0 / 3 + 1) / 2, within(1e-6));
    assertThat(c.apply(0.0)).as("clamped below").isCloseTo(1.0 / 3, within(1e-6));
    assertThat(c.apply(0.9)).as("clamped above").isCloseTo(1.0, within(1e-6));
    for (int i = 1; i < c.accuracy.length; i++) assertThat(c.accuracy[i]).isGreaterThanOrEqualTo(c.accuracy[i - 1]);
  }

  @Test
  void recoversTheTrueAccuracyOfAnOverconfidentModel() {
    // A model whose confidence c is right with probability c^2 (overconfident, as deep nets are).
    SplittableRandom rng = new SplittableRandom(7);
    int n = 20_000;
    float[] conf = new float[n];
    boolean[] right = new boolean[n];
    for (int i = 0; i < n; i++) {
      conf[i] = (float) (0.2 + 0.8 * rng.nextDouble());
      right[i] = rng.nextDouble() < conf[i] * conf[i];
    }
    ConfidenceCalibration c = ConfidenceCalibration.fit(conf, right);
    for (double x : new double[] {0.3, 0.5, 0.7, 0.9}) assertThat(c.apply(x)).as("at %s", x).isCloseTo(x * x, within(0.05));

    float[] calibrated = new float[n];
    for (int i = 0; i < n; i++) calibrated[i] = (float) c.apply(conf[i]);
    assertThat(CalibrationBins.ece(conf, right)).isGreaterThan(0.1);
    assertThat(CalibrationBins.ece(calibrated, right)).isLessThan(0.02);
  }

  @Test
  void eceIsTheWeightedGapPerBin() {
    // Bin 0.9-1.0: 2 cells at 0.95, one right (gap 0.45); bin 0.5-0.6: 2 cells at 0.55, both right (gap 0.45).
    assertThat(CalibrationBins.ece(new float[] {0.95f, 0.95f, 0.55f, 0.55f}, new boolean[] {true, false, true, true}))
        .isCloseTo(0.45, within(1e-6));
    assertThat(new CalibrationBins().expectedCalibrationError()).isNull();
  }
}
