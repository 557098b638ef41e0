package io.donorstream.predict;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatentSampleTest {
  @Test
  void holdsEveryCellInOrderUntilFullThenAUniformSampleOfFixedSize() {
    LatentSample s = new LatentSample(100, 2, 5);
    float[] row = new float[2];
    for (int i = 0; i < 100; i++) {
      row[0] = i;
      s.offer(row, 0, i % 2, i % 7);
    }
    assertThat(s.size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) assertThat(s.latents()[2 * i]).isEqualTo(i);
    long late = 0;
    for (int i = 100; i < 10_000; i++) {
      row[0] = i;
      s.offer(row, 0, i % 2, i % 7);
    }
    assertThat(s.size()).isEqualTo(100);
    assertThat(s.seen()).isEqualTo(10_000);
    for (int k = 0; k < 100; k++) if (s.latents()[2 * k] >= 5_000) late++;
    // A uniform sample holds about half its cells from the second half of the stream.
    assertThat(late).isBetween(30L, 70L);
    for (int k = 0; k < 100; k++) {
      int i = (int) s.latents()[2 * k];
      assertThat(s.sexes()[k]).isEqualTo(i % 2);
      assertThat(s.donors()[k]).isEqualTo(i % 7);
    }
  }
}
