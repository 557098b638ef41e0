package io.donorstream.data.hdf5;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A growing little-endian byte buffer for HDF5's small structures (headers, messages, types). */
final class LeBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  LeBytes u8(int v) {
    out.write(v);
    return this;
  }

  LeBytes u16(int v) {
    return u8(v).u8(v >>> 8);
  }

  LeBytes u32(long v) {
    return u16((int) v & 0xFFFF).u16((int) (v >>> 16) & 0xFFFF);
  }

  LeBytes u64(long v) {
    return u32(v & 0xFFFFFFFFL).u32(v >>> 32);
  }

  LeBytes bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  /** UTF-8 bytes of {@code s} and a terminating zero. */
  LeBytes cString(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8)).u8(0);
  }

  int size() {
    return out.size();
  }

  byte[] toArray() {
    return out.toByteArray();
  }
}
