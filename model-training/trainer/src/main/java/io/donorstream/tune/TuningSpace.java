package io.donorstream.tune;

import io.donorstream.model.ModelSpec;
import io.donorstream.train.Hyperparameters;
import java.util.ArrayList;
import java.util.List;

/**
 * What `tune` searches, per model: ranges around the defaults wide enough to hold the good settings
 * seen on seed-cns and OneK1K (learning rate and weight decay on a log scale).
 */
public final class TuningSpace {
  private TuningSpace() {}

  public static SearchSpace of(String architecture, boolean adversarial) {
    List<Param> p = new ArrayList<>();
    p.add(Param.logUniform(Hyperparameters.LEARNING_RATE, 1e-4, 1e-2));
    p.add(Param.logUniform(Hyperparameters.WEIGHT_DECAY, 1e-3, 5));
    p.add(Param.uniform(Hyperparameters.DROPOUT, 0, 0.5));
    p.add(Param.choice(Hyperparameters.HIDDEN, 64, 128, 256));
    p.add(Param.uniform(Hyperparameters.INPUT_NOISE, 0, 1));
    if (architecture.equals(ModelSpec.MULTIMODAL)) {
      p.add(Param.choice(Hyperparameters.LATENTS, 4, 8, 16));
      // Heads must divide the attention width (64).
      p.add(Param.choice(Hyperparameters.HEADS, 1, 2, 4, 8));
    }
    if (adversarial) p.add(Param.logUniform(Hyperparameters.LAMBDA, 0.03, 1));
    return new SearchSpace(p);
  }
}
