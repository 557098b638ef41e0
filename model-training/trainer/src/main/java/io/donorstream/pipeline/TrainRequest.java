package io.donorstream.pipeline;

import io.donorstream.data.CellTable;
import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;

/**
 * One training run: data, model choice, settings, text encoder and where the artifact goes. Build
 * with {@link #of} and the optional parts:
 * {@code TrainRequest.of(table, "vanilla", settings, out, encoder).adversarial(true).version("2").build()}.
 *
 * @param hidden latent width, or null for the model's default
 * @param dropout dropout rate, or null for the model's default
 * @param latents Perceiver latents per modality (multimodal), or null for the default
 * @param heads attention heads (multimodal), or null for the default
 */
public record TrainRequest(
    CellTable table,
    String architecture,
    boolean adversarial,
    Integer hidden,
    Float dropout,
    Integer latents,
    Integer heads,
    TrainSettings settings,
    Path out,
    String name,
    String version,
    TextEncoder encoder,
    CellOntology ontology,
    boolean showProgress,
    boolean baselines,
    Boolean erase,
    RemovalLadder removal,
    Boolean discriminantInputs) {

  /** Whether the inputs' shared sex direction is erased (by default: with the adversary). */
  public boolean erasesSex() {
    return erase != null ? erase : adversarial;
  }

  /**
   * Whether the network reads the training donors' discriminant subspace: as asked, else exactly
   * when sex is removed (the subspace wins back what not knowing the sex direction costs; where
   * nothing is removed, training stays the same as without removal).
   */
  public boolean discriminantInputs(boolean sexRemoved) {
    return discriminantInputs != null ? discriminantInputs : sexRemoved;
  }

  /** The required parts; the model is named after its architecture, version 1, no ontology, no progress bars. */
  public static Builder of(CellTable table, String architecture, TrainSettings settings, Path out, TextEncoder encoder) {
    return new Builder(table, architecture, settings, out, encoder);
  }

  /** The optional parts of a {@link TrainRequest}. */
  public static final class Builder {
    private final CellTable table;
    private final String architecture;
    private final TrainSettings settings;
    private final Path out;
    private final TextEncoder encoder;
    private boolean adversarial;
    private Integer hidden;
    private Float dropout;
    private Integer latents;
    private Integer heads;
    private String name;
    private String version = "1";
    private CellOntology ontology = CellOntology.empty();
    private boolean showProgress;
    private boolean baselines = true;
    private Boolean discriminantInputs;
    private Boolean erase;
    private RemovalLadder removal;

    private Builder(CellTable table, String architecture, TrainSettings settings, Path out, TextEncoder encoder) {
      this.table = table;
      this.architecture = architecture;
      this.settings = settings;
      this.out = out;
      this.encoder = encoder;
    }

    public Builder adversarial(boolean a) {
      adversarial = a;
      return this;
    }

    public Builder hidden(Integer h) {
      hidden = h;
      return this;
    }

    public Builder dropout(Float d) {
      dropout = d;
      return this;
    }

    /** Hidden size, dropout, latents and heads from tuned settings (those set; the rest stay). */
    public Builder shape(io.donorstream.train.Hyperparameters p) {
      if (p.hidden() != null) hidden = p.hidden();
      if (p.dropout() != null) dropout = p.dropout();
      if (p.latents() != null) latents = p.latents();
      if (p.heads() != null) heads = p.heads();
      return this;
    }

    public Builder name(String n) {
      name = n;
      return this;
    }

    public Builder version(String v) {
      version = v;
      return this;
    }

    public Builder ontology(CellOntology o) {
      ontology = o;
      return this;
    }

    public Builder showProgress(boolean p) {
      showProgress = p;
      return this;
    }

    /** Train the baselines too (default); a comparison turns them off and trains them once per split. */
    public Builder baselines(boolean b) {
      baselines = b;
      return this;
    }

    /** Erase the inputs' shared sex direction or not, whatever {@link #adversarial} says. */
    public Builder erase(Boolean e) {
      erase = e;
      return this;
    }

    /**
     * Feed the network the training donors' discriminant subspace of the embedding ({@link
     * io.donorstream.preprocess.DiscriminantSubspace}) or not; null (the default) for "when sex is
     * removed" ({@link #adversarial}, or a {@link #removal} that finds a sex signal to remove): removal pays for not knowing the sex
     * direction exactly, and the subspace wins back what the network's first layer loses to the
     * embedding's noise directions (docs/removing-sex.md).
     */
    public Builder discriminantInputs(Boolean d) {
      discriminantInputs = d;
      return this;
    }

    /** Remove sex, choosing how hard on validation ({@link RemovalLadder}); overrides adversarial and erase. */
    public Builder removal(RemovalLadder ladder) {
      removal = ladder;
      return this;
    }

    public TrainRequest build() {
      return new TrainRequest(table, architecture, adversarial, hidden, dropout, latents, heads, settings, out, name != null ? name : architecture, version,
          encoder, ontology, showProgress, baselines, erase, removal, discriminantInputs);
    }
  }
}
