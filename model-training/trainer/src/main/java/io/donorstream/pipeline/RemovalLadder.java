package io.donorstream.pipeline;

import io.donorstream.promotion.LeakageReading;
import java.util.List;
import java.util.Locale;

/**
 * How a training that must remove sex chooses how hard to remove it: the smallest removal the
 * evidence asks for, no more. Removing more than there is to remove takes donor identity with it:
 * on the training donors sex is a function of identity, so an adversary can always read it there
 * and its reversal then erases identity (docs/removing-sex.md).
 *
 * <p>First the inputs are tested for a sex signal that generalises across donors, with the test
 * the input erasure uses ({@link io.donorstream.preprocess.SexErasure}: each training donor left
 * out, placed along the direction the others give; a one-sample t over donors above {@link
 * io.donorstream.preprocess.SexErasure#SHARED_T}). Without one, there is nothing a reversal could
 * remove that generalises: the erasure's evidence-scaled share is projected out and no adversary is
 * trained. With one, the steps are trained in order, from erasure alone to erasure plus ever
 * stronger reversal, and the first whose validation donor-held-out probe is within its own
 * donor-level noise of chance (no evidence of leakage either way: |L| − 1.645·SE ≤ 0, and under
 * {@code ceiling} when one is set) is kept. If none is, the least leaky (smallest upper bound).
 *
 * @param steps from the mildest to the strongest
 * @param ceiling also require the leakage's 95 % upper bound under this; NaN for none
 */
public record RemovalLadder(List<Step> steps, double ceiling) {

  /**
   * @param erase project the inputs' shared sex direction out (every default step does)
   * @param lambda final gradient-reversal strength; 0: no adversary
   */
  public record Step(boolean erase, float lambda) {
    public String describe() {
      if (!erase) return String.format(Locale.ROOT, "adversary λ %s alone", format(lambda));
      return lambda == 0 ? "input erasure alone" : String.format(Locale.ROOT, "input erasure + adversary λ %s", format(lambda));
    }

    public boolean adversarial() {
      return lambda > 0;
    }
  }

  /** The reversal strengths tried after erasure alone, each about three times the last. */
  public static final float[] LAMBDAS = {0.03f, 0.1f, 0.3f, 1f};

  /** Erasure alone, then erasure with each of {@link #LAMBDAS}; no ceiling. */
  public static RemovalLadder defaults() {
    Step[] s = new Step[LAMBDAS.length + 1];
    s[0] = new Step(true, 0f);
    for (int i = 0; i < LAMBDAS.length; i++) s[i + 1] = new Step(true, LAMBDAS[i]);
    return new RemovalLadder(List.of(s), Double.NaN);
  }

  public RemovalLadder withCeiling(double c) {
    return new RemovalLadder(steps, c);
  }

  /**
   * Whether a step removed enough: no evidence of leakage in either direction and, with a ceiling,
   * the upper bound under it. A reading without a standard error (too few donors of a sex to tell)
   * is not enough.
   */
  public boolean sufficient(LeakageReading leak) {
    if (!leak.available() || leak.standardError() == null) return false;
    return leak.lowerBound() <= 0 && (Double.isNaN(ceiling) || leak.within(ceiling));
  }

  /** For logs and the recipe: the steps and the rule. */
  public String describe() {
    return "the first sufficient of " + String.join(", ", steps.stream().map(Step::describe).toList())
        + " (no evidence of leakage on validation" + (Double.isNaN(ceiling) ? "" : String.format(Locale.ROOT, ", upper bound under %.2f", ceiling)) + ")";
  }

  static String format(float l) {
    return l == (int) l ? Integer.toString((int) l) : Float.toString(l);
  }
}
