package io.donorstream.data.hdf5;

import java.nio.charset.StandardCharsets;

/**
 * HDF5 datatype messages (format spec IV.A.2.d) for the few types an AnnData file needs, each as
 * h5py reads it: little-endian IEEE floats, signed integers, fixed-length null-terminated UTF-8
 * strings, and booleans as the int8 enum {FALSE = 0, TRUE = 1} that h5py maps to numpy's bool.
 */
public final class Hdf5Types {
  private static final int FIXED_POINT = 0;
  private static final int FLOATING_POINT = 1;
  private static final int STRING = 3;
  private static final int ENUM = 8;

  private Hdf5Types() {}

  /** A datatype: its encoded message and the bytes one element takes. */
  public record Type(byte[] message, int size) {}

  public static Type float32() {
    byte[] m = new LeBytes()
        .u8(0x10 | FLOATING_POINT).u8(0x20).u8(31).u8(0) // version 1; little-endian, implied mantissa msb; sign at bit 31
        .u32(4)
        .u16(0).u16(32) // bit offset, precision
        .u8(23).u8(8).u8(0).u8(23) // exponent location and size, mantissa location and size
        .u32(127) // exponent bias
        .toArray();
    return new Type(m, 4);
  }

  /** A signed little-endian integer of {@code bytes} bytes (1, 2, 4 or 8). */
  public static Type signed(int bytes) {
    return new Type(fixedPoint(bytes, true), bytes);
  }

  /** Fixed-length UTF-8 strings of at most {@code maxBytes} bytes, null-terminated (one byte more), as jHDF writes them. */
  public static Type fixedString(int maxBytes) {
    int size = maxBytes + 1;
    byte[] m = new LeBytes().u8(0x10 | STRING).u8(0x10).u8(0).u8(0).u32(size).toArray(); // padding 0 = null-terminated, charset 1 = UTF-8
    return new Type(m, size);
  }

  /** h5py's boolean: an enum over int8 with members FALSE = 0 and TRUE = 1. */
  public static Type bool() {
    LeBytes b = new LeBytes().u8(0x10 | ENUM).u16(2).u8(0).u32(1).bytes(fixedPoint(1, true));
    // Version 1 enum: each name null-terminated and padded to a multiple of eight bytes, then the values.
    for (String name : new String[] {"FALSE", "TRUE"}) {
      int start = b.size();
      b.cString(name);
      while ((b.size() - start) % 8 != 0) b.u8(0);
    }
    b.u8(0).u8(1);
    return new Type(b.toArray(), 1);
  }

  /** {@code value} as one element of a {@link #fixedString} type of {@code size} bytes (truncated never: the type is sized to fit). */
  static void putFixed(java.nio.ByteBuffer into, byte[] utf8, int size) {
    into.put(utf8);
    for (int i = utf8.length; i < size; i++) into.put((byte) 0);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] fixedPoint(int bytes, boolean signed) {
    return new LeBytes().u8(0x10 | FIXED_POINT).u8(signed ? 0x08 : 0).u8(0).u8(0).u32(bytes).u16(0).u16(8 * bytes).toArray();
  }
}
