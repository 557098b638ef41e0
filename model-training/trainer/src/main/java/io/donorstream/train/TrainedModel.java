package io.donorstream.train;

import io.donorstream.inference.Batches;
import io.donorstream.inference.Inference;
import io.donorstream.inference.Predictions;
import ai.djl.Model;
import ai.djl.training.ParameterStore;
import io.donorstream.model.DonorNet;
import java.util.List;

/** A trained network (its best-on-validation parameters) and how training went. */
public record TrainedModel(Model model, DonorNet net, List<EpochRecord> history, int bestEpoch, int epochsRun,
    double trainSeconds) implements AutoCloseable {

  public Predictions predict(Batches data) {
    return Inference.predict(net, new ParameterStore(model.getNDManager(), false), model.getNDManager(), data);
  }

  @Override
  public void close() {
    model.close();
  }
}
