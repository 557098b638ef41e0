package io.donorstream.schema.serde;

import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/** Reads {@code array<float>} fields into {@link FloatArray}s instead of lists of boxed floats. */
final class FloatArrayDatumReader<T> extends SpecificDatumReader<T> {
  FloatArrayDatumReader(Schema schema, SpecificData model) {
    super(schema, schema, model);
  }

  @Override
  protected Object readArray(Object old, Schema expected, ResolvingDecoder in) throws IOException {
    if (expected.getElementType().getType() != Schema.Type.FLOAT) return super.readArray(old, expected, in);
    // Grown as values arrive, not sized from the count: a corrupt count then ends in an EOF, not
    // in a gigabyte allocation.
    float[] v = new float[64];
    int n = 0;
    for (long block = in.readArrayStart(); block > 0; block = in.arrayNext()) {
      for (long i = 0; i < block; i++) {
        if (n == v.length) v = Arrays.copyOf(v, Math.min(Integer.MAX_VALUE - 8, 2 * n));
        v[n++] = in.readFloat();
      }
    }
    return FloatArray.wrap(n == v.length ? v : Arrays.copyOf(v, n));
  }
}
