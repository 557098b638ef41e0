package io.donorstream.scoring;

import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.RawRecord;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.schema.serde.RecordDecodeException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes and checks one record, once, after the network exchange: a usable cell, or the reason it
 * is unusable (the caller dead-letters the record whole). Not thread-safe (the Avro codec's buffers
 * are reused).
 */
final class CellDecoder {
  private final int width;
  private final int maxBytes;
  private final AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);

  CellDecoder(int width, int maxBytes) {
    this.width = width;
    this.maxBytes = maxBytes;
  }

  /** A decoded cell, or the dead-letter reason and detail for a record that is not one. */
  record Result(ValidCell cell, String reason, String detail) {
    static Result rejected(String reason, String detail) {
      return new Result(null, reason, detail);
    }
  }

  Result decode(RawRecord raw) {
    return decode(raw, ScoringJob.partitionKey(raw));
  }

  /** @param key the record's key as the job partitions by it ({@link ScoringJob#partitionKey}), already at hand in a keyed operator */
  Result decode(RawRecord raw, Object key) {
    if (raw.value != null && raw.value.length > maxBytes) {
      return Result.rejected(DeadLetters.OVERSIZED, raw.value.length + " bytes exceed the limit of " + maxBytes);
    }
    CellEvent e;
    try {
      e = serde.deserialize(raw.value);
    } catch (RecordDecodeException ex) {
      return Result.rejected(ex.failure().code(), ex.getMessage());
    }
    String id = e.getCellId();
    if (id.isBlank()) {
      return Result.rejected(DeadLetters.MISSING_CELL_ID, "the cell id is " + (id.isEmpty() ? "empty" : "blank")
          + "; every cell needs its own id (the duplicate check's key and the prediction's key)");
    }
    if (id.length() > DeadLetters.MAX_CELL_ID_CHARS) {
      return Result.rejected(DeadLetters.OVERSIZED_CELL_ID, "the cell id has " + id.length() + " characters, more than the limit of "
          + DeadLetters.MAX_CELL_ID_CHARS + " (it starts '" + id.substring(0, 40) + "')");
    }
    float[] v = FloatArray.values(e.getEmbedding());
    if (v.length != width) {
      return Result.rejected(DeadLetters.WRONG_WIDTH, "embedding has " + v.length + " values, the model takes " + width);
    }
    for (int j = 0; j < width; j++) {
      if (!Float.isFinite(v[j])) return Result.rejected(DeadLetters.NON_FINITE, "embedding value " + j + " is " + v[j]);
    }
    // The job partitions cells and checks repeats by the record key: a cell under another key could
    // repeat unseen on another subtask.
    if (raw.key == null) {
      return Result.rejected(DeadLetters.KEY_MISMATCH, "the record has no key; publish cells with the cell id as the key ('" + e.getCellId() + "')");
    }
    if (!e.getCellId().equals(key)) {
      return Result.rejected(DeadLetters.KEY_MISMATCH, "the record key '" + new String(raw.key, StandardCharsets.UTF_8)
          + "' is not the cell id '" + e.getCellId() + "'; publish cells with the cell id as the key");
    }
    ValidCell c = new ValidCell();
    // The key's own instance (equal to the id): its hash is already computed for the key group.
    c.cellId = (String) key;
    c.datasetId = e.getDatasetId();
    c.eventTime = e.getEventTime().toEpochMilli();
    c.embedding = v;
    c.cellType = e.getCellType();
    c.donorId = e.getDonorId();
    c.sex = e.getSex();
    c.raw = raw;
    return new Result(c, null, null);
  }
}
