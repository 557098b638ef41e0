package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A donor classifier. Input {@code (gene [B, W] standardised, text [B, T], unknownType [B, 1])};
 * where {@code unknownType} is 1 the text is replaced by a learned "unknown cell type" vector.
 * Output named arrays: {@link #LOGITS}, {@link #LATENT}, {@link #SEX_LOGIT} when adversarial, and
 * for multimodal models the modality vectors and attention weights.
 */
public abstract class DonorNet extends AbstractBlock {
  public static final String LOGITS = "logits";
  public static final String LATENT = "latent";
  public static final String SEX_LOGIT = "sex_logit";
  public static final String GENE_VEC = "gene_vec";
  public static final String TEXT_VEC = "text_vec";

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

  /** The text input with unknown cell types replaced by the learned vector. */
  protected NDArray effectiveText(ParameterStore ps, NDArray text, NDArray unknown, boolean training) {
    NDArray learned = ps.getValue(unknownType, text.getDevice(), training);
    return text.mul(unknown.neg().add(1f)).add(unknown.mul(learned));
  }

  /** The latent representation (and extra named outputs) of a batch. */
  protected abstract NDList encode(ParameterStore ps, NDArray gene, NDArray text, boolean training);

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray text = effectiveText(ps, inputs.get(1), inputs.get(2), training);
    NDList out = encode(ps, inputs.get(0), text, training);
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

  /** Input shapes for {@code initialize}: gene, text, unknown flag. */
  public Shape[] inputShapes(int batch) {
    return new Shape[] {new Shape(batch, spec.geneWidth()), new Shape(batch, spec.textDim()), new Shape(batch, 1)};
  }

  static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }
}
