package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchSizerTest {
  @Test
  void cheapCellsFillTheLargestBatchAndExpensiveOnesAsManyAsFitTheTarget() {
    BatchSizer cheap = new BatchSizer(1024, 15);
    BatchSizer expensive = new BatchSizer(1024, 15);
    assertThat(expensive.capacity()).as("before anything is known").isEqualTo(1024);
    for (int i = 0; i < 20; i++) {
      cheap.observe("1", 1024, 1024 * 1_500L);
      expensive.observe("1", 1024, 1024 * 60_000L);
    }
    assertThat(cheap.capacity()).isEqualTo(1024);
    assertThat(expensive.capacity()).isEqualTo(15_000_000 / 60_000);
  }

  @Test
  void theFirstBatchOfAModelIsItsWarmUpAndANewModelStartsAgain() {
    BatchSizer s = new BatchSizer(1024, 15);
    s.observe("1", 10, 500_000_000L);
    assertThat(s.capacity()).as("warm-up ignored").isEqualTo(1024);
    s.observe("1", 100, 100 * 100_000L);
    assertThat(s.capacity()).isEqualTo(150);
    s.observe("2", 100, 100 * 100_000L);
    assertThat(s.capacity()).as("a new model's first batch").isEqualTo(1024);
  }

  @Test
  void staysWithinItsBoundsAndCanBeSwitchedOff() {
    BatchSizer slow = new BatchSizer(1024, 15);
    slow.observe("1", 64, 1);
    slow.observe("1", 64, 64 * 50_000_000L);
    assertThat(slow.capacity()).isEqualTo(BatchSizer.MIN);
    BatchSizer small = new BatchSizer(4, 15);
    small.observe("1", 4, 1);
    small.observe("1", 4, 4 * 50_000_000L);
    assertThat(small.capacity()).as("never above the configured size").isEqualTo(4);
    BatchSizer fixed = new BatchSizer(1024, 0);
    fixed.observe("1", 64, 1);
    fixed.observe("1", 64, 64 * 50_000_000L);
    assertThat(fixed.capacity()).isEqualTo(1024);
  }

  @Test
  void expectsABatchsCostOnlyFromItsOwnModelsScoredBatches() {
    BatchSizer s = new BatchSizer(1024, 15);
    assertThat(s.expectedNanos("1", 100)).as("nothing known").isZero();
    s.observe("1", 10, 500_000_000L);
    assertThat(s.expectedNanos("1", 100)).as("the warm-up says nothing").isZero();
    s.observe("1", 100, 100 * 60_000L);
    assertThat(s.expectedNanos("1", 200)).isEqualTo(200 * 60_000L);
    assertThat(s.expectedNanos("2", 200)).as("another model's cost is not this one's").isZero();
  }

  @Test
  void aBatchCaughtByAPauseMovesTheCostLittleButARealChangeShowsWithinAFewBatches() {
    BatchSizer s = new BatchSizer(1024, 15);
    s.observe("1", 1024, 1);
    s.observe("1", 1024, 1024 * 1_500L);
    s.observe("1", 1024, 60_000_000L);
    assertThat(s.expectedNanos("1", 1024)).as("a 60 ms pause in a 1.5 ms batch").isLessThan(3_000_000L);
    for (int i = 0; i < 20; i++) s.observe("1", 1024, 1024 * 60_000L);
    assertThat(s.capacity()).as("cells 40 times dearer for good").isLessThan(300);
  }
}
