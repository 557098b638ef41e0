package io.donorstream.promotion;

import java.util.Locale;

/**
 * One reading of donor-held-out sex leakage (the probe's balanced accuracy minus 0.5 on donors it
 * never learned from) with its donor-clustered standard error ({@link DonorClusteredRate}). Reading
 * sex backwards is leakage too: a probe that is reliably wrong across donors has found the signal.
 *
 * @param leakage null when it cannot be read (no sex labels, one sex only)
 * @param standardError null when it cannot be estimated (fewer than two donors of a sex)
 * @param cells labelled cells the reading rests on
 */
public record LeakageReading(Double leakage, Double standardError, int donors, long cells) implements java.io.Serializable {
  public static final LeakageReading NONE = new LeakageReading(null, null, 0, 0);

  public boolean available() {
    return leakage != null;
  }

  /** One-sided 95 % upper bound on the size of the leakage, either direction. */
  public double upperBound() {
    return Math.abs(leakage) + HoldoutComparison.Z_95_ONE_SIDED * (standardError == null ? 0 : standardError);
  }

  /**
   * One-sided 95 % lower bound on the size of the leakage, either direction: above a ceiling, it is
   * evidence of leakage. Null when unreadable or without a standard error (too few donors to tell).
   */
  public Double lowerBound() {
    return !available() || standardError == null ? null : Math.abs(leakage) - HoldoutComparison.Z_95_ONE_SIDED * standardError;
  }

  /**
   * Whether the leakage is under {@code ceiling} with the probe's donor-level noise accounted for:
   * its 95 % upper bound is. An unreadable leakage, or one without a standard error, is not.
   */
  public boolean within(double ceiling) {
    return available() && standardError != null && upperBound() <= ceiling;
  }

  /**
   * Whether its size (either direction) is below {@code other}'s by more than their joint noise: a
   * one-sided 95 % bound on the difference, with the standard errors taken as independent.
   */
  public boolean clearlyBelow(LeakageReading other) {
    if (!available() || !other.available()) return false;
    double a = standardError == null ? 0 : standardError;
    double b = other.standardError == null ? 0 : other.standardError;
    return other.leakage - Math.abs(leakage) > HoldoutComparison.Z_95_ONE_SIDED * Math.sqrt(a * a + b * b);
  }

  @Override
  public String toString() {
    if (!available()) return "n/a";
    return String.format(Locale.ROOT, "%+.3f", leakage) + (standardError == null ? " (no standard error: too few donors of a sex)"
        : String.format(Locale.ROOT, " ± %.3f (donor-clustered SE, %d donors, %,d cells)", standardError, donors, cells));
  }
}
