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
  void withoutALambdaTheAdversarialRowsRemoveSexByEvidence() {
    Variant v = Variant.of("vanilla", false, true, Float.NaN);
    assertThat(v.byEvidence()).isTrue();
    assertThat(v.label()).isEqualTo("vanilla + adversarial (by evidence)");
    assertThat(v.withoutRemoval().id()).isEqualTo("vanilla");
    assertThat(Variant.of("vanilla", false, true, 0.2f).byEvidence()).isFalse();
  }

  @Test
  void thePriceOfRemovalIsPairedBySeedWithItsStandardErrorAndTheBoundBeside() {
    Variant plain = Variant.of("vanilla", false, false, Float.NaN);
    Variant removed = Variant.of("vanilla", false, true, Float.NaN);
    // Splits differ a lot between seeds; the paired differences (-0.02, -0.01, -0.03) do not.
    List<Comparison.Run> runs = List.of(run(plain, 1, 0.70, 0), run(removed, 1, 0.68, 0), run(plain, 2, 0.60, 0), run(removed, 2, 0.59, 0.03),
        run(plain, 3, 0.65, 0), run(removed, 3, 0.62, 0));
    List<Comparison.Baseline> logistic = List.of(logistic(1, 0.66), logistic(2, 0.58), logistic(3, 0.60),
        new Comparison.Baseline("majority", 1, 0.1, 0, 0, 0));
    Comparison.Result r = new Comparison.Result(null, List.of(), logistic, List.of(plain, removed), runs);
    List<RemovalPrice> prices = RemovalPrice.of(r, 0.66);
    assertThat(prices).hasSize(1);
    RemovalPrice p = prices.get(0);
    assertThat(p.counterpart()).isEqualTo(plain);
    assertThat(p.difference().mean()).isCloseTo(-0.02, within(1e-9));
    assertThat(p.standardError()).isCloseTo(0.01 / Math.sqrt(3), within(1e-9));
    assertThat(p.belowSexBlind()).isCloseTo((0.68 + 0.59 + 0.62) / 3 - 0.66, within(1e-9));
    assertThat(p.formatDifference()).isEqualTo("-0.020 ± 0.006 (SE, 3 seeds)");
    assertThat(p.formatLambdas()).isEqualTo("0, 0.03");
    assertThat(p.versusLogistic().mean()).as("paired with logistic regression on the same split: 0.02, 0.01, 0.02").isCloseTo(0.05 / 3, within(1e-9));
    assertThat(p.formatVersusLogistic()).isEqualTo("+0.017 ± 0.003 (SE, 3 seeds)");
    assertThat(RemovalPrice.of(r, null).get(0).belowSexBlind()).isNull();
    Comparison.Result noBaselines = new Comparison.Result(null, List.of(), List.of(), List.of(plain, removed), runs);
    assertThat(RemovalPrice.of(noBaselines, null).get(0).formatVersusLogistic()).isEqualTo("n/a");
  }

  private static Comparison.Baseline logistic(long seed, double accuracy) {
    return new Comparison.Baseline(Comparison.LOGISTIC, seed, accuracy, 0, 0, 0);
  }

  private static Comparison.Run run(Variant v, long seed, double accuracy, double lambda) {
    return new Comparison.Run(v, seed, Map.of("accuracy", accuracy, "lambda", lambda, "sex_probe_group_balanced_accuracy", 0.5), null);
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
