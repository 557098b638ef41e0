package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;

/**
 * Multinomial logistic regression on [standardised embedding ⊕ text]: the baseline every model is
 * reported beside, trained by the same loop on the same split.
 */
final class LinearDonorNet extends DonorNet {
  LinearDonorNet(ModelSpec spec) {
    super(spec);
  }

  @Override
  protected NDList encode(ParameterStore ps, NDArray gene, NDArray typeRow, NDArray table, NDArray unknown, boolean training) {
    return new NDList(named(gene.concat(rows(withUnknownRow(table, unknown, gene.getManager()), typeRow), 1), LATENT));
  }

  @Override
  protected void initializeEncoder(NDManager manager, DataType dataType) {}
}
