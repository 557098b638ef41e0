package io.donorstream.flink;

/** A serialised output record and its Kafka key. */
public class KeyedBytes {
  public byte[] key;
  public byte[] value;
  /** Which topic of a multi-topic sink it goes to ({@link FlinkKafka#exactlyOnceSink(String, java.util.List, String)}); 0 elsewhere. */
  public int destination;

  public KeyedBytes() {}

  public KeyedBytes(byte[] key, byte[] value) {
    this.key = key;
    this.value = value;
  }

  /** This record, for topic {@code destination} of a multi-topic sink. */
  public KeyedBytes to(int destination) {
    this.destination = destination;
    return this;
  }
}
