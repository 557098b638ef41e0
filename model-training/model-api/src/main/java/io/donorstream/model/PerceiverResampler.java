package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Perceiver resampler: a fixed set of learned latents attends over (latents ⊕ input tokens), then
 * residual + norm and a feed-forward layer. Because the input is a real token sequence, attention
 * has several keys to choose from (the original's single key made it a constant).
 */
final class PerceiverResampler extends AbstractBlock {
  private final int latents;
  private final int dim;
  private final Parameter latentArray;
  private final MultiHeadAttention attention;
  private final LayerNormBlock norm1;
  private final LayerNormBlock norm2;
  private final Linear ff1;
  private final Linear ff2;

  PerceiverResampler(int latents, int dim, int heads) {
    this.latents = latents;
    this.dim = dim;
    latentArray = addParameter(Parameter.builder().setName("latents").setType(Parameter.Type.OTHER)
        .optShape(new Shape(latents, dim)).optInitializer(new NormalInitializer(0.5f)).build());
    attention = addChildBlock("attention", new MultiHeadAttention(dim, heads));
    norm1 = addChildBlock("norm1", new LayerNormBlock(dim));
    ff1 = addChildBlock("ff1", Linear.builder().setUnits(2L * dim).build());
    ff2 = addChildBlock("ff2", Linear.builder().setUnits(dim).build());
    norm2 = addChildBlock("norm2", new LayerNormBlock(dim));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.singletonOrThrow();
    long batch = tokens.getShape().get(0);
    NDArray lat = Nd.scoped(ps.getValue(latentArray, tokens.getDevice(), training).expandDims(0), tokens.getManager())
        .broadcast(new Shape(batch, latents, dim));
    NDList attended = attention.forward(ps, new NDList(lat, lat.concat(tokens, 1)), training);
    NDArray x = Nd.apply(norm1, ps, lat.add(attended.get(0)), training);
    NDArray f = Nd.apply(ff2, ps, Activation.relu(Nd.apply(ff1, ps, x, training)), training);
    return new NDList(Nd.apply(norm2, ps, x.add(f), training), attended.get(1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {new Shape(b, latents, dim)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    attention.initialize(manager, dataType, new Shape(1, latents, dim), new Shape(1, latents + 1, dim));
    norm1.initialize(manager, dataType, new Shape(1, dim));
    norm2.initialize(manager, dataType, new Shape(1, dim));
    ff1.initialize(manager, dataType, new Shape(1, dim));
    ff2.initialize(manager, dataType, new Shape(1, 2L * dim));
  }
}
