package io.donorstream.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;

/**
 * The {@code --key value} arguments a cluster job main accepts. A key it does not know is an error
 * that names the nearest known one: a typo (e.g. {@code --scoring.top_k}) would otherwise be dropped
 * without a word and the job would run with the default.
 */
public final class KnownArguments {
  private final TreeSet<String> keys = new TreeSet<>();

  /** @param plain keys that are not configuration options ({@code bootstrap}, {@code group-id}, ...) */
  public KnownArguments(Collection<String> plain, List<ConfigOption<?>> options) {
    keys.addAll(plain);
    for (ConfigOption<?> o : options) keys.add(o.key());
  }

  /** @throws IllegalArgumentException naming the first unknown key and the nearest known one */
  public void check(Map<String, String> arguments) {
    for (String key : new TreeSet<>(arguments.keySet())) {
      if (keys.contains(key)) continue;
      throw new IllegalArgumentException("unknown argument --" + key + "; did you mean --" + nearest(key) + "? The arguments are: --"
          + String.join(", --", keys));
    }
  }

  /** The known key with the smallest edit distance to {@code key} (the first in order on a tie). */
  String nearest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : keys) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
