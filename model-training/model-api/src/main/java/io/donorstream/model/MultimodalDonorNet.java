package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * Each modality becomes a short token sequence (a learned projection split into tokens, plus
 * positions), is resampled by its own Perceiver, then attends to the other modality with separate
 * weights per direction (residual + norm); the two are mean-pooled, concatenated and fused into the
 * latent the donor head reads. The pooled resampler outputs are the modality vectors that
 * alignment pretraining pulls together.
 */
final class MultimodalDonorNet extends DonorNet {
  public static final String ATTN_GENE = "attn_gene";
  public static final String ATTN_TEXT = "attn_text";
  public static final String ATTN_GENE_TO_TEXT = DonorNet.ATTN_GENE_TO_TEXT;
  public static final String ATTN_TEXT_TO_GENE = "attn_text_to_gene";

  private final int d;
  private final Linear geneProjection;
  private final Linear textProjection;
  private final Parameter genePositions;
  private final Parameter textPositions;
  private final PerceiverResampler geneResampler;
  private final PerceiverResampler textResampler;
  private final MultiHeadAttention geneAttendsText;
  private final MultiHeadAttention textAttendsGene;
  private final LayerNormBlock geneNorm;
  private final LayerNormBlock textNorm;
  private final Linear fuse;
  private final Dropout dropout;
  private final Parameter logitScale;
  static final float MAX_LOG_SCALE = (float) Math.log(100);

  MultimodalDonorNet(ModelSpec spec) {
    super(spec);
    d = spec.attentionDim();
    geneProjection = addChildBlock("gene_projection", Linear.builder().setUnits((long) spec.geneTokens() * d).build());
    textProjection = addChildBlock("text_projection", Linear.builder().setUnits((long) spec.textTokens() * d).build());
    genePositions = addParameter(Parameter.builder().setName("gene_positions").setType(Parameter.Type.OTHER)
        .optShape(new Shape(spec.geneTokens(), d)).optInitializer(new NormalInitializer(0.1f)).build());
    textPositions = addParameter(Parameter.builder().setName("text_positions").setType(Parameter.Type.OTHER)
        .optShape(new Shape(spec.textTokens(), d)).optInitializer(new NormalInitializer(0.1f)).build());
    geneResampler = addChildBlock("gene_resampler", new PerceiverResampler(spec.latents(), d, spec.heads()));
    textResampler = addChildBlock("text_resampler", new PerceiverResampler(spec.latents(), d, spec.heads()));
    geneAttendsText = addChildBlock("gene_attends_text", new MultiHeadAttention(d, spec.heads()));
    textAttendsGene = addChildBlock("text_attends_gene", new MultiHeadAttention(d, spec.heads()));
    geneNorm = addChildBlock("gene_norm", new LayerNormBlock(d));
    textNorm = addChildBlock("text_norm", new LayerNormBlock(d));
    fuse = addChildBlock("fuse", Linear.builder().setUnits(spec.hidden()).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate(spec.dropout()).build());
    // CLIP's learned temperature, as log(1 / 0.07).
    logitScale = addParameter(Parameter.builder().setName("logit_scale").setType(Parameter.Type.OTHER)
        .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07))).build());
  }

  @Override
  protected NDList encode(ParameterStore ps, NDArray gene, NDArray typeRow, NDArray table, NDArray unknown, boolean training) {
    NDManager m = gene.getManager();
    NDArray types = withUnknownRow(table, unknown, m);
    NDArray geneTokens = Nd.apply(geneProjection, ps, gene, training).reshape(new Shape(-1, spec.geneTokens(), d))
        .add(ps.getValue(genePositions, gene.getDevice(), training));
    // The text branch up to cross-attention depends on the cell type alone: resample each type once.
    NDArray textTokens = Nd.apply(textProjection, ps, types, training).reshape(new Shape(-1, spec.textTokens(), d))
        .add(ps.getValue(textPositions, gene.getDevice(), training));
    NDList g = geneResampler.forward(ps, new NDList(geneTokens), training);
    NDList t = textResampler.forward(ps, new NDList(textTokens), training);
    NDArray gl = g.get(0);
    NDArray tl = rows(t.get(0), typeRow);
    NDList gt = geneAttendsText.forward(ps, new NDList(gl, tl), training);
    NDList tg = textAttendsGene.forward(ps, new NDList(tl, gl), training);
    NDArray g2 = Nd.apply(geneNorm, ps, gl.add(gt.get(0)), training);
    NDArray t2 = Nd.apply(textNorm, ps, tl.add(tg.get(0)), training);
    NDArray fused = g2.mean(new int[] {1}).concat(t2.mean(new int[] {1}), 1);
    NDArray latent = Nd.apply(dropout, ps, Activation.relu(Nd.apply(fuse, ps, fused, training)), training);
    NDArray scale = inverseTemperature(ps.getValue(logitScale, gene.getDevice(), training), m);
    return new NDList(
        named(latent, LATENT),
        named(gl.mean(new int[] {1}), GENE_VEC),
        named(tl.mean(new int[] {1}), TEXT_VEC),
        named(scale, "logit_scale_exp"),
        named(g.get(1), ATTN_GENE),
        named(rows(t.get(1), typeRow), ATTN_TEXT),
        named(gt.get(1), ATTN_GENE_TO_TEXT),
        named(tg.get(1), ATTN_TEXT_TO_GENE));
  }

  /**
   * exp(logit scale), with the scale clamped at ln 100 before the exponential as CLIP does: an
   * unbounded learned temperature can grow until the similarities saturate the softmax. Clamping
   * before {@code exp} keeps the backward pass finite (clamping after it would multiply a zero
   * gradient by an infinite derivative once the scale overflowed).
   */
  private static NDArray inverseTemperature(NDArray logScale, NDManager batch) {
    NDArray ceiling = batch.full(new Shape(), MAX_LOG_SCALE, logScale.getDataType());
    return Nd.scoped(logScale.minimum(ceiling), batch).exp();
  }

  @Override
  protected void initializeEncoder(NDManager manager, DataType dataType) {
    geneProjection.initialize(manager, dataType, new Shape(1, spec.geneWidth()));
    textProjection.initialize(manager, dataType, new Shape(1, spec.textDim()));
    geneResampler.initialize(manager, dataType, new Shape(1, spec.geneTokens(), d));
    textResampler.initialize(manager, dataType, new Shape(1, spec.textTokens(), d));
    geneAttendsText.initialize(manager, dataType, new Shape(1, spec.latents(), d), new Shape(1, spec.latents(), d));
    textAttendsGene.initialize(manager, dataType, new Shape(1, spec.latents(), d), new Shape(1, spec.latents(), d));
    geneNorm.initialize(manager, dataType, new Shape(1, d));
    textNorm.initialize(manager, dataType, new Shape(1, d));
    fuse.initialize(manager, dataType, new Shape(1, 2L * d));
    dropout.initialize(manager, dataType, new Shape(1, spec.hidden()));
  }
}
