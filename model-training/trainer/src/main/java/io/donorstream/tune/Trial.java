package io.donorstream.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One finished trial of a study. {@code value} is the objective (larger is better) for COMPLETE, the last
 * intermediate value for PRUNED (so the sampler can rank it), and NaN for FAILED. {@code intermediate}
 * holds the per-epoch validation values reported while it ran, epoch 1 first.
 */
public record Trial(int number, State state, Map<String, Double> params, double value, double seconds, List<Double> intermediate) {
  /** How a trial ended. */
  public enum State { COMPLETE, PRUNED, FAILED }

  public Trial {
    Objects.requireNonNull(state, "state");
    var copy = new LinkedHashMap<String, Double>();
    params.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "param name"), Objects.requireNonNull(v, "value of " + k)));
    params = Collections.unmodifiableMap(copy);
    intermediate = List.copyOf(intermediate);
  }

  public static Trial complete(int number, Map<String, Double> params, double value, double seconds, List<Double> intermediate) {
    return new Trial(number, State.COMPLETE, params, value, seconds, intermediate);
  }

  /** A pruned trial; its value is its last intermediate value (NaN if it reported none). */
  public static Trial pruned(int number, Map<String, Double> params, double seconds, List<Double> intermediate) {
    double last = intermediate.isEmpty() ? Double.NaN : intermediate.get(intermediate.size() - 1);
    return new Trial(number, State.PRUNED, params, last, seconds, intermediate);
  }

  public static Trial failed(int number, Map<String, Double> params, double seconds, List<Double> intermediate) {
    return new Trial(number, State.FAILED, params, Double.NaN, seconds, intermediate);
  }
}
