package io.donorstream.flink;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/**
 * A bounded source of given records, for running a job without a broker: the records are copied
 * into arrays (the generator function travels to the task serialised), and record i is generated
 * as index i, so each source subtask emits its share in order.
 */
public final class MemorySource {
  private MemorySource() {}

  /** @param records at least one (a generator source of none still asks for record 0) */
  public static DataGeneratorSource<RawRecord> of(List<RawRecord> records) {
    if (records.isEmpty()) throw new IllegalArgumentException("a memory source needs at least one record");
    int n = records.size();
    byte[][] keys = new byte[n][];
    byte[][] values = new byte[n][];
    String[] topics = new String[n];
    int[] partitions = new int[n];
    long[] offsets = new long[n];
    long[] timestamps = new long[n];
    for (int i = 0; i < n; i++) {
      RawRecord r = records.get(i);
      keys[i] = r.key;
      values[i] = r.value;
      topics[i] = r.topic;
      partitions[i] = r.partition;
      offsets[i] = r.offset;
      timestamps[i] = r.timestamp;
    }
    return new DataGeneratorSource<>(index -> {
      int i = Math.toIntExact(index);
      return new RawRecord(keys[i], values[i], topics[i], partitions[i], offsets[i], timestamps[i]);
    }, n, RateLimiterStrategy.noOp(), TypeInformation.of(RawRecord.class));
  }
}
