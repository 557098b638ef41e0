package io.donorstream.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.donorstream.data.CellTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticDataGeneratorTest {

  @Test
  void seedCnsPresetHasTheOriginalShape() {
    SyntheticSpec spec = SyntheticSpec.seedCns(42);
    assertThat(spec.cells()).isEqualTo(31_780);
    assertThat(spec.width()).isEqualTo(512);
    assertThat(spec.embeddingKey()).isEqualTo("geneformer");
    assertThat(spec.femaleDonors() + spec.maleDonors()).isEqualTo(14);

    CellTable t = SyntheticDataGenerator.generate(spec, "seed").table();
    Map<String, Long> perType = Arrays.stream(t.cellTypes()).collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    assertThat(perType).hasSize(16).containsEntry("oligodendrocyte", 10_924L).containsEntry("ependymal cell", 27L);
    Map<String, String> sexOfDonor = new HashMap<>();
    for (int i = 0; i < t.size(); i++) sexOfDonor.put(t.donorIds()[i], t.sexes()[i]);
    assertThat(sexOfDonor).hasSize(14);
    assertThat(sexOfDonor.values().stream().filter("female"::equals).count()).isEqualTo(6);
  }

  @Test
  void sameSeedSameCellsDifferentSeedDifferentCells() {
    SyntheticSpec a = SyntheticSpec.generic(500, 6, 4, 16, "X_emb", 2.0, 1.5, 7);
    SyntheticSpec b = SyntheticSpec.generic(500, 6, 4, 16, "X_emb", 2.0, 1.5, 8);
    CellTable t1 = SyntheticDataGenerator.generate(a, "a").table();
    CellTable t2 = SyntheticDataGenerator.generate(a, "a").table();
    CellTable t3 = SyntheticDataGenerator.generate(b, "a").table();
    assertThat(t1.embedding()).containsExactly(t2.embedding());
    assertThat(t1.donorIds()).containsExactly(t2.donorIds());
    assertThat(Arrays.equals(t1.embedding(), t3.embedding())).isFalse();
  }

  @Test
  void bayesAccuracyMatchesTheClosedFormForTwoEqualDonors() {
    // Two donors, equal priors, no sex signal: error = Phi(-a * |z1 - z2| / 2).
    SyntheticSpec spec = new SyntheticSpec("t", 2, 1, 1, CellTypeCatalog.first(1), new int[] {2}, 32, 32, 0.0, "e", 1.2, 0.0, 6.0, 3);
    GenerativeModel m = SyntheticDataGenerator.buildModel(spec, new SplittableRandom(3));
    m.donorPrior[0] = 0.5;
    m.donorPrior[1] = 0.5;
    double dist = 0;
    for (int j = 0; j < 32; j++) {
      double d = m.donorDirections[0][j] - m.donorDirections[1][j];
      dist += d * d;
    }
    double expected = normalCdf(1.2 * Math.sqrt(dist) / 2);
    GenerativeModel.Estimate mc = m.bayesAccuracy(200_000, 11, false);
    assertThat(mc.value()).isCloseTo(expected, within(4 * mc.standardError()));
  }

  @Test
  void sexSignalRaisesFullButNotSexBlindAccuracy() {
    SyntheticDataGenerator.Result none = SyntheticDataGenerator.generate(SyntheticSpec.generic(100, 10, 2, 32, "e", 1.5, 0.0, 5), "n");
    SyntheticDataGenerator.Result strong = SyntheticDataGenerator.generate(SyntheticSpec.generic(100, 10, 2, 32, "e", 1.5, 2.0, 5), "s");
    assertThat(none.bayes().value()).isCloseTo(none.sexBlindBayes().value(), within(0.01));
    assertThat(strong.bayes().value()).isGreaterThan(strong.sexBlindBayes().value() + 0.05);
    assertThat(strong.sexBlindBayes().value()).isCloseTo(none.sexBlindBayes().value(), within(0.01));
  }

  @Test
  void noSignalMeansBayesEqualsTheLargestPrior() {
    SyntheticDataGenerator.Result r = SyntheticDataGenerator.generate(SyntheticSpec.generic(100, 5, 2, 8, "e", 0.0, 0.0, 5), "z");
    double maxPrior = Arrays.stream(r.model().donorPrior).max().orElseThrow();
    assertThat(r.bayes().value()).isCloseTo(maxPrior, within(0.01));
  }

  @Test
  void cellTypesAreImbalancedInGenericSets() {
    SyntheticSpec spec = SyntheticSpec.generic(10_000, 8, 8, 16, "e", 2, 1, 1);
    int[] counts = spec.cellTypeCounts();
    assertThat(Arrays.stream(counts).sum()).isEqualTo(10_000);
    assertThat(counts[0]).isGreaterThan(5 * counts[7]);
    assertThat(spec.cellTypes()).extracting(CellTypeCatalog.CellType::ontologyId).allMatch(id -> id.startsWith("CL:"));
    assertThat(List.of(spec.femaleDonors(), spec.maleDonors())).containsExactly(4, 4);
  }

  private static double normalCdf(double x) {
    // Abramowitz-Stegun 7.1.26 on erf; error < 1.5e-7.
    double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        * Math.exp(-x * x / 2);
    return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
  }
}
