package io.donorstream.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MedianPrunerTest {
  static Trial finished(int number, Double... curve) {
    return Trial.complete(number, Map.of("x", 0.5), curve[curve.length - 1], 1, List.of(curve));
  }

  /** Five finished curves; their best-so-far at step 4 is 0.60, 0.70, 0.80, 0.90, 0.95 (median 0.80). */
  static List<Trial> fiveFinished() {
    return new ArrayList<>(List.of(
        finished(0, 0.3, 0.5, 0.6, 0.6, 0.6),
        finished(1, 0.4, 0.6, 0.7, 0.65, 0.7),
        finished(2, 0.5, 0.7, 0.8, 0.8, 0.85),
        finished(3, 0.6, 0.8, 0.9, 0.9, 0.9),
        finished(4, 0.7, 0.9, 0.95, 0.95, 0.96)));
  }

  @Test
  void neverPrunesDuringWarmUp() {
    MedianPruner pruner = new MedianPruner();
    for (int step = 1; step <= 3; step++) assertThat(pruner.shouldPrune(step, 0.0, fiveFinished())).as("step %d", step).isFalse();
    assertThat(pruner.shouldPrune(4, 0.0, fiveFinished())).isTrue();
  }

  @Test
  void neverPrunesBeforeEnoughCompletedTrialsReachedTheStep() {
    MedianPruner pruner = new MedianPruner(5, 3);
    List<Trial> four = fiveFinished().subList(0, 4);
    assertThat(pruner.shouldPrune(4, 0.0, four)).isFalse();
    List<Trial> mixed = new ArrayList<>(four);
    mixed.add(Trial.pruned(5, Map.of("x", 0.1), 1, List.of(0.1, 0.1, 0.1, 0.1)));
    mixed.add(Trial.failed(6, Map.of("x", 0.2), 1, List.of(0.1, 0.1, 0.1, 0.1)));
    mixed.add(finished(7, 0.9, 0.9, 0.9)); // too short to have a value at step 4
    assertThat(pruner.shouldPrune(4, 0.0, mixed)).isFalse();
    assertThat(pruner.shouldPrune(3, 0.0, fiveFinished())).isFalse();
  }

  @Test
  void prunesAClearlyWorseCurveAndKeepsABetterOne() {
    MedianPruner pruner = new MedianPruner();
    List<Trial> history = fiveFinished();
    assertThat(pruner.shouldPrune(4, 0.5, history)).isTrue();
    assertThat(pruner.shouldPrune(4, 0.85, history)).isFalse();
    assertThat(pruner.shouldPrune(4, 0.8, history)).isFalse(); // at the median is not below it
    assertThat(pruner.shouldPrune(5, Double.NaN, history)).isTrue();
    // Trial 1 dipped to 0.65 at step 4 but counts with its best-so-far, 0.7.
    assertThat(pruner.shouldPrune(4, 0.79, history)).isTrue();
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    MedianPruner pruner = new MedianPruner(4, 0);
    List<Trial> four = fiveFinished().subList(0, 4); // bests at step 1: 0.3, 0.4, 0.5, 0.6 -> median 0.45
    assertThat(pruner.shouldPrune(1, 0.44, four)).isTrue();
    assertThat(pruner.shouldPrune(1, 0.46, four)).isFalse();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new MedianPruner(0, 3)).hasMessageContaining("startupTrials");
    assertThatThrownBy(() -> new MedianPruner().shouldPrune(0, 1, List.of())).hasMessageContaining("1-based");
  }
}
