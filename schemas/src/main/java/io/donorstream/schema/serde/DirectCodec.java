package io.donorstream.schema.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.BlockingBinaryEncoder;

/**
 * A hand-written body codec for one record type on the scoring path, byte for byte what Avro's
 * specific writer and reader do with the same schema (tests compare them on random records). Avro's
 * generic machinery (a field lookup and a logical-type conversion lookup per field, a grammar step
 * per value through the resolving decoder) cost the scoring job about two fifths of its operator
 * time; Avro generates such coders itself only for schemas without logical types, and ours carry
 * timestamps. Not thread-safe (a scratch buffer for float arrays, the {@link StringPool}).
 */
abstract class DirectCodec<T> {
  /** Floats converted per step of a float array (a step's bytes must be there before more space is taken). */
  private static final int CHUNK = 1024;
  private static final float[] NO_FLOATS = new float[0];
  /** The schema's field names in order: the codec refuses any other schema. */
  private final List<String> fields;
  private final byte[] scratch = new byte[4 * CHUNK];
  private final FloatBuffer scratchFloats = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  private final StringPool strings = new StringPool();

  DirectCodec(String... fields) {
    this.fields = List.of(fields);
  }

  abstract void write(T record, BinaryEncoder out) throws IOException;

  abstract T read(BinaryDecoder in) throws IOException;

  /** Whether this codec was written for {@code schema} (same fields in the same order). */
  boolean fits(Schema schema) {
    return schema.getFields().stream().map(Schema.Field::name).toList().equals(fields);
  }

  /** The codec for {@code type}'s schema, or null (Avro's own writer and reader then). */
  static <T> DirectCodec<T> forType(Class<T> type, Schema schema) {
    DirectCodec<?> c = null;
    if (type == io.donorstream.schema.CellEvent.class) c = new CellEventCodec();
    if (type == io.donorstream.schema.DonorPrediction.class) c = new DonorPredictionCodec();
    if (c == null) return null;
    if (!c.fits(schema)) {
      throw new IllegalStateException("the direct codec for " + type.getSimpleName() + " was written for the fields " + c.fields
          + ", the schema has " + schema.getFields().stream().map(Schema.Field::name).toList() + ": update " + c.getClass().getSimpleName());
    }
    @SuppressWarnings("unchecked")
    DirectCodec<T> typed = (DirectCodec<T>) c;
    return typed;
  }

  static void writeRequired(BinaryEncoder out, String value, String field) throws IOException {
    out.writeString(required(value, field));
  }

  /** A required string whose values repeat from record to record (its bytes are kept, {@link StringPool}). */
  void writeRepeated(BinaryEncoder out, String value, String field) throws IOException {
    strings.write(out, required(value, field));
  }

  private static String required(String value, String field) {
    if (value == null) throw new NullPointerException("null value for (non-nullable) string at " + field);
    return value;
  }

  /** A {@code ["null", "string"]} union of repeating values. */
  void writeOptional(BinaryEncoder out, String value) throws IOException {
    if (value == null) {
      out.writeIndex(0);
      out.writeNull();
    } else {
      out.writeIndex(1);
      strings.write(out, value);
    }
  }

  /** A {@code ["null", "float"]} union. */
  static void writeOptionalFloat(BinaryEncoder out, Float value) throws IOException {
    if (value == null) {
      out.writeIndex(0);
      out.writeNull();
    } else {
      out.writeIndex(1);
      out.writeFloat(value);
    }
  }

  static Float readOptionalFloat(BinaryDecoder in, String field) throws IOException {
    int branch = in.readIndex();
    if (branch == 0) return null;
    if (branch == 1) return in.readFloat();
    throw new org.apache.avro.AvroRuntimeException("Malformed data: union index " + branch + " of " + field + " is not 0 or 1");
  }

  /** A string whose values repeat from record to record: the instance read before for the same bytes. */
  String readRepeated(BinaryDecoder in) throws IOException {
    return strings.read(in);
  }

  String readOptional(BinaryDecoder in, String field) throws IOException {
    int branch = in.readIndex();
    if (branch == 0) return null;
    if (branch == 1) return strings.read(in);
    throw new org.apache.avro.AvroRuntimeException("Malformed data: union index " + branch + " of " + field + " is not 0 or 1");
  }

  void writeFloats(BinaryEncoder out, List<Float> values) throws IOException {
    float[] v = FloatArray.values(values);
    out.writeArrayStart();
    out.setItemCount(v.length);
    if (out instanceof BlockingBinaryEncoder) {
      // It counts items into blocks: one call per item.
      for (float f : v) {
        out.startItem();
        out.writeFloat(f);
      }
    } else {
      // Avro floats are 4 little-endian bytes each: converted in bulk, written at once.
      for (int from = 0; from < v.length; from += CHUNK) {
        int n = Math.min(CHUNK, v.length - from);
        scratchFloats.clear();
        scratchFloats.put(v, from, n);
        out.writeFixed(scratch, 0, 4 * n);
      }
    }
    out.writeArrayEnd();
  }

  /**
   * Reads a float array a block at a time, converting bytes in bulk. Grown as values arrive, not
   * sized from the count: a corrupt count ends in an EOF, not a huge allocation. A one-block array of
   * up to {@code CHUNK} values (an embedding) is allocated once, at its size.
   */
  FloatArray readFloats(BinaryDecoder in) throws IOException {
    float[] v = NO_FLOATS;
    int n = 0;
    for (long block = in.readArrayStart(); block > 0; block = in.arrayNext()) {
      for (long left = block; left > 0; ) {
        int chunk = (int) Math.min(CHUNK, left);
        if (n + chunk > v.length) v = Arrays.copyOf(v, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * v.length, (long) n + chunk)));
        in.readFixed(scratch, 0, 4 * chunk);
        scratchFloats.clear();
        scratchFloats.get(v, n, chunk);
        n += chunk;
        left -= chunk;
      }
    }
    return FloatArray.wrap(n == v.length ? v : Arrays.copyOf(v, n));
  }
}
