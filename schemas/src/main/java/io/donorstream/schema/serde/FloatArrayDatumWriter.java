package io.donorstream.schema.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/** Writes {@link FloatArray} values of {@code array<float>} fields straight from the primitive array. */
final class FloatArrayDatumWriter<T> extends SpecificDatumWriter<T> {
  FloatArrayDatumWriter(Schema schema, SpecificData model) {
    super(schema, model);
  }

  @Override
  protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
    if (!(datum instanceof FloatArray) || schema.getElementType().getType() != Schema.Type.FLOAT) {
      super.writeArray(schema, datum, out);
      return;
    }
    float[] v = FloatArray.values((FloatArray) datum);
    out.writeArrayStart();
    out.setItemCount(v.length);
    for (float f : v) {
      out.startItem();
      out.writeFloat(f);
    }
    out.writeArrayEnd();
  }
}
