package io.donorstream.kafka;

import org.apache.flink.api.common.serialization.SerializationSchema;

/** The key and the value of a {@link KeyedBytes}, as the Kafka sink's serialisation schemas. */
final class KeyedBytesParts {
  private KeyedBytesParts() {}

  static final class Key implements SerializationSchema<KeyedBytes> {
    @Override
    public byte[] serialize(KeyedBytes e) {
      return e.key;
    }
  }

  static final class Value implements SerializationSchema<KeyedBytes> {
    @Override
    public byte[] serialize(KeyedBytes e) {
      return e.value;
    }
  }
}
