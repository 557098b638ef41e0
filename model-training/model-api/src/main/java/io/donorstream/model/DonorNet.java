package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A donor classifier. Input {@code (gene [B, W] standardised, typeRow [B] int64, typeTable [T, D])}:
 * each cell's cell-type text vector is row {@code typeRow} of the table, and row {@code T} (one
 * past the table) is a learned "unknown cell type" vector. Text features depend on the cell type
 * alone, so the networks compute them once per table row and gather them per cell, rather than
 * once per cell. Output named arrays: {@link #LOGITS}, {@link #LATENT}, {@link #SEX_LOGIT} when
 * adversarial, and for multimodal models the modality vectors and attention weights.
 */
public abstract class DonorNet extends AbstractBlock {
  public static final String LOGITS = "logits";
  public static final String LATENT = "latent";
  public static final String SEX_LOGIT = "sex_logit";
  public static final String GENE_VEC = "gene_vec";
  public static final String TEXT_VEC = "text_vec";
  /** Multimodal only: gene latents attending to text latents, weights [cells, heads, latents, latents]. */
  public static final String ATTN_GENE_TO_TEXT = "attn_gene_to_text";

  protected final ModelSpec spec;
  private final Parameter unknownType;
  protected final Linear donorHead;
  protected final SexAdversary adversary;

  protected DonorNet(ModelSpec spec) {
    this.spec = spec;
    unknownType = addParameter(Parameter.builder().setName("unknown_type").setType(Parameter.Type.OTHER)
        .optShape(new Shape(spec.textDim())).optInitializer(new NormalInitializer(0.05f)).build());
    donorHead = addChildBlock("donor_head", Linear.builder().setUnits(spec.donors()).build());
    adversary = spec.adversarial() ? addChildBlock("sex_adversary", new SexAdversary(spec.hidden())) : null;
  }

  public static DonorNet build(ModelSpec spec) {
    return switch (spec.architecture()) {
      case ModelSpec.MULTIMODAL -> new MultimodalDonorNet(spec);
      case ModelSpec.LOGREG -> new LinearDonorNet(spec);
      default -> new VanillaDonorNet(spec);
    };
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Sets the gradient-reversal strength for the next steps (no effect without an adversary). */
  public void setAdversaryLambda(float lambda) {
    if (adversary != null) adversary.setLambda(lambda);
  }

  /** The text vectors of the known types with the learned unknown one appended as row T, in {@code batch}. */
  static NDArray withUnknownRow(NDArray table, NDArray unknown, NDManager batch) {
    return Nd.scoped(table.concat(unknown, 0), batch);
  }

  /**
   * The latent representation (and extra named outputs) of a batch.
   *
   * @param typeRow [B] each cell's row of the type table, T for the unknown type
   * @param table [T, D] text vectors of the known cell types
   * @param unknown [1, D] the learned unknown-type vector (row T)
   */
  protected abstract NDList encode(ParameterStore ps, NDArray gene, NDArray typeRow, NDArray table, NDArray unknown, boolean training);

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray gene = inputs.get(0);
    NDArray unknown = Nd.scoped(ps.getValue(unknownType, gene.getDevice(), training).reshape(1, spec.textDim()), gene.getManager());
    NDList out = encode(ps, gene, inputs.get(1), inputs.get(2), unknown, training);
    NDArray latent = out.get(LATENT);
    NDArray logits = Nd.apply(donorHead, ps, latent, training);
    logits.setName(LOGITS);
    out.add(logits);
    if (adversary != null) {
      NDArray sex = Nd.apply(adversary, ps, latent, training);
      sex.setName(SEX_LOGIT);
      out.add(sex);
    }
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {new Shape(b, spec.hidden()), new Shape(b, spec.donors())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    donorHead.initialize(manager, dataType, new Shape(1, spec.hidden()));
    if (adversary != null) adversary.initialize(manager, dataType, new Shape(1, spec.hidden()));
    initializeEncoder(manager, dataType);
  }

  protected abstract void initializeEncoder(NDManager manager, DataType dataType);

  /** Input shapes for {@code initialize}: gene, type row, type table. */
  public Shape[] inputShapes(int batch) {
    return new Shape[] {new Shape(batch, spec.geneWidth()), new Shape(batch), new Shape(1, spec.textDim())};
  }

  /** Rows {@code index} [B] of {@code table} [N, ...], in the batch's manager. */
  static NDArray rows(NDArray table, NDArray index) {
    return table.get(new NDIndex("{}", index));
  }

  static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
