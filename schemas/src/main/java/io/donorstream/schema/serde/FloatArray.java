package io.donorstream.schema.serde;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An Avro {@code array<float>} held as a {@code float[]}: what {@link AvroSerde} reads such arrays
 * into and writes without boxing. Embeddings and latents are hundreds of floats per record, and a
 * boxed list costs more than everything else in a record together.
 */
public final class FloatArray extends AbstractList<Float> implements RandomAccess {
  private final float[] values;

  private FloatArray(float[] values) {
    this.values = values;
  }

  /** Wraps (does not copy) {@code values}. */
  public static FloatArray wrap(float[] values) {
    return new FloatArray(values);
  }

  /** The values of any list of floats, without copying when it is a {@code FloatArray}. */
  public static float[] values(java.util.List<Float> list) {
    if (list instanceof FloatArray f) return f.values;
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) v[i] = list.get(i);
    return v;
  }

  @Override
  public Float get(int index) {
    return values[index];
  }

  @Override
  public Float set(int index, Float value) {
    float old = values[index];
    values[index] = value;
    return old;
  }

  @Override
  public int size() {
    return values.length;
  }
}
