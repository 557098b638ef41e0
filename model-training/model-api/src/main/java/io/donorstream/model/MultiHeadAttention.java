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
 * Scaled dot-product attention with several heads: queries from one sequence, keys and values
 * from another. Input {@code (q [B, Lq, d], kv [B, Lk, d])}; output {@code (out [B, Lq, d],
 * weights [B, heads, Lq, Lk])}, the weights kept for attention maps and tests.
 */
final class MultiHeadAttention extends AbstractBlock {
  private final int dim;
  private final int heads;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;

  MultiHeadAttention(int dim, int heads) {
    this.dim = dim;
    this.heads = heads;
    query = addChildBlock("query", Linear.builder().setUnits(dim).build());
    key = addChildBlock("key", Linear.builder().setUnits(dim).build());
    value = addChildBlock("value", Linear.builder().setUnits(dim).build());
    output = addChildBlock("output", Linear.builder().setUnits(dim).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray q = inputs.get(0);
    NDArray kv = inputs.get(1);
    long lq = q.getShape().get(1);
    long lk = kv.getShape().get(1);
    int dk = dim / heads;
    NDArray qh = split(Nd.apply(query, ps, q, training), lq, dk);
    NDArray kh = split(Nd.apply(key, ps, kv, training), lk, dk);
    NDArray vh = split(Nd.apply(value, ps, kv, training), lk, dk);
    NDArray weights = NativeScalars.dividedBy(qh.matMul(kh.transpose(0, 1, 3, 2)), (float) Math.sqrt(dk)).softmax(-1);
    NDArray merged = weights.matMul(vh).transpose(0, 2, 1, 3).reshape(new Shape(-1, lq, dim));
    return new NDList(Nd.apply(output, ps, merged, training), weights);
  }

  private NDArray split(NDArray x, long len, int dk) {
    return x.reshape(new Shape(-1, len, heads, dk)).transpose(0, 2, 1, 3);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape q = inputShapes[0];
    return new Shape[] {q, new Shape(q.get(0), heads, q.get(1), inputShapes[1].get(1))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Linear l : new Linear[] {query, key, value, output}) {
      l.initialize(manager, dataType, new Shape(1, dim));
    }
  }
}
