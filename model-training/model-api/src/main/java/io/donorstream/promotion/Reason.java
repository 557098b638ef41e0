package io.donorstream.promotion;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Why a new model is wanted, as the monitor's rules name it on a retrain request ({@code kinds}) and
 * the registry records what each version answered. The retrain service picks its recipe from the
 * reasons and the promotion gates judge by them: a {@link #LEAKAGE} answer may cost accuracy up to a
 * stated price but must bring leakage under the ceiling; every other reason asks for a model that is
 * better with confidence and no leakier.
 */
public enum Reason {
  /** Donor-held-out sex leakage of the champion's latent above the ceiling. */
  LEAKAGE,
  /** Labelled accuracy below the floor. */
  ACCURACY,
  /** ADWIN cut the error stream upwards, or the confidence stream downwards. */
  DRIFT,
  /** Labels name donors the model was never trained on. */
  UNSEEN_DONORS,
  /** The cell-type mix moved away from training's. */
  CELL_TYPE_MIX,
  /** The online challenger beats the champion. */
  CHALLENGER,
  /** Label-free: the cells' distance to the known donors says many come from donors the model does not know. */
  UNKNOWN_DONORS,
  /** Anything else (a person's request, a producer that names no kind). */
  OTHER;

  /** The name on the wire and in the registry: lower case, e.g. {@code unseen_donors}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason a wire name stands for; unknown names (from a newer producer) are {@link #OTHER}. */
  public static Reason of(String wire) {
    for (Reason r : values()) if (r.wire().equals(wire)) return r;
    return OTHER;
  }

  public static Set<Reason> of(Collection<? extends CharSequence> wire) {
    Set<Reason> out = EnumSet.noneOf(Reason.class);
    for (CharSequence w : wire) out.add(of(w.toString()));
    return out;
  }

  /** Whether the answer to this reason must be more accurate than the champion (every reason but leakage). */
  public boolean asksForAccuracy() {
    return this != LEAKAGE;
  }

  /**
   * Whether a version that answers {@code answers} answers a request for {@code asked}: leakage by a
   * leakage answer; every other reason (they all ask for a more accurate model, and pass the same
   * gate) by any answer that is not leakage alone. An empty {@code asked} counts as {@link #OTHER}.
   */
  public static boolean covers(Set<Reason> answers, Set<Reason> asked) {
    boolean accuracyAsked = asked.isEmpty() || asked.stream().anyMatch(Reason::asksForAccuracy);
    if (asked.contains(LEAKAGE) && !answers.contains(LEAKAGE)) return false;
    return !accuracyAsked || answers.stream().anyMatch(Reason::asksForAccuracy);
  }

  /** Whether the answer to this reason should learn mostly from recent cells. */
  public boolean favoursRecentCells() {
    return this == ACCURACY || this == DRIFT || this == CELL_TYPE_MIX || this == CHALLENGER || this == UNSEEN_DONORS || this == UNKNOWN_DONORS;
  }
}
