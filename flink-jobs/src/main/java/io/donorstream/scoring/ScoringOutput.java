package io.donorstream.scoring;

import io.donorstream.flink.KeyedBytes;
import java.util.ArrayList;
import java.util.List;

/**
 * The ScoringJob's outputs, all written by one exactly-once sink (one transaction per subtask and
 * checkpoint): a record's {@link KeyedBytes#destination} is its output's index into the sink's
 * topics, which {@link #topics} lists in this order.
 */
public enum ScoringOutput {
  PREDICTIONS, DEAD_LETTERS, SHADOW_PREDICTIONS;

  /** {@code record}, bound for this output. */
  public KeyedBytes tag(KeyedBytes record) {
    return record.to(ordinal());
  }

  /** The output a record is bound for. */
  public static ScoringOutput of(KeyedBytes record) {
    return values()[record.destination];
  }

  /** The sink's topics in destination order; without a shadow topic, shadow answers are never produced. */
  public static List<String> topics(String predictions, String deadLetters, String shadowPredictions) {
    List<String> topics = new ArrayList<>(List.of(predictions, deadLetters));
    if (shadowPredictions != null) topics.add(shadowPredictions);
    return List.copyOf(topics);
  }
}
