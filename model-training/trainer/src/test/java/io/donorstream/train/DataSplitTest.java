package io.donorstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataSplitTest {
  @Test
  void partsAreDisjointCompleteAndStratifiedByDonor() {
    String[] donors = new String[1000];
    for (int i = 0; i < donors.length; i++) donors[i] = i < 800 ? "A" : "B";
    DataSplit s = DataSplit.stratifiedByDonor(donors, 0.15, 0.15, 1);
    Set<Integer> all = new HashSet<>();
    for (int[] part : new int[][] {s.train(), s.validation(), s.test()}) for (int r : part) assertThat(all.add(r)).isTrue();
    assertThat(all).hasSize(1000);
    assertThat(IntStream.of(s.test()).filter(r -> r >= 800).count()).isEqualTo(30);
    assertThat(IntStream.of(s.validation()).filter(r -> r < 800).count()).isEqualTo(120);
    assertThat(DataSplit.stratifiedByDonor(donors, 0.15, 0.15, 1).test()).containsExactly(s.test());
    assertThat(DataSplit.stratifiedByDonor(donors, 0.15, 0.15, 2).test()).isNotEqualTo(s.test());
  }
}
