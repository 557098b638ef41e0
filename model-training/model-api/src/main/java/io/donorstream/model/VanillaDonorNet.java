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

/**
 * [standardised embedding ⊕ cell-type text] → Linear → ReLU → Dropout → latent → donor head. The
 * first layer's weight is one {@code [H, W + D]} matrix, applied in its two blocks: the text block
 * to each cell type once, the result gathered per cell (the same function, less arithmetic).
 */
final class VanillaDonorNet extends DonorNet {
  private final Linear hidden;
  private final Dropout dropout;

  VanillaDonorNet(ModelSpec spec) {
    super(spec);
    hidden = addChildBlock("hidden", Linear.builder().setUnits(spec.hidden()).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(spec.dropout()).build());
  }

  @Override
  protected NDList encode(ParameterStore ps, NDArray gene, NDArray typeRow, NDArray table, NDArray unknown, boolean training) {
    NDManager m = gene.getManager();
    NDArray weight = ps.getValue(hidden.getParameters().get("weight"), gene.getDevice(), training);
    NDArray bias = ps.getValue(hidden.getParameters().get("bias"), gene.getDevice(), training);
    NDList blocks = weight.split(new long[] {spec.geneWidth()}, 1);
    blocks.forEach(b -> b.attach(m));
    NDArray fromGene = gene.getNDArrayInternal().linear(gene, blocks.get(0), bias).singletonOrThrow();
    // The known types' text carries no gradient: project it and the learned unknown row apart.
    NDArray known = Nd.scoped(table.getNDArrayInternal().linear(table, blocks.get(1), null).singletonOrThrow(), m);
    NDArray perType = known.concat(unknown.getNDArrayInternal().linear(unknown, blocks.get(1), null).singletonOrThrow(), 0);
    NDArray h = Activation.relu(fromGene.add(rows(perType, typeRow)));
    return new NDList(named(Nd.apply(dropout, ps, h, training), LATENT));
  }

  @Override
  protected void initializeEncoder(NDManager manager, DataType dataType) {
    hidden.initialize(manager, dataType, new Shape(1, (long) spec.geneWidth() + spec.textDim()));
    dropout.initialize(manager, dataType, new Shape(1, spec.hidden()));
  }
}
