package io.donorstream.pipeline;

import java.util.List;
import java.util.Locale;

/**
 * How a training that must remove sex chooses how hard to remove it: each setting (input erasure
 * on or off, gradient-reversal strength λ) is trained on the same split, and the most accurate on
 * validation whose validation donor-held-out sex leakage is under {@code ceiling}, the probe's
 * donor-level noise accounted for, is kept; when none is, the least leaky. Removing more than the
 * ceiling asks for costs accuracy for nothing, so the weakest sufficient removal wins on accuracy.
 */
public record RemovalSweep(List<Setting> settings, double ceiling) {

  /** @param erase project the shared sex direction out of the inputs; {@code lambda} 0: no adversary */
  public record Setting(boolean erase, float lambda) {
    public String describe() {
      if (!erase) return String.format(Locale.ROOT, "adversary λ %.2f", lambda);
      return lambda == 0 ? "input erasure alone" : String.format(Locale.ROOT, "input erasure + adversary λ %.2f", lambda);
    }

    public boolean adversarial() {
      return lambda > 0;
    }
  }

  /** From the mildest to the strongest: the adversary alone, erasure alone, both. */
  public static RemovalSweep defaults(double ceiling) {
    return new RemovalSweep(List.of(new Setting(false, 0.3f), new Setting(false, 1f), new Setting(true, 0f), new Setting(true, 0.3f)), ceiling);
  }
}
