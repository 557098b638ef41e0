package io.donorstream.experiments;

import io.donorstream.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One model configuration of a comparison.
 *
 * @param id file-name-safe name, e.g. {@code multimodal-align-adversarial}
 * @param lambda final gradient-reversal strength (used only when adversarial); NaN: sex removed as
 *     hard as the evidence asks ({@link io.donorstream.pipeline.RemovalLadder}), as {@code train --adversarial} does
 */
public record Variant(String id, String architecture, boolean align, boolean adversarial, float lambda) {
  /** The λ values of the trade-off figure. */
  public static final float[] LAMBDA_SWEEP = {0f, 0.03f, 0.1f, 0.3f, 1f};

  public static Variant of(String architecture, boolean align, boolean adversarial, float lambda) {
    String id = architecture + (align ? "-align" : "") + (adversarial ? "-adversarial" : "");
    return new Variant(id, architecture, align, adversarial, lambda);
  }

  /**
   * The original project's table: vanilla; multimodal ± alignment ± adversary; vanilla with the
   * adversary. {@code lambda} NaN: the adversarial rows remove sex by evidence.
   */
  public static List<Variant> table(float lambda) {
    return List.of(
        of(ModelSpec.VANILLA, false, false, lambda),
        of(ModelSpec.VANILLA, false, true, lambda),
        of(ModelSpec.MULTIMODAL, false, false, lambda),
        of(ModelSpec.MULTIMODAL, true, false, lambda),
        of(ModelSpec.MULTIMODAL, false, true, lambda),
        of(ModelSpec.MULTIMODAL, true, true, lambda));
  }

  /** Both models with the adversary at each λ of {@link #LAMBDA_SWEEP} (λ = 0: input erasure alone). */
  public static List<Variant> lambdaSweep() {
    List<Variant> out = new ArrayList<>();
    for (String arch : List.of(ModelSpec.VANILLA, ModelSpec.MULTIMODAL)) {
      for (float l : LAMBDA_SWEEP) {
        Variant v = of(arch, false, true, l);
        out.add(new Variant(v.id() + "-lambda-" + format(l), arch, false, true, l));
      }
    }
    return out;
  }

  /** Sex removed as hard as the evidence asks rather than at a forced λ. */
  public boolean byEvidence() {
    return adversarial && Float.isNaN(lambda);
  }

  /** The same model without sex removal. */
  public Variant withoutRemoval() {
    return of(architecture, align, false, lambda);
  }

  /** A point of the λ trade-off rather than a row of the table. */
  public boolean sweepPoint() {
    return id.contains("-lambda-");
  }

  /** The row label of the report, e.g. "multimodal + align + adversarial (λ 0.2)". */
  public String label() {
    String removal = !adversarial ? "" : byEvidence() ? " + adversarial (by evidence)" : " + adversarial (λ " + format(lambda) + ")";
    return architecture + (align ? " + align" : "") + removal;
  }

  static String format(float l) {
    return l == (int) l ? Integer.toString((int) l) : Float.toString(l);
  }
}
