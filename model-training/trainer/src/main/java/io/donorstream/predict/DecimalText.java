package io.donorstream.predict;

/**
 * Floats as decimal text for the CSV, to 7 significant digits (a float holds about 7), plain
 * between 1e-4 and 1e7 and with an exponent outside ({@code 1.234567E-5}), trailing zeros dropped.
 * {@code Float.toString} gives up to 9 digits but took a fifth of the writer thread's time on JDK
 * 17 (profiled); the h5ad keeps the exact float32 values.
 */
final class DecimalText {
  private static final int DIGITS = 7;
  private static final long LOW = 1_000_000L;
  private static final long HIGH = 10_000_000L;
  private static final int POW_OFFSET = 64;
  private static final double[] POW10 = new double[2 * POW_OFFSET + 1];

  static {
    for (int k = -POW_OFFSET; k <= POW_OFFSET; k++) POW10[k + POW_OFFSET] = Double.parseDouble("1e" + k);
  }

  private DecimalText() {}

  /** floor(log10(d)), possibly one off (the caller corrects): a table walk for the usual probabilities, log10 beyond. */
  private static int exponent(double d) {
    if (d < 1e-6 || d >= 1e7) return (int) Math.floor(Math.log10(d));
    int e = 0;
    while (d < POW10[e + POW_OFFSET]) e--;
    while (d >= POW10[e + 1 + POW_OFFSET]) e++;
    return e;
  }

  static void append(StringBuilder sb, float value) {
    if (Float.isNaN(value) || Float.isInfinite(value)) {
      sb.append(value);
      return;
    }
    double d = value;
    if (d == 0) {
      sb.append('0');
      return;
    }
    if (d < 0) {
      sb.append('-');
      d = -d;
    }
    int e = exponent(d);
    long m = Math.round(d * POW10[DIGITS - 1 - e + POW_OFFSET]);
    // log10 can be one off next to a power of ten, and rounding can carry into an eighth digit.
    if (m < LOW) {
      e--;
      m = Math.round(d * POW10[DIGITS - 1 - e + POW_OFFSET]);
    }
    if (m >= HIGH) {
      e++;
      m = Math.round(d * POW10[DIGITS - 1 - e + POW_OFFSET]);
    }
    char[] digits = new char[DIGITS];
    for (int i = DIGITS - 1; i >= 0; i--, m /= 10) digits[i] = (char) ('0' + m % 10);
    int last = DIGITS - 1;
    while (last > 0 && digits[last] == '0') last--;
    if (e >= -4 && e < DIGITS) {
      if (e < 0) {
        sb.append("0.");
        for (int z = -1; z > e; z--) sb.append('0');
        sb.append(digits, 0, last + 1);
      } else {
        sb.append(digits, 0, e + 1);
        if (last > e) sb.append('.').append(digits, e + 1, last - e);
      }
    } else {
      sb.append(digits[0]);
      if (last > 0) sb.append('.').append(digits, 1, last);
      sb.append('E').append(e);
    }
  }
}
