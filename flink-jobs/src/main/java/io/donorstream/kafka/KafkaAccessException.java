package io.donorstream.kafka;

/** Kafka cannot be reached or lacks what was asked for (a topic); the message says which and where. */
public final class KafkaAccessException extends RuntimeException {
  public KafkaAccessException(String message) {
    super(message);
  }

  /**
   * A broker's refusal, said in one line: wrong credentials and missing rights name the endpoint
   * (never the secrets), anything else keeps Kafka's own message.
   */
  public static KafkaAccessException refused(KafkaEndpoint kafka, Throwable cause) {
    if (cause instanceof org.apache.kafka.common.errors.AuthenticationException) {
      return new KafkaAccessException("Kafka at " + kafka.bootstrap() + " refused the credentials given (" + cause.getMessage()
          + "); check the --kafka-config file");
    }
    if (cause instanceof org.apache.kafka.common.errors.AuthorizationException) {
      return new KafkaAccessException("Kafka at " + kafka.bootstrap() + " denied access: " + cause.getMessage());
    }
    if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
      return new KafkaAccessException("cannot reach Kafka at " + kafka.bootstrap() + ": " + cause.getMessage()
          + "; is a broker running there? (start one with ./donorstream kafka)");
    }
    return new KafkaAccessException("Kafka at " + kafka.bootstrap() + " failed: " + cause);
  }
}
