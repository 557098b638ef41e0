package io.donorstream.flink;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A Kafka record exactly as it arrived, with where it came from: what the job keeps until the
 * record is either scored or dead-lettered whole.
 */
@TypeInfo(RawRecordTypeInfo.Factory.class)
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

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord r && Arrays.equals(key, r.key) && Arrays.equals(value, r.value) && Objects.equals(topic, r.topic)
        && partition == r.partition && offset == r.offset && timestamp == r.timestamp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), topic, partition, offset, timestamp);
  }
}
