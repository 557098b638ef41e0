package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.inference.ConfidenceCalibration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import io.donorstream.inference.DonorNovelty;
import org.junit.jupiter.api.Test;

class QualityReportMakerTest {
  static final ModelInfo MODEL = new ModelInfo("vanilla", "3", Set.of("A", "B", "C"),
      Map.of("A", "female", "B", "female", "C", "male"), null, Map.of("T", 0.5, "B cell", 0.5), null);

  static Outcome labelled(String predicted, String truth, String sex, String type, float confidence) {
    return new Outcome("c", "vanilla", "3", 1000, predicted, confidence, false, type, new float[0], truth, sex, true);
  }

  @Test
  void everyMetricMatchesAHandComputedValue() {
    QualityStats s = new QualityStats();
    // truth A (female): right, right, wrong->C (male, cross-sex)
    // truth C (male):   right, wrong->A (cross-sex), wrong->B (cross-sex)
    // truth D (male, unseen by the model): wrong->C (same sex)
    List<Outcome> outcomes = List.of(
        labelled("A", "A", "female", "T", 0.92f), labelled("A", "A", "female", "T", 0.82f), labelled("C", "A", "female", "B cell", 0.62f),
        labelled("C", "C", "male", "T", 0.75f), labelled("A", "C", "male", "T", 0.55f), labelled("B", "C", "male", "B cell", 0.45f),
        labelled("C", "D", "male", "T", 0.35f),
        new Outcome("c", "vanilla", "3", 1000, "B", 0.2f, true, "T", new float[0], null, null, true));
    outcomes.forEach(s::add);
    QualitySnapshot q = QualityReportMaker.make(s, MODEL, 0, 60_000);

    assertThat(q.predictions()).isEqualTo(8);
    assertThat(q.labelled()).isEqualTo(7);
    assertThat(q.accuracy()).isCloseTo(3.0 / 7, within(1e-9));
    // Per donor (tp, fp, fn): A (2, 1, 1) f1 2/3; B (0, 1, 0) f1 0; C (1, 2, 2) f1 1/3; D (0, 0, 1) f1 0.
    assertThat(q.macroF1()).isCloseTo((2.0 / 3 + 0 + 1.0 / 3 + 0) / 4, within(1e-9));
    // Recall over true donors A 2/3, C 1/3, D 0.
    assertThat(q.balancedAccuracy()).isCloseTo((2.0 / 3 + 1.0 / 3 + 0) / 3, within(1e-9));
    assertThat(q.perCellTypeAccuracy()).containsOnlyKeys("T", "B cell");
    assertThat(q.perCellTypeAccuracy().get("T")).isCloseTo(3.0 / 5, within(1e-9));
    assertThat(q.perCellTypeAccuracy().get("B cell")).isCloseTo(0.0, within(1e-9));
    assertThat(q.perSexAccuracy().get("female")).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(q.perSexAccuracy().get("male")).isCloseTo(1.0 / 4, within(1e-9));
    assertThat(q.sexAccuracyGap()).isCloseTo(2.0 / 3 - 1.0 / 4, within(1e-9));
    // Errors: A->C cross, C->A cross, C->B cross, D->C same sex: 3 of 4.
    assertThat(q.crossSexErrorRate()).isCloseTo(3.0 / 4, within(1e-9));
    assertThat(q.unknownDonorRate()).isCloseTo(1.0 / 8, within(1e-9));
    assertThat(q.unseenDonorLabelShare()).isCloseTo(1.0 / 7, within(1e-9));
    assertThat(q.meanConfidence()).isCloseTo((0.92 + 0.82 + 0.62 + 0.75 + 0.55 + 0.45 + 0.35 + 0.2) / 8, within(1e-6));
    // One labelled cell per confidence bin (all away from bin edges): ECE = mean |confidence - right|.
    double ece = (0.08 + 0.18 + 0.62 + 0.25 + 0.55 + 0.45 + 0.35) / 7;
    assertThat(q.ece()).isCloseTo(ece, within(1e-6));
    assertThat(q.estimatedAccuracy()).as("no calibration map: not available").isNull();
    // Mix: T 6/8, B cell 2/8 against 1/2, 1/2.
    double psi = (0.75 - 0.5) * Math.log(0.75 / 0.5) + (0.25 - 0.5) * Math.log(0.25 / 0.5);
    assertThat(q.cellTypePsi()).isCloseTo(psi, within(1e-9));
  }

  @Test
  void mergedWindowsEqualOneWindow() {
    QualityStats a = new QualityStats();
    QualityStats b = new QualityStats();
    QualityStats both = new QualityStats();
    SplittableRandom rng = new SplittableRandom(3);
    String[] donors = {"A", "B", "C"};
    for (int i = 0; i < 500; i++) {
      Outcome o = labelled(donors[rng.nextInt(3)], donors[rng.nextInt(3)], rng.nextBoolean() ? "female" : "male", "T", (float) rng.nextDouble());
      (i % 2 == 0 ? a : b).add(o);
      both.add(o);
    }
    assertThat(QualityReportMaker.make(a.merge(b), MODEL, 0, 1)).isEqualTo(QualityReportMaker.make(both, MODEL, 0, 1));
  }

  @Test
  void lateLabelsCountOnlyTowardsLabelledMetrics() {
    QualityStats s = new QualityStats();
    s.add(new Outcome("c", "vanilla", "3", 1000, "A", 0.9f, false, "T", new float[0], null, null, true));
    s.add(new Outcome("c", "vanilla", "3", 1000, "A", 0.9f, false, "T", new float[0], "A", "female", false));
    QualitySnapshot q = QualityReportMaker.make(s, MODEL, 0, 1);
    assertThat(q.predictions()).isEqualTo(1);
    assertThat(q.labelled()).isEqualTo(1);
    assertThat(q.accuracy()).isEqualTo(1.0);
  }

  /** CBPE: on a stream whose confidences are calibrated by the map, the label-free estimate tracks accuracy. */
  @Test
  void labelFreeAccuracyIsWithinTwoPointsOfRealisedAccuracy() {
    SplittableRandom rng = new SplittableRandom(11);
    // The model is overconfident: right with probability c^1.5. Calibration is fitted on a validation sample.
    int n = 5000;
    float[] vc = new float[n];
    boolean[] vr = new boolean[n];
    for (int i = 0; i < n; i++) {
      vc[i] = (float) (0.1 + 0.9 * rng.nextDouble());
      vr[i] = rng.nextDouble() < Math.pow(vc[i], 1.5);
    }
    ModelInfo model = new ModelInfo("vanilla", "3", MODEL.donors(), MODEL.donorSex(), ConfidenceCalibration.fit(vc, vr), Map.of(), null);
    // A live window with a different confidence mix (lower), labels on a fifth of the cells.
    QualityStats live = new QualityStats();
    for (int i = 0; i < 4000; i++) {
      float c = (float) (0.1 + 0.6 * rng.nextDouble());
      boolean right = rng.nextDouble() < Math.pow(c, 1.5);
      boolean withLabel = rng.nextInt(5) == 0;
      live.add(new Outcome("c", "vanilla", "3", 1000, "A", c, false, "T", new float[0], withLabel ? (right ? "A" : "B") : null, null, true));
    }
    QualitySnapshot q = QualityReportMaker.make(live, model, 0, 1);
    double expected = 0;
    for (int k = 0; k < 1000; k++) expected += Math.pow(0.1 + 0.6 * (k + 0.5) / 1000, 1.5) / 1000;
    assertThat(q.estimatedAccuracy()).isCloseTo(expected, within(0.02));
    assertThat(q.estimatedAccuracy()).isCloseTo(q.accuracy(), within(0.03));
    assertThat(q.meanConfidence() - expected).as("raw confidence overstates accuracy").isGreaterThan(0.08);
    assertThat(q.estimationError()).isCloseTo(q.estimatedAccuracy() - q.accuracy(), within(1e-12));
  }

  /**
   * Open-set CBPE: cells of donors the model does not know sit further from the known donors; their
   * share, read off the window's mean novelty between validation's known (40) and left-out-donor (50)
   * means, takes the estimate down where plain CBPE stays.
   */
  @Test
  void theOpenSetEstimateFallsWithTheShareOfCellsFromUnknownDonors() {
    SplittableRandom rng = new SplittableRandom(12);
    float[] vc = new float[2000];
    boolean[] vr = new boolean[2000];
    for (int i = 0; i < vc.length; i++) {
      vc[i] = (float) rng.nextDouble();
      vr[i] = rng.nextDouble() < vc[i];
    }
    ModelInfo model = new ModelInfo("vanilla", "3", MODEL.donors(), MODEL.donorSex(), ConfidenceCalibration.fit(vc, vr), Map.of(),
        new DonorNovelty(null, 40, 10, 50));
    for (double unknown : new double[] {0, 0.5, 1}) {
      QualityStats w = new QualityStats();
      for (int i = 0; i < 4000; i++) {
        boolean fromUnknown = i < unknown * 4000;
        float novelty = (float) ((fromUnknown ? 50 : 40) + 10 * rng.nextGaussian());
        w.add(new Outcome("c" + i, "vanilla", "3", 1000, "A", 0.8f, false, "T", new float[0], null, null, true, false, novelty));
      }
      QualitySnapshot q = QualityReportMaker.make(w, model, 0, 1);
      assertThat(q.unknownDonorShare()).as("share at " + unknown).isCloseTo(unknown, within(0.06));
      double lowerBound = Math.max(0, q.unknownDonorShare() - 1.645 * q.unknownDonorShareSe());
      assertThat(q.estimatedAccuracy()).isCloseTo(q.estimatedAccuracyCbpe() * (1 - lowerBound), within(1e-12));
      if (unknown == 0) assertThat(q.estimatedAccuracy()).as("noise alone does not pull it down").isCloseTo(q.estimatedAccuracyCbpe(), within(0.01));
      assertThat(q.estimatedAccuracyCbpe()).as("plain CBPE does not see them").isCloseTo(0.8, within(0.05));
    }
  }
}
