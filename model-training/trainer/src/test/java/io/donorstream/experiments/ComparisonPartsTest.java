package io.donorstream.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small pieces a comparison report is built from. */
class ComparisonPartsTest {

  @Test
  void theTableHasTheOriginalSixVariantsAndTheSweepBothModelsAtEveryLambda() {
    assertThat(Variant.table(0.2f).stream().map(Variant::id)).containsExactly("vanilla", "vanilla-adversarial", "multimodal", "multimodal-align",
        "multimodal-adversarial", "multimodal-align-adversarial");
    assertThat(Variant.lambdaSweep()).hasSize(10).allMatch(Variant::sweepPoint).allMatch(Variant::adversarial);
    assertThat(Variant.lambdaSweep().stream().map(Variant::id)).contains("vanilla-adversarial-lambda-0", "multimodal-adversarial-lambda-0.03");
    assertThat(Variant.table(0.2f)).noneMatch(Variant::sweepPoint);
    assertThat(Variant.of("multimodal", true, true, 0.2f).label()).isEqualTo("multimodal + align + adversarial (λ 0.2)");
  }

  @Test
  void meanAndSampleStandardDeviationOverSeeds() {
    MeanSd m = MeanSd.of(new double[] {0.30, 0.40});
    assertThat(m.mean()).isCloseTo(0.35, within(1e-12));
    assertThat(m.sd()).isCloseTo(Math.sqrt(0.005), within(1e-12));
    assertThat(m.format("%.3f")).isEqualTo("0.350 ± 0.071");
    assertThat(MeanSd.of(new double[] {0.3}).format("%.3f")).isEqualTo("0.300");
    assertThat(MeanSd.of(new double[0]).format("%.3f")).isEqualTo("n/a");
  }

  @Test
  void perSexAccuracyWeighsEachDonorsRecallByItsCells() {
    Map<String, Object> metrics = Map.of("per_donor", List.of(
        Map.of("sex", "female", "recall", 0.5, "support", 10),
        Map.of("sex", "female", "recall", 1.0, "support", 30),
        Map.of("sex", "male", "recall", 0.25, "support", 20)));
    Map<String, Object> s = Comparison.perSexAccuracy(metrics);
    assertThat((Double) s.get("accuracy_female")).isCloseTo(35.0 / 40, within(1e-12));
    assertThat((Double) s.get("accuracy_male")).isCloseTo(0.25, within(1e-12));
    assertThat((Double) s.get("sex_accuracy_gap")).isCloseTo(0.875 - 0.25, within(1e-12));
  }

  @Test
  void theEtaUsesEachVariantsOwnTimeOnceKnown() {
    RunProgress p = new RunProgress(4);
    assertThat(p.etaSeconds(List.of("a", "b"))).isNaN();
    p.finish("a", 10);
    p.finish("b", 100);
    assertThat(p.etaSeconds(List.of("a", "b"))).isEqualTo(110);
    assertThat(p.etaSeconds(List.of("c"))).isEqualTo(55);
  }
}
