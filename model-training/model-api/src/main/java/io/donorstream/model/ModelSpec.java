package io.donorstream.model;

/**
 * The architecture and size of a donor model: everything needed to rebuild its blocks before
 * loading parameters. Stored in {@code model.json}.
 *
 * @param geneWidth width of the cell embedding
 * @param textDim width of the cell-type text embedding
 * @param hidden width of the latent representation the donor head (and the sex adversary) read
 * @param attentionDim token width inside the multimodal model
 */
public record ModelSpec(
    String architecture,
    int geneWidth,
    int textDim,
    int donors,
    int hidden,
    float dropout,
    int attentionDim,
    int heads,
    int latents,
    int geneTokens,
    int textTokens,
    boolean adversarial) {

  public static final String VANILLA = "vanilla";
  public static final String MULTIMODAL = "multimodal";
  /** The logistic-regression baseline. */
  public static final String LOGREG = "logreg";

  public ModelSpec {
    if (!architecture.equals(VANILLA) && !architecture.equals(MULTIMODAL) && !architecture.equals(LOGREG)) {
      throw new IllegalArgumentException("--model must be vanilla or multimodal, got '" + architecture + "'");
    }
    if (attentionDim % heads != 0) {
      throw new IllegalArgumentException("attention width " + attentionDim + " must be divisible by heads " + heads);
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }

  public static ModelSpec vanilla(int geneWidth, int textDim, int donors, boolean adversarial) {
    return new ModelSpec(VANILLA, geneWidth, textDim, donors, 128, 0.2f, 0, 1, 0, 0, 0, adversarial);
  }

  public static ModelSpec multimodal(int geneWidth, int textDim, int donors, boolean adversarial) {
    return new ModelSpec(MULTIMODAL, geneWidth, textDim, donors, 128, 0.2f, 64, 4, 8, 8, 4, adversarial);
  }

  public static ModelSpec logreg(int geneWidth, int textDim, int donors) {
    return new ModelSpec(LOGREG, geneWidth, textDim, donors, geneWidth + textDim, 0f, 0, 1, 0, 0, 0, false);
  }

  public ModelSpec withHiddenAndDropout(Integer hidden, Float dropout) {
    return new ModelSpec(architecture, geneWidth, textDim, donors, hidden != null ? hidden : this.hidden,
        dropout != null ? dropout : this.dropout, attentionDim, heads, latents, geneTokens, textTokens, adversarial);
  }

  /** The multimodal model's latent count per Perceiver and its attention heads (null keeps the current one). */
  public ModelSpec withAttention(Integer latents, Integer heads) {
    return new ModelSpec(architecture, geneWidth, textDim, donors, hidden, dropout, attentionDim, heads != null ? heads : this.heads,
        latents != null ? latents : this.latents, geneTokens, textTokens, adversarial);
  }

  public boolean isMultimodal() {
    return architecture.equals(MULTIMODAL);
  }
}
