package io.donorstream.tune;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One hyper-parameter dimension. Samplers work on a "coordinate": ln(value) for the LOG kinds, so that
 * distances mean ratios (1e-4 is as far from 1e-3 as 1e-3 is from 1e-2), and the index into
 * {@code choices} for CHOICE. The coordinate range of discrete kinds (INT, LOG_INT, CHOICE) is widened by
 * half a step on each side so that, after rounding, the two end values get as much room as inner ones
 * (Optuna widens int distributions the same way).
 *
 * <p>For CHOICE, {@code low} and {@code high} are the smallest and largest choice; for the other kinds
 * {@code choices} is empty. INT bounds are inclusive.
 */
public record Param(String name, Kind kind, double low, double high, double[] choices) {
  /** The shape of a dimension. */
  public enum Kind { UNIFORM, LOG_UNIFORM, INT, LOG_INT, CHOICE }

  // Names become trials.csv columns, so nothing a CSV line or the intermediate list would split on.
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

  public Param {
    Objects.requireNonNull(kind, "kind");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("parameter name must match " + NAME + " (it becomes a trials.csv column), got '" + name + "'");
    }
    if (kind == Kind.CHOICE) {
      if (choices == null || choices.length == 0) throw new IllegalArgumentException("choice parameter '" + name + "' needs at least one value");
      choices = choices.clone();
      double[] sorted = choices.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (!Double.isFinite(sorted[i])) throw new IllegalArgumentException("choice parameter '" + name + "' has a non-finite value: " + Arrays.toString(choices));
        if (i > 0 && sorted[i] == sorted[i - 1]) throw new IllegalArgumentException("choice parameter '" + name + "' lists " + sorted[i] + " twice: " + Arrays.toString(choices));
      }
      low = sorted[0];
      high = sorted[sorted.length - 1];
    } else {
      if (choices != null && choices.length > 0) throw new IllegalArgumentException("parameter '" + name + "' of kind " + kind + " takes no choices");
      choices = new double[0];
      if (!Double.isFinite(low) || !Double.isFinite(high)) throw new IllegalArgumentException("parameter '" + name + "' needs finite bounds, got [" + low + ", " + high + "]");
      if (!(low < high)) throw new IllegalArgumentException("parameter '" + name + "' needs low < high, got low=" + low + " high=" + high);
      if (isLog(kind) && low <= 0) throw new IllegalArgumentException("log parameter '" + name + "' needs low > 0, got low=" + low);
      if (isInt(kind) && (low != Math.rint(low) || high != Math.rint(high))) {
        throw new IllegalArgumentException("integer parameter '" + name + "' needs integer bounds, got [" + low + ", " + high + "]");
      }
    }
  }

  public static Param uniform(String name, double low, double high) { return new Param(name, Kind.UNIFORM, low, high, null); }

  public static Param logUniform(String name, double low, double high) { return new Param(name, Kind.LOG_UNIFORM, low, high, null); }

  public static Param integer(String name, int low, int high) { return new Param(name, Kind.INT, low, high, null); }

  public static Param logInteger(String name, int low, int high) { return new Param(name, Kind.LOG_INT, low, high, null); }

  public static Param choice(String name, double... values) { return new Param(name, Kind.CHOICE, Double.NaN, Double.NaN, values); }

  /** A copy: the record must stay immutable. */
  @Override
  public double[] choices() { return choices.clone(); }

  /** Lower end of the coordinate range (widened by half a step for discrete kinds). */
  public double coordinateLow() {
    return switch (kind) {
      case UNIFORM -> low;
      case LOG_UNIFORM -> Math.log(low);
      case INT -> low - 0.5;
      case LOG_INT -> Math.log(low - 0.5);
      case CHOICE -> -0.5;
    };
  }

  /** Upper end of the coordinate range (widened by half a step for discrete kinds). */
  public double coordinateHigh() {
    return switch (kind) {
      case UNIFORM -> high;
      case LOG_UNIFORM -> Math.log(high);
      case INT -> high + 0.5;
      case LOG_INT -> Math.log(high + 0.5);
      case CHOICE -> choices.length - 0.5;
    };
  }

  /** The coordinate of a value; the value is first clipped, so old or hand-edited logs cannot yield -Infinity. */
  public double toCoordinate(double value) {
    double v = clip(value);
    return switch (kind) {
      case UNIFORM, INT -> v;
      case LOG_UNIFORM, LOG_INT -> Math.log(v);
      case CHOICE -> nearestChoice(v);
    };
  }

  /** The legal value at a coordinate: exponentiated, rounded and clipped as the kind requires. */
  public double fromCoordinate(double coordinate) {
    return switch (kind) {
      case UNIFORM, INT -> clip(coordinate);
      case LOG_UNIFORM, LOG_INT -> clip(Math.exp(coordinate));
      case CHOICE -> choices[(int) Math.max(0, Math.min(choices.length - 1, Math.floor(coordinate + 0.5)))];
    };
  }

  /** The nearest legal value: within bounds, integral for INT kinds, one of the list for CHOICE. */
  public double clip(double value) {
    return switch (kind) {
      case UNIFORM, LOG_UNIFORM -> Math.max(low, Math.min(high, value));
      case INT, LOG_INT -> Math.max(low, Math.min(high, Math.floor(value + 0.5)));
      case CHOICE -> choices[nearestChoice(value)];
    };
  }

  /** Whether {@code value} is a value this dimension can produce. */
  public boolean contains(double value) { return !Double.isNaN(value) && clip(value) == value; }

  private int nearestChoice(double value) {
    int best = 0;
    for (int i = 1; i < choices.length; i++) if (Math.abs(choices[i] - value) < Math.abs(choices[best] - value)) best = i;
    return best;
  }

  private static boolean isLog(Kind k) { return k == Kind.LOG_UNIFORM || k == Kind.LOG_INT; }

  private static boolean isInt(Kind k) { return k == Kind.INT || k == Kind.LOG_INT; }

  // Records compare arrays by reference; two equal dimensions must be equal.
  @Override
  public boolean equals(Object o) {
    return o instanceof Param p && name.equals(p.name) && kind == p.kind && Double.compare(low, p.low) == 0
        && Double.compare(high, p.high) == 0 && Arrays.equals(choices, p.choices);
  }

  @Override
  public int hashCode() { return Objects.hash(name, kind, low, high, Arrays.hashCode(choices)); }

  @Override
  public String toString() {
    return kind == Kind.CHOICE ? name + " CHOICE " + Arrays.toString(choices) : name + " " + kind + " [" + low + ", " + high + "]";
  }
}
