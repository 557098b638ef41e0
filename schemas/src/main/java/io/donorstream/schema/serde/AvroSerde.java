package io.donorstream.schema.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding for one record type: every message starts with the marker {@code C3
 * 01} and the 8-byte fingerprint of its writer schema, so a reader can tell our records from
 * foreign or damaged bytes and resolve records written by a newer (compatible) schema.
 *
 * <p>Thread-safe: Avro's message encoders and decoders keep their buffers per thread.
 */
public final class AvroSerde<T extends SpecificRecord> {
  private static final int HEADER_LENGTH = 10;

  private final Class<T> type;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroSerde(Class<T> type, Schema schema) {
    this.type = type;
    this.schema = schema;
    SpecificData model = SpecificData.getForClass(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
  }

  /** A serde for a generated record class. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, SpecificData.get().getSchema(type));
  }

  /**
   * Teaches the reader another writer schema (e.g. a newer version with an added optional field),
   * so its records are read by schema resolution instead of being refused as foreign.
   */
  public AvroSerde<T> acceptingWriterSchema(Schema writerSchema) {
    decoder.addSchema(writerSchema);
    return this;
  }

  public Schema schema() {
    return schema;
  }

  /** The 64-bit Rabin fingerprint as it appears in each message header (little-endian hex). */
  public String fingerprint() {
    long fp = SchemaNormalization.parsingFingerprint64(schema);
    byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fp).array();
    return HexFormat.of().formatHex(le);
  }

  public byte[] serialize(T record) {
    try {
      return encoder.encode(record).array();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Reads one record.
   *
   * @throws RecordDecodeException with {@link DecodeFailure} saying exactly what is wrong
   */
  public T deserialize(byte[] bytes) {
    String what = type.getSimpleName();
    if (bytes == null || bytes.length == 0) {
      throw new RecordDecodeException(DecodeFailure.EMPTY, "no bytes where a " + what + " was expected", null);
    }
    if (bytes.length < HEADER_LENGTH) {
      DecodeFailure f = startsWithMarker(bytes) ? DecodeFailure.TRUNCATED : DecodeFailure.CORRUPT;
      throw new RecordDecodeException(f, bytes.length + " bytes are shorter than the 10-byte Avro single-object header", null);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    T record;
    try {
      record = decoder.decode(in);
    } catch (BadHeaderException e) {
      throw new RecordDecodeException(DecodeFailure.CORRUPT, "not Avro single-object encoded (" + e.getMessage() + ")", e);
    } catch (MissingSchemaException e) {
      throw new RecordDecodeException(
          DecodeFailure.FOREIGN_SCHEMA,
          "writer schema fingerprint " + HexFormat.of().formatHex(bytes, 2, HEADER_LENGTH)
              + " is not " + what + " (" + fingerprint() + ") nor a registered version of it",
          e);
    } catch (EOFException e) {
      throw new RecordDecodeException(DecodeFailure.TRUNCATED, what + " body ends early after " + bytes.length + " bytes", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      if (causedByEof(e)) {
        throw new RecordDecodeException(DecodeFailure.TRUNCATED, what + " body ends early after " + bytes.length + " bytes", e);
      }
      throw new RecordDecodeException(DecodeFailure.CORRUPT, "malformed " + what + " body: " + e, e);
    }
    if (in.available() > 0) {
      throw new RecordDecodeException(
          DecodeFailure.CORRUPT, in.available() + " unread bytes after a complete " + what, null);
    }
    return record;
  }

  private static boolean causedByEof(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithMarker(byte[] bytes) {
    return (bytes[0] & 0xff) == 0xC3 && (bytes.length < 2 || (bytes[1] & 0xff) == 0x01);
  }
}
