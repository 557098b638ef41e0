package io.donorstream.schema.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding for one record type: every message starts with the marker {@code C3
 * 01} and the 8-byte fingerprint of its writer schema, so a reader can tell our records from
 * foreign or damaged bytes and resolve records written by a newer (compatible) schema.
 *
 * <p>Records of this type's own schema, the common case on the hot path, are written and read with
 * buffered encoders and decoders kept per thread (Avro's message codecs go byte by byte through
 * streams), the two records of the scoring path ({@code CellEvent}, {@code DonorPrediction}) by
 * {@link DirectCodec}s with float arrays as {@link FloatArray}s; records of other registered writer
 * schemas go through Avro's resolving message decoder.
 *
 * <p>Thread-safe: buffers are per thread.
 */
public final class AvroSerde<T extends SpecificRecord> {
  private static final int HEADER_LENGTH = 10;

  static {
    // Avro sizes strings, bytes and collections from the length a record claims: without limits a
    // 20-byte poison record asks for gigabytes. Read once per JVM by Avro; a user's own settings win.
    limitUnlessSet(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, 16 << 20);
    limitUnlessSet(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, 64 << 20);
    limitUnlessSet(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, 1 << 20);
  }

  private static void limitUnlessSet(String property, int limit) {
    if (System.getProperty(property) == null) System.setProperty(property, String.valueOf(limit));
  }

  private final Class<T> type;
  private final String typeName;
  private final Schema schema;
  private final BinaryMessageDecoder<T> decoder;
  private final byte[] header;
  private final ThreadLocal<Codec<T>> codecs;

  private AvroSerde(Class<T> type, Schema schema) {
    this.type = type;
    this.typeName = type.getSimpleName();
    this.schema = schema;
    SpecificData model = SpecificData.getForClass(type);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    this.header = new byte[HEADER_LENGTH];
    header[0] = (byte) 0xC3;
    header[1] = 0x01;
    ByteBuffer.wrap(header, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(SchemaNormalization.parsingFingerprint64(schema));
    this.codecs = ThreadLocal.withInitial(() -> new Codec<>(type, model, schema));
    DirectCodec.forType(type, schema); // a codec that no longer fits its schema fails here, not at the first record
  }

  /** One thread's reusable writer and reader (a direct codec, or Avro's), buffers and (de)coders. */
  private static final class Codec<T> {
    final SpecificDatumWriter<T> writer;
    final SpecificDatumReader<T> reader;
    final DirectCodec<T> direct;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder;
    BinaryDecoder decoder;

    Codec(Class<T> type, SpecificData model, Schema schema) {
      direct = DirectCodec.forType(type, schema);
      writer = direct == null ? new SpecificDatumWriter<>(schema, model) : null;
      reader = direct == null ? new SpecificDatumReader<>(schema, schema, model) : null;
    }
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

  /** Where the record schemas and their fingerprints are listed for clients in other languages. */
  public static final String SCHEMAS_DOC = "docs/schemas.md";

  /**
   * The schema's 64-bit Rabin fingerprint (CRC-64-AVRO of its Parsing Canonical Form) as Java's
   * {@code SchemaNormalization} computes it, in hex; message headers carry it little-endian.
   */
  public String fingerprint() {
    return hex(ByteBuffer.wrap(header, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
  }

  private static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  public byte[] serialize(T record) {
    Codec<T> c = codecs.get();
    try {
      c.out.reset();
      c.out.write(header);
      c.encoder = EncoderFactory.get().binaryEncoder(c.out, c.encoder);
      if (c.direct != null) c.direct.write(record, c.encoder);
      else c.writer.write(record, c.encoder);
      c.encoder.flush();
      return c.out.toByteArray();
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
    String what = typeName;
    if (bytes == null || bytes.length == 0) {
      throw new RecordDecodeException(DecodeFailure.EMPTY, "no bytes where a " + what + " was expected", null);
    }
    if (bytes.length < HEADER_LENGTH) {
      DecodeFailure f = startsWithMarker(bytes) ? DecodeFailure.TRUNCATED : DecodeFailure.CORRUPT;
      throw new RecordDecodeException(f, bytes.length + " bytes are shorter than the 10-byte Avro single-object header", null);
    }
    boolean ownSchema = Arrays.equals(bytes, 0, HEADER_LENGTH, header, 0, HEADER_LENGTH);
    ByteArrayInputStream in = ownSchema ? null : new ByteArrayInputStream(bytes);
    T record;
    int unread;
    try {
      if (ownSchema) {
        Codec<T> c = codecs.get();
        c.decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, c.decoder);
        record = c.direct != null ? c.direct.read(c.decoder) : c.reader.read(null, c.decoder);
        unread = c.decoder.isEnd() ? 0 : c.decoder.inputStream().available();
      } else {
        record = decoder.decode(in);
        unread = in.available();
      }
    } catch (BadHeaderException e) {
      throw new RecordDecodeException(DecodeFailure.CORRUPT, "not Avro single-object encoded (" + e.getMessage() + ")", e);
    } catch (MissingSchemaException e) {
      throw new RecordDecodeException(
          DecodeFailure.FOREIGN_SCHEMA,
          "writer schema fingerprint " + hex(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
              + " is not " + what + "'s (" + fingerprint() + ") nor a registered version of it; the schemas and their fingerprints are in "
              + SCHEMAS_DOC + " (a writer must fingerprint the Parsing Canonical Form as the Avro specification defines it)",
          e);
    } catch (EOFException e) {
      throw new RecordDecodeException(DecodeFailure.TRUNCATED, what + " body ends early after " + bytes.length + " bytes", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      if (causedByEof(e)) {
        throw new RecordDecodeException(DecodeFailure.TRUNCATED, what + " body ends early after " + bytes.length + " bytes", e);
      }
      throw new RecordDecodeException(DecodeFailure.CORRUPT, "malformed " + what + " body: " + e, e);
    }
    if (unread > 0) {
      throw new RecordDecodeException(
          DecodeFailure.CORRUPT, unread + " unread bytes after a complete " + what, null);
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
