package io.donorstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.ndarray.NDList;
import org.junit.jupiter.api.Test;

class SexAdversaryTest {

  @Test
  void gradientReversalMultipliesTheEncodersGradientByExactlyMinusLambda() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      SexAdversary adversary = new SexAdversary(4);
      adversary.setInitializer(new NormalInitializer(1f), Parameter.Type.WEIGHT);
      adversary.initialize(m, DataType.FLOAT32, new Shape(1, 4));
      float[] plain = encoderGradient(m, adversary, 0f, true);
      for (float lambda : new float[] {0.3f, 1f, 2.5f}) {
        float[] reversed = encoderGradient(m, adversary, lambda, false);
        for (int j = 0; j < plain.length; j++) {
          assertThat(reversed[j]).as("lambda %s, dim %d", lambda, j).isCloseTo(-lambda * plain[j], within(1e-6f));
        }
      }
    }
  }

  /** d(sum of sex logits)/d(latent), through the adversary (or, with {@code bypass}, without reversal). */
  private static float[] encoderGradient(NDManager m, SexAdversary adversary, float lambda, boolean bypass) {
    adversary.setLambda(bypass ? -1f : lambda);
    try (NDManager step = m.newSubManager()) {
      NDArray latent = step.create(new float[] {0.5f, -1f, 2f, 0.25f, 1f, 1f, -3f, 0f}, new Shape(2, 4));
      latent.setRequiresGradient(true);
      try (GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
        NDList out = adversary.forward(new ParameterStore(m, false), new NDList(latent), true);
        gc.backward(out.singletonOrThrow().sum());
      }
      // With lambda = -1 the reversal scales by +1: the plain gradient.
      return latent.getGradient().toFloatArray();
    }
  }
}
