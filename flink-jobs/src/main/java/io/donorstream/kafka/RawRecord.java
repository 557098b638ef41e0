package io.donorstream.kafka;

/**
 * A Kafka record exactly as it arrived, with where it came from: what the job keeps until the
 * record is either scored or dead-lettered whole.
 */
public class RawRecord {
  public byte[] key;
  public byte[] value;
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;

  public RawRecord() {}

  public RawRecord(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
    this.key = key;
    this.value = value;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
  }
}
