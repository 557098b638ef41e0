package io.donorstream.text.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MiniLmEncoder.class)
class TransformerTextEncoderTest {
  @Test
  void miniLmGivesUnitVectorsWithTheReferenceSimilarities(TransformerTextEncoder encoder) {
    float[] astro = encoder.encode("astrocyte");
    float[] oligo = encoder.encode("oligodendrocyte");
    float[] micro = encoder.encode("microglial cell");
    assertThat(astro).hasSize(384);
    assertThat(dot(astro, astro)).isCloseTo(1.0, within(1e-5));
    // Reference values from LangChain4j's own class on the same model.
    assertThat(dot(astro, oligo)).isCloseTo(0.444, within(0.005));
    assertThat(dot(astro, micro)).isCloseTo(0.286, within(0.005));
  }

  @Test
  void sameTextSameVector(TransformerTextEncoder encoder) {
    assertThat(encoder.encode("memory B cell")).containsExactly(encoder.encode("memory B cell"));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
