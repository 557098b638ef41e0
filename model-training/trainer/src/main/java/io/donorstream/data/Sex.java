package io.donorstream.data;

import java.util.Locale;

/** Census sex values: {@code female} and {@code male}; everything else is unknown (null). */
public final class Sex {
  public static final String FEMALE = "female";
  public static final String MALE = "male";

  private Sex() {}

  public static String normalise(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim().toLowerCase(Locale.ROOT);
    return s.equals(FEMALE) || s.equals(MALE) ? s : null;
  }
}
