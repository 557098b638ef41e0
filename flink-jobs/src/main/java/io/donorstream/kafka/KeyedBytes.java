package io.donorstream.kafka;

/** A serialised output record and its Kafka key. */
public class KeyedBytes {
  public byte[] key;
  public byte[] value;

  public KeyedBytes() {}

  public KeyedBytes(byte[] key, byte[] value) {
    this.key = key;
    this.value = value;
  }
}
