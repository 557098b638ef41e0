package io.donorstream.monitor;

import io.donorstream.schema.CellEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * The labelled cells the monitor saw, as training data for the next model: Avro object-container
 * files of {@link CellEvent} (embedding, its key, cell type, donor, sex, event time) under
 * {@code <dir>/day=YYYY-MM-DD/} by the cell's event day (UTC), rolled and committed on each
 * checkpoint, so a file appears whole or not at all and no cell is written twice. {@code train
 * --data <dir>} reads the directory directly.
 */
public final class TrainingArchive {
  private TrainingArchive() {}

  /** @param dir a directory or file-system URI every TaskManager can write (e.g. s3://…, file:///…) */
  public static FileSink<CellEvent> sink(String dir) {
    return FileSink.forBulkFormat(new Path(dir), AvroWriters.forSpecificRecord(CellEvent.class))
        .withBucketAssigner(new EventDay())
        .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("cells").withPartSuffix(".avro").build())
        .build();
  }

  /** Buckets by the cell's event day, not by when it was written: replays land where they belong. */
  static final class EventDay implements BucketAssigner<CellEvent, String> {
    @Override
    public String getBucketId(CellEvent cell, Context context) {
      return "day=" + LocalDate.ofInstant(Instant.ofEpochMilli(cell.getEventTime().toEpochMilli()), ZoneOffset.UTC);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
      return SimpleVersionedStringSerializer.INSTANCE;
    }
  }
}
