package io.donorstream.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  static final SearchSpace SPACE = SearchSpace.of(
      Param.logUniform("lr", 1e-5, 1e-1), Param.uniform("x", 0, 1), Param.integer("layers", 1, 4),
      Param.logInteger("batch", 16, 512), Param.choice("dropout", 0.0, 0.1, 0.3));

  @Test
  void lookupByNameAndRejectsDuplicates() {
    assertThat(SPACE.param("layers").kind()).isEqualTo(Param.Kind.INT);
    assertThat(SPACE.names()).containsExactly("lr", "x", "layers", "batch", "dropout");
    assertThatThrownBy(() -> SPACE.param("nope")).hasMessageContaining("no parameter 'nope'");
    assertThatThrownBy(() -> SearchSpace.of(Param.uniform("x", 0, 1), Param.uniform("x", 0, 2))).hasMessageContaining("twice");
  }

  @Test
  void randomSamplesAreLegalAndInSpaceOrder() {
    Random rng = new Random(7);
    Map<Double, Integer> layerCounts = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      Map<String, Double> point = SPACE.sampleRandom(rng);
      assertThat(point.keySet()).containsExactly("lr", "x", "layers", "batch", "dropout");
      for (Param p : SPACE.params()) assertThat(p.contains(point.get(p.name()))).as("%s = %s", p, point.get(p.name())).isTrue();
      layerCounts.merge(point.get("layers"), 1, Integer::sum);
    }
    assertThat(layerCounts).containsOnlyKeys(1.0, 2.0, 3.0, 4.0);
    // The half-step widening gives the end values as much room as the inner ones.
    layerCounts.values().forEach(c -> assertThat(c).isBetween(430, 570));
  }

  @Test
  void logDimensionsSampleLogUniformly() {
    Random rng = new Random(11);
    double[] lr = new double[2000];
    for (int i = 0; i < lr.length; i++) lr[i] = SPACE.sampleRandom(rng).get("lr");
    Arrays.sort(lr);
    double median = 0.5 * (lr[999] + lr[1000]);
    assertThat(Math.log10(median)).isCloseTo(-3, within(0.2)); // a uniform draw would give ~0.05
    assertThat(lr[0]).isGreaterThanOrEqualTo(1e-5);
    assertThat(lr[lr.length - 1]).isLessThanOrEqualTo(1e-1);
  }
}
