package io.donorstream.flink;

import io.donorstream.flink.KeyedBytes;
import io.donorstream.flink.RawRecord;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.RecordDecodeException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.OutputTag;

/** Dead-letter reasons, the side output that carries them, their encoding, and decoding a record or dead-lettering it: both jobs' way with bad input. */
public final class DeadLetters {
  public static final OutputTag<KeyedBytes> TAG = new OutputTag<>("dead-letters", org.apache.flink.api.common.typeinfo.TypeInformation.of(KeyedBytes.class));

  public static final String EMPTY = "empty";
  public static final String CORRUPT = "corrupt";
  public static final String TRUNCATED = "truncated";
  public static final String FOREIGN_SCHEMA = "foreign_schema";
  public static final String OVERSIZED = "oversized";
  public static final String WRONG_WIDTH = "wrong_width";
  /** A NaN or infinite embedding value, or a model whose answer for the cell is not a number. */
  public static final String NON_FINITE = "non_finite";
  /** Finite values beyond any cell's range once standardised ({@link io.donorstream.servable.CellScore#MAX_STANDARDISED_INPUT}). */
  public static final String OUT_OF_RANGE = "out_of_range";
  /** An empty or blank cell id: the id is the duplicate check's key and the predictions' key. */
  public static final String MISSING_CELL_ID = "missing_cell_id";
  /** A cell id longer than {@link #MAX_CELL_ID_CHARS}: ids are kept per cell in the duplicate check's state. */
  public static final String OVERSIZED_CELL_ID = "oversized_cell_id";
  /** Longest cell id accepted, in characters (barcodes with sample prefixes are well under 100). */
  public static final int MAX_CELL_ID_CHARS = 256;
  public static final String UNKNOWN_CELL_TYPE = "unknown_cell_type";
  public static final String DUPLICATE = "duplicate";
  /** A cell whose record key is missing or is not its cell id (the job partitions and checks repeats by the key). */
  public static final String KEY_MISMATCH = "key_mismatch";
  /** A label on {@code labels} for a cell whose prediction never reached the monitor in time. */
  public static final String LABEL_WITHOUT_PREDICTION = "label_without_prediction";

  private static final AvroSerde<DeadLetter> SERDE = AvroSerde.of(DeadLetter.class);

  private DeadLetters() {}

  /**
   * {@code raw} decoded, or null after handing its dead letter (the decoder's reason and detail) to
   * {@code deadLetters}: the one place a topic's record is read or refused.
   */
  public static <T extends SpecificRecord> T decodeOrDeadLetter(AvroSerde<T> serde, RawRecord raw, Consumer<KeyedBytes> deadLetters) {
    try {
      return serde.deserialize(raw.value);
    } catch (RecordDecodeException e) {
      deadLetters.accept(of(raw, e.failure().code(), e.getMessage()));
      return null;
    }
  }

  public static KeyedBytes of(RawRecord raw, String reason, String detail) {
    DeadLetter d = DeadLetter.newBuilder()
        .setRaw(ByteBuffer.wrap(raw.value == null ? new byte[0] : raw.value))
        .setRawKey(raw.key == null ? null : ByteBuffer.wrap(raw.key))
        .setReason(reason)
        .setDetail(detail)
        .setSourceTopic(raw.topic == null ? "" : raw.topic)
        .setSourcePartition(raw.partition)
        .setSourceOffset(raw.offset)
        .setFailedAt(Instant.now())
        .build();
    return new KeyedBytes(raw.key, SERDE.serialize(d));
  }
}
