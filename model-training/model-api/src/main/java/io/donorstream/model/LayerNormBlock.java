package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/** Layer normalisation over the last axis, whatever the leading axes. */
final class LayerNormBlock extends AbstractBlock {
  private final int dim;
  private final Parameter gamma;
  private final Parameter beta;

  LayerNormBlock(int dim) {
    this.dim = dim;
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
        .optShape(new Shape(dim)).optInitializer(new ConstantInitializer(1f)).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
        .optShape(new Shape(dim)).optInitializer(new ConstantInitializer(0f)).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray centred = x.sub(mean);
    NDArray var = centred.square().mean(new int[] {-1}, true);
    NDArray g = ps.getValue(gamma, x.getDevice(), training);
    NDArray b = ps.getValue(beta, x.getDevice(), training);
    return new NDList(centred.div(var.add(1e-5f).sqrt()).mul(g).add(b));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}

  int dim() {
    return dim;
  }
}
