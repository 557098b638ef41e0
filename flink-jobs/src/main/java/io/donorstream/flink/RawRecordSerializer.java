package io.donorstream.flink;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link RawRecord} as length-prefixed bytes: what crosses the ScoringJob's one network
 * exchange (and sits in its operator state) without Flink's reflective POJO path. A null key or
 * value is length -1, so an empty array and a missing one stay different.
 */
public final class RawRecordSerializer extends TypeSerializerSingleton<RawRecord> {
  public static final RawRecordSerializer INSTANCE = new RawRecordSerializer();
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public RawRecord createInstance() {
    return new RawRecord();
  }

  @Override
  public RawRecord copy(RawRecord from) {
    return new RawRecord(from.key == null ? null : from.key.clone(), from.value == null ? null : from.value.clone(), from.topic,
        from.partition, from.offset, from.timestamp);
  }

  @Override
  public RawRecord copy(RawRecord from, RawRecord reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RawRecord r, DataOutputView out) throws IOException {
    writeBytes(r.key, out);
    writeBytes(r.value, out);
    out.writeBoolean(r.topic != null);
    if (r.topic != null) out.writeUTF(r.topic);
    out.writeInt(r.partition);
    out.writeLong(r.offset);
    out.writeLong(r.timestamp);
  }

  @Override
  public RawRecord deserialize(DataInputView in) throws IOException {
    byte[] key = readBytes(in);
    byte[] value = readBytes(in);
    String topic = in.readBoolean() ? in.readUTF() : null;
    return new RawRecord(key, value, topic, in.readInt(), in.readLong(), in.readLong());
  }

  @Override
  public RawRecord deserialize(RawRecord reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<RawRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) return null;
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /** The serializer's snapshot in checkpoints: it has no configuration. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
