package io.donorstream.publish;

import io.donorstream.kafka.KafkaEndpoint;

/**
 * How to publish a cell table.
 *
 * @param rate cells per second, 0 = as fast as the broker takes them
 * @param labelsFraction share of cells that carry their donor/sex labels
 * @param limit at most this many cells, 0 = all
 */
public record PublishOptions(KafkaEndpoint kafka, String topic, double rate, double labelsFraction, long limit, boolean shuffle,
    long seed, boolean showProgress) {

  public PublishOptions {
    if (rate < 0) throw new IllegalArgumentException("--rate must be >= 0 (0 = as fast as possible), got " + rate);
    if (labelsFraction < 0 || labelsFraction > 1) {
      throw new IllegalArgumentException("--labels-fraction must be within [0, 1], got " + labelsFraction);
    }
    if (limit < 0) throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
  }

  /** To a broker that needs no credentials. */
  public PublishOptions(String bootstrap, String topic, double rate, double labelsFraction, long limit, boolean shuffle, long seed,
      boolean showProgress) {
    this(KafkaEndpoint.of(bootstrap), topic, rate, labelsFraction, limit, shuffle, seed, showProgress);
  }
}
