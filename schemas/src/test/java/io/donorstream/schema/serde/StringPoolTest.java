package io.donorstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class StringPoolTest {
  /**
   * 20,000 draws from short and long, empty, non-ASCII values and enough distinct ones that many
   * share a slot.
   */
  private static List<String> randomValues(long seed) {
    List<String> v = new ArrayList<>(List.of("", "CD4-positive, alpha-beta T cell", "Zellkern-Ø", "猫", "x".repeat(StringPool.MAX_POOLED_BYTES),
        "y".repeat(StringPool.MAX_POOLED_BYTES + 1), "z".repeat(5000)));
    for (int i = 0; i < 2000; i++) v.add("donor-" + i);
    Random rng = new Random(seed);
    List<String> draws = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) draws.add(v.get(rng.nextInt(v.size())));
    return draws;
  }

  @Test
  void writesAvrosBytesEveryTime() throws IOException {
    StringPool pool = new StringPool();
    for (String s : randomValues(5)) {
      assertThat(written(out -> pool.write(out, s))).as(s).isEqualTo(written(out -> out.writeString(s)));
    }
  }

  @Test
  void readsWhatAvroReadsAndTheSameInstanceForRepeatedShortValues() throws IOException {
    StringPool pool = new StringPool();
    for (String s : randomValues(6)) {
      assertThat(pool.read(decoder(written(out -> out.writeString(s))))).isEqualTo(s);
    }
    String first = pool.read(decoder(written(out -> out.writeString("B cell"))));
    assertThat(pool.read(decoder(written(out -> out.writeString("B cell"))))).isSameAs(first);
  }

  @Test
  void badLengthsAndShortInputFailAsInAvro() throws IOException {
    StringPool pool = new StringPool();
    byte[] negative = written(out -> out.writeLong(-3));
    assertThatThrownBy(() -> pool.read(decoder(negative))).isInstanceOf(AvroRuntimeException.class).hasMessageContaining("negative");
    byte[] cut = written(out -> out.writeString("monocyte"));
    byte[] shorter = java.util.Arrays.copyOf(cut, cut.length - 2);
    assertThatThrownBy(() -> pool.read(decoder(shorter))).isInstanceOf(EOFException.class);
  }

  private interface Write {
    void to(BinaryEncoder out) throws IOException;
  }

  private static byte[] written(Write w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
    w.to(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static BinaryDecoder decoder(byte[] bytes) {
    return DecoderFactory.get().binaryDecoder(bytes, null);
  }
}
