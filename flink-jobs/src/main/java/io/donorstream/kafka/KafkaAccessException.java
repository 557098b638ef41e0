package io.donorstream.kafka;

/** Kafka cannot be reached or lacks what was asked for (a topic); the message says which and where. */
public final class KafkaAccessException extends RuntimeException {
  public KafkaAccessException(String message) {
    super(message);
  }
}
