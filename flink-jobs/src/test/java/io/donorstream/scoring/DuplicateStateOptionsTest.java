package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.RocksDB;

/** The duplicate state's RocksDB settings: files live the window plus a margin, and nothing else drops them. */
class DuplicateStateOptionsTest {
  @Test
  void filesOutliveTheWindowAndOnlyAgeDropsThem() throws Exception {
    RocksDB.loadLibrary();
    var job = DuplicateStateOptions.jobConfiguration(120_000);
    assertThat(job.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    DuplicateStateOptions options = (DuplicateStateOptions) new DuplicateStateOptions().configure(job);
    assertThat(options.ttlSeconds()).isEqualTo(120 + DuplicateStateOptions.MARGIN_SECONDS);
    List<AutoCloseable> handles = new ArrayList<>();
    try (ColumnFamilyOptions cf = options.createColumnOptions(new ColumnFamilyOptions(), handles)) {
      assertThat(cf.compactionStyle()).isEqualTo(CompactionStyle.FIFO);
      assertThat(cf.ttl()).isEqualTo(180);
      assertThat(cf.compactionOptionsFIFO().maxTableFilesSize()).as("no size limit").isEqualTo(Long.MAX_VALUE);
      assertThat(cf.level0StopWritesTrigger()).isEqualTo(Integer.MAX_VALUE);
    } finally {
      for (AutoCloseable h : handles) h.close();
    }
  }
}
