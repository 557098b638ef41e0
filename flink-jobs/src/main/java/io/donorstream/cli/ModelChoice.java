package io.donorstream.cli;

import io.donorstream.model.ModelSpec;

/** The --model / --align pair that train and tune share, checked the same way in both. */
final class ModelChoice {
  private ModelChoice() {}

  static void check(String model, boolean align) {
    if (!model.equals(ModelSpec.VANILLA) && !model.equals(ModelSpec.MULTIMODAL)) {
      throw new UserError("--model must be vanilla or multimodal, got '" + model + "'");
    }
    if (align && !model.equals(ModelSpec.MULTIMODAL)) {
      throw new UserError("--align needs --model multimodal: alignment pulls the two modality embeddings together");
    }
  }
}
