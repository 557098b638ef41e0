package io.donorstream.schema.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;

/**
 * The strings of the scoring path that repeat from record to record (dataset ids, cell types,
 * donors, sexes, model versions), kept once each in both directions: a read returns the instance
 * read last time for the same bytes (no new string, and its hash, which the scorer's type lookup
 * needs, is computed once), a write reuses the UTF-8 bytes of a string it wrote before. Both
 * are small direct-mapped caches (a new value takes the place of an old one), so their memory is
 * bounded whatever the stream holds. The bytes read and written are exactly Avro's. Not
 * thread-safe (one per codec).
 */
final class StringPool {
  /** Longer strings are not pooled (ids, free text). */
  static final int MAX_POOLED_BYTES = 64;
  private static final int SLOTS = 256;
  private final byte[][] readBytes = new byte[SLOTS][];
  private final String[] readStrings = new String[SLOTS];
  private final byte[] scratch = new byte[MAX_POOLED_BYTES];
  private final String[] writtenStrings = new String[SLOTS];
  private final byte[][] writtenBytes = new byte[SLOTS][];

  /** As {@link BinaryDecoder#readString()}, with the same errors for bad lengths and short input. */
  String read(BinaryDecoder in) throws IOException {
    int n = SystemLimitException.checkMaxStringLength(in.readLong());
    if (n > MAX_POOLED_BYTES) {
      byte[] b = new byte[n];
      in.readFixed(b, 0, n);
      return new String(b, StandardCharsets.UTF_8);
    }
    in.readFixed(scratch, 0, n);
    int h = n;
    for (int i = 0; i < n; i++) h = 31 * h + scratch[i];
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] known = readBytes[slot];
    if (known != null && Arrays.equals(known, 0, known.length, scratch, 0, n)) return readStrings[slot];
    String s = new String(scratch, 0, n, StandardCharsets.UTF_8);
    readBytes[slot] = Arrays.copyOf(scratch, n);
    readStrings[slot] = s;
    return s;
  }

  /** As {@link BinaryEncoder#writeString(String)}: the length, then the UTF-8 bytes. */
  void write(BinaryEncoder out, String s) throws IOException {
    int slot = System.identityHashCode(s) & (SLOTS - 1);
    byte[] b;
    if (writtenStrings[slot] == s) {
      b = writtenBytes[slot];
    } else {
      b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length <= MAX_POOLED_BYTES) {
        writtenStrings[slot] = s;
        writtenBytes[slot] = b;
      }
    }
    out.writeInt(b.length);
    if (b.length > 0) out.writeFixed(b, 0, b.length);
  }
}
