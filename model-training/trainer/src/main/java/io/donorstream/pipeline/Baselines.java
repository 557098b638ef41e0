package io.donorstream.pipeline;

import io.donorstream.eval.ClassificationMetrics;
import io.donorstream.model.ModelSpec;
import io.donorstream.train.DonorTrainer;
import io.donorstream.train.PreparedData;
import io.donorstream.train.TrainSettings;
import io.donorstream.train.TrainedModel;
import java.util.Arrays;

/** The yardsticks every model stands beside, on the same split: the majority donor and logistic regression. */
public final class Baselines {
  private Baselines() {}

  /**
   * Multinomial logistic regression on the same inputs and split, with its own fixed settings (not
   * the model's), so every model of a comparison faces the same baseline. Early stopping uses
   * validation; the metrics are on test.
   */
  public static ClassificationMetrics logistic(PreparedData data, long seed, String device) {
    ModelSpec spec = ModelSpec.logreg(data.geneWidth(), data.textDim(), data.donors().size());
    TrainSettings ls = new TrainSettings(100, 256, 5e-3f, 1e-4f, 0.05f, 15, false, 0, 0f, 5f, 0.05f, 0f, seed, device);
    try (TrainedModel m = new DonorTrainer(ls, false, msg -> {}).train(spec, data.train(), data.validation())) {
      return ClassificationMetrics.of(data.test().cells().donor(), m.predict(data.test()).predicted(), data.donors().size());
    }
  }

  /** Always the donor with the most training cells. */
  public static ClassificationMetrics majority(PreparedData data) {
    int donors = data.donors().size();
    int top = ClassificationMetrics.majorityClass(data.train().cells().donor(), donors);
    int[] truth = data.test().cells().donor();
    int[] predicted = new int[truth.length];
    Arrays.fill(predicted, top);
    return ClassificationMetrics.of(truth, predicted, donors);
  }
}
