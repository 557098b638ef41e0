package io.donorstream.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdwinTest {

  @Test
  void detectsAnErrorRateStepSoonAfterItAndShrinksToTheNewRegime() {
    SplittableRandom rng = new SplittableRandom(1);
    Adwin adwin = new Adwin();
    for (int i = 0; i < 5000; i++) assertThat(adwin.update(rng.nextDouble() < 0.1 ? 1 : 0)).as("stationary at %d", i).isFalse();
    int detectedAt = -1;
    for (int i = 0; i < 2000 && detectedAt < 0; i++) {
      if (adwin.update(rng.nextDouble() < 0.6 ? 1 : 0)) detectedAt = i;
    }
    assertThat(detectedAt).as("events after the step until detection").isBetween(0, 200);
    assertThat(adwin.lastChangeUp()).isTrue();
    for (int i = 0; i < 2000; i++) adwin.update(rng.nextDouble() < 0.6 ? 1 : 0);
    assertThat(adwin.mean()).isCloseTo(0.6, within(0.05));
  }

  @Test
  void staysSilentOverOneHundredThousandStationaryEvents() {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      Adwin adwin = new Adwin();
      for (int i = 0; i < 100_000; i++) adwin.update(rng.nextDouble() < 0.3 ? 1 : 0);
      assertThat(adwin.detections()).as("seed %d", seed).isZero();
      assertThat(adwin.width()).as("the window keeps growing").isEqualTo(100_000);
      assertThat(adwin.mean()).isCloseTo(0.3, within(0.01));
    }
  }

  @Test
  void detectsADropToo() {
    SplittableRandom rng = new SplittableRandom(5);
    Adwin adwin = new Adwin();
    for (int i = 0; i < 3000; i++) adwin.update(rng.nextDouble() < 0.5 ? 1 : 0);
    boolean detected = false;
    for (int i = 0; i < 1000 && !detected; i++) detected = adwin.update(rng.nextDouble() < 0.05 ? 1 : 0);
    assertThat(detected).isTrue();
    assertThat(adwin.lastChangeUp()).isFalse();
  }
}
