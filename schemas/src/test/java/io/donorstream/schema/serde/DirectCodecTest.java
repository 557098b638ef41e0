package io.donorstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.schema.CellEvent;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.DonorScore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The hand-written codecs against Avro's own writer and reader, on random records of every shape. */
class DirectCodecTest {
  private static final int RECORDS = 300;

  @Test
  void cellEventsWriteAndReadAsAvroDoes() throws IOException {
    Random rng = new Random(11);
    for (int i = 0; i < RECORDS; i++) assertActsAsAvro(new CellEventCodec(), randomCell(rng), CellEvent.class);
  }

  @Test
  void predictionsWriteAndReadAsAvroDoes() throws IOException {
    Random rng = new Random(12);
    for (int i = 0; i < RECORDS; i++) assertActsAsAvro(new DonorPredictionCodec(), randomPrediction(rng), DonorPrediction.class);
  }

  /** The codec writes Avro's bytes, reads them as Avro does, and reads another writer's blocked arrays (Avro's blocking encoder) the same. */
  private static <T extends SpecificRecord> void assertActsAsAvro(DirectCodec<T> codec, T record, Class<T> type) throws IOException {
    byte[] avro = avroBytes(record, false);
    assertThat(directBytes(codec, record)).isEqualTo(avro);
    assertThat(codec.read(DecoderFactory.get().binaryDecoder(avro, null))).isEqualTo(avroRead(avro, type));
    assertThat(codec.read(DecoderFactory.get().binaryDecoder(avroBytes(record, true), null))).isEqualTo(record);
  }

  @Test
  void aMissingRequiredFieldIsRefusedByName() {
    DonorPrediction p = randomPrediction(new Random(1));
    p.setModelVersion(null);
    assertThatThrownBy(() -> directBytes(new DonorPredictionCodec(), p)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("DonorPrediction.model_version");
  }

  @Test
  void aBadUnionBranchIsMalformedData() throws IOException {
    CellEvent e = randomCell(new Random(2));
    e.setSex(null);
    byte[] bytes = avroBytes(e, false);
    // The last byte is the sex union's branch (0, null): make it branch 2.
    bytes[bytes.length - 1] = 4;
    assertThatThrownBy(() -> new CellEventCodec().read(DecoderFactory.get().binaryDecoder(bytes, null)))
        .isInstanceOf(org.apache.avro.AvroRuntimeException.class).hasMessageContaining("union index 2 of sex");
  }

  @Test
  void aCodecRefusesASchemaItWasNotWrittenFor() {
    String json = CellEvent.getClassSchema().toString();
    Schema added = new Schema.Parser().parse(json.substring(0, json.length() - 2) + ",{\"name\":\"assay\",\"type\":\"string\"}]}");
    assertThat(new CellEventCodec().fits(CellEvent.getClassSchema())).isTrue();
    assertThat(new CellEventCodec().fits(added)).isFalse();
    assertThatThrownBy(() -> DirectCodec.forType(CellEvent.class, added)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("assay");
  }

  private static CellEvent randomCell(Random rng) {
    CellEvent e = new CellEvent();
    e.setCellId(text(rng));
    e.setDatasetId(text(rng));
    e.setEventTime(Instant.ofEpochMilli(rng.nextLong() >> 20));
    e.setEmbedding(rng.nextBoolean() ? FloatArray.wrap(floats(rng)) : boxed(floats(rng)));
    e.setEmbeddingKey(text(rng));
    e.setCellType(text(rng));
    e.setCellTypeOntologyId(optional(rng));
    e.setDonorId(optional(rng));
    e.setSex(optional(rng));
    return e;
  }

  private static DonorPrediction randomPrediction(Random rng) {
    DonorPrediction p = new DonorPrediction();
    p.setCellId(text(rng));
    p.setDatasetId(text(rng));
    p.setEventTime(Instant.ofEpochMilli(rng.nextLong() >> 20));
    p.setScoredAt(Instant.ofEpochMilli(rng.nextLong() >> 20));
    p.setModelName(text(rng));
    p.setModelVersion(text(rng));
    p.setPredictedDonor(text(rng));
    List<DonorScore> top = new ArrayList<>();
    for (int k = rng.nextInt(6); k > 0; k--) top.add(new DonorScore(text(rng), rng.nextFloat()));
    p.setTopK(top);
    p.setConfidence(rng.nextFloat());
    p.setUnknownDonor(rng.nextBoolean());
    p.setLatent(rng.nextBoolean() ? FloatArray.wrap(floats(rng)) : boxed(floats(rng)));
    p.setCellType(text(rng));
    p.setTrueDonorId(optional(rng));
    p.setSex(optional(rng));
    p.setNovelty(rng.nextBoolean() ? null : (float) (rng.nextGaussian() * 50));
    return p;
  }

  /** Empty, ASCII, or with characters of two, three and four UTF-8 bytes. */
  private static String text(Random rng) {
    String[] parts = {"", "AAACCTG-1", "CD4-positive, alpha-beta T cell", "é", "細胞", "🧬", "x"};
    StringBuilder s = new StringBuilder();
    for (int k = rng.nextInt(4); k > 0; k--) s.append(parts[rng.nextInt(parts.length)]);
    return s.toString();
  }

  private static String optional(Random rng) {
    return rng.nextInt(3) == 0 ? null : text(rng);
  }

  /** Empty, short or long (more than one block for a blocking writer, more than one bulk step), with special values. */
  private static float[] floats(Random rng) {
    float[] v = new float[new int[] {0, 1, 3, 50, 300, 2500}[rng.nextInt(6)]];
    for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
    if (v.length > 2) {
      v[0] = -0.0f;
      v[1] = Float.MIN_VALUE;
    }
    return v;
  }

  private static List<Float> boxed(float[] v) {
    List<Float> l = new ArrayList<>();
    for (float f : v) l.add(f);
    return l;
  }

  private static <T extends SpecificRecord> byte[] directBytes(DirectCodec<T> codec, T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    codec.write(record, enc);
    enc.flush();
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> byte[] avroBytes(T record, boolean blocked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = blocked ? new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null)
        : EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>((Class<T>) record.getClass()).write(record, enc);
    enc.flush();
    return out.toByteArray();
  }

  private static <T> T avroRead(byte[] bytes, Class<T> type) throws IOException {
    return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }
}
