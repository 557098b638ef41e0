package io.donorstream.scoring;

import io.donorstream.config.ScoringOptions;
import java.util.Collection;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionOptionsFIFO;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;

/**
 * RocksDB settings for the ScoringJob's one keyed state, the cell ids of the duplicate window: ids
 * are written once and never updated or deleted, and expire all together by age, which is what
 * RocksDB's FIFO compaction is for: no compaction rewrites them (level compaction did, on the
 * compaction threads, at about a fifth of the job's CPU), and a whole file is dropped once it is
 * older than the window plus a margin (every id in it is then past its state TTL, which still
 * decides on every read). Bloom filters keep the rare reads cheap across the many files. Set as
 * job configuration by {@link ScoringJob}, so other jobs on the cluster keep theirs.
 */
public final class DuplicateStateOptions implements ConfigurableRocksDBOptionsFactory {
  private static final long serialVersionUID = 1L;
  /** Files are kept this much longer than the window: clocks, flush delay. */
  static final long MARGIN_SECONDS = 60;
  private long ttlSeconds = ScoringOptions.DUPLICATE_WINDOW_MILLIS.defaultValue() / 1000 + MARGIN_SECONDS;

  /** The job configuration that selects these options for a window of {@code windowMillis}. */
  static Configuration jobConfiguration(long windowMillis) {
    Configuration c = new Configuration();
    c.setString("state.backend.rocksdb.options-factory", DuplicateStateOptions.class.getName());
    c.set(ScoringOptions.DUPLICATE_WINDOW_MILLIS, windowMillis);
    c.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
    return c;
  }

  @Override
  public RocksDBOptionsFactory configure(ReadableConfig config) {
    ttlSeconds = config.get(ScoringOptions.DUPLICATE_WINDOW_MILLIS) / 1000 + MARGIN_SECONDS;
    return this;
  }

  long ttlSeconds() {
    return ttlSeconds;
  }

  @Override
  public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
    return current;
  }

  @Override
  public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
    // No size limit: only age may drop a file (a size limit could drop ids still in the window).
    CompactionOptionsFIFO fifo = new CompactionOptionsFIFO().setMaxTableFilesSize(Long.MAX_VALUE).setAllowCompaction(false);
    handlesToClose.add(fifo);
    // Every file stays in level 0, so level 0's file-count brakes would stall writes for nothing.
    return current.setCompactionStyle(CompactionStyle.FIFO).setCompactionOptionsFIFO(fifo).setTtl(ttlSeconds)
        .setLevel0SlowdownWritesTrigger(Integer.MAX_VALUE).setLevel0StopWritesTrigger(Integer.MAX_VALUE);
  }
}
