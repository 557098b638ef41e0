package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

/** [standardised embedding ⊕ cell-type text] → Linear → ReLU → Dropout → latent → donor head. */
final class VanillaDonorNet extends DonorNet {
  private final Linear hidden;
  private final Dropout dropout;

  VanillaDonorNet(ModelSpec spec) {
    super(spec);
    hidden = addChildBlock("hidden", Linear.builder().setUnits(spec.hidden()).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(spec.dropout()).build());
  }

  @Override
  protected NDList encode(ParameterStore ps, NDArray gene, NDArray text, boolean training) {
    NDArray h = Activation.relu(Nd.apply(hidden, ps, gene.concat(text, 1), training));
    return new NDList(named(Nd.apply(dropout, ps, h, training), LATENT));
  }

  @Override
  protected void initializeEncoder(NDManager manager, DataType dataType) {
    hidden.initialize(manager, dataType, new Shape(1, (long) spec.geneWidth() + spec.textDim()));
    dropout.initialize(manager, dataType, new Shape(1, spec.hidden()));
  }
}
