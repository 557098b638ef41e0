package io.donorstream.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalTextTest {
  private static String text(float v) {
    StringBuilder sb = new StringBuilder();
    DecimalText.append(sb, v);
    return sb.toString();
  }

  @Test
  void shortTextForTypicalValues() {
    assertThat(text(0f)).isEqualTo("0");
    assertThat(text(1f)).isEqualTo("1");
    assertThat(text(0.5f)).isEqualTo("0.5");
    assertThat(text(0.1f)).isEqualTo("0.1");
    assertThat(text(0.5347693f)).isEqualTo("0.5347693");
    assertThat(text(0.00012345678f)).isEqualTo("0.0001234568");
    assertThat(text(1.0e-5f)).isEqualTo("1E-5");
    assertThat(text(2.5e-7f)).isEqualTo("2.5E-7");
    assertThat(text(-3.25f)).isEqualTo("-3.25");
    assertThat(text(12345678f)).isEqualTo("1.234568E7");
    assertThat(text(0.99999994f)).isEqualTo("0.9999999");
    assertThat(text(1e-3f)).isEqualTo("0.001");
  }

  @Test
  void sevenSignificantDigitsOfAnyFloat() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      float v = Float.intBitsToFloat(rng.nextInt());
      if (Float.isNaN(v) || Float.isInfinite(v) || v == 0) continue;
      double back = Double.parseDouble(text(v));
      assertThat(Math.abs(back - v) / Math.abs(v)).as("%s -> %s", v, text(v)).isLessThanOrEqualTo(5.0000001e-7);
    }
  }
}
