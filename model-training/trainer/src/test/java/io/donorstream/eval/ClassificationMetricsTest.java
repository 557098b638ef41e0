package io.donorstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  @Test
  void matchesAHandWorkedExample() {
    int[] truth = {0, 0, 0, 1, 1, 2};
    int[] pred = {0, 0, 1, 1, 2, 2};
    ClassificationMetrics m = ClassificationMetrics.of(truth, pred, 3);
    assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-12));
    // class 0: p 1, r 2/3, f1 0.8; class 1: p 1/2, r 1/2, f1 1/2; class 2: p 1/2, r 1, f1 2/3
    assertThat(m.macroF1()).isCloseTo((0.8 + 0.5 + 2 / 3.0) / 3, within(1e-12));
    assertThat(m.weightedF1()).isCloseTo((3 * 0.8 + 2 * 0.5 + 2 / 3.0) / 6, within(1e-12));
    assertThat(m.balancedAccuracy()).isCloseTo((2 / 3.0 + 0.5 + 1) / 3, within(1e-12));
    assertThat(m.confusion()[0]).containsExactly(2, 1, 0);
    assertThat(ClassificationMetrics.majorityBaseline(new int[] {1, 1, 0}, truth, 3)).isCloseTo(2 / 6.0, within(1e-12));
  }
}
