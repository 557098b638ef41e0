package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A linear sex classifier behind a gradient-reversal layer. Forward it is the identity followed by
 * a logit; backward, the gradient reaching the encoder is multiplied by {@code -lambda}, so the
 * encoder unlearns what the head learns (Ganin &amp; Lempitsky's DANN). Linear on purpose: a sex
 * signal that generalises across donors is a direction, which is what must go; a deeper head could
 * instead memorise each donor's sex and push the encoder to merge donors.
 */
final class SexAdversary extends AbstractBlock {
  private final int inputDim;
  private final Linear head;
  private volatile float lambda;

  SexAdversary(int inputDim) {
    this.inputDim = inputDim;
    head = addChildBlock("head", Linear.builder().setUnits(1).build());
  }

  void setLambda(float lambda) {
    this.lambda = lambda;
  }

  float lambda() {
    return lambda;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray reversed = GradientReversal.apply(inputs.singletonOrThrow(), lambda);
    // Standardised over the batch, as a probe would: otherwise the encoder can hide sex in
    // dimensions too small for a weight-decayed head to read, and a probe finds it again.
    NDArray mean = reversed.mean(new int[] {0}, true);
    NDArray centred = reversed.sub(mean);
    NDArray scaled = centred.div(centred.square().mean(new int[] {0}, true).add(1e-5f).sqrt());
    return new NDList(Nd.apply(head, ps, scaled, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    head.initialize(manager, dataType, new Shape(1, inputDim));
  }
}
