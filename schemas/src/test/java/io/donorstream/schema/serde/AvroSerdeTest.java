package io.donorstream.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.schema.CellEvent;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DeadLetter;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.DonorScore;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_123L);

  static CellEvent cell() {
    return CellEvent.newBuilder()
        .setCellId("AAACCTG-1")
        .setDatasetId("onek1k-a")
        .setEventTime(T0)
        .setEmbedding(List.of(0.5f, -1.25f, 3e-7f))
        .setEmbeddingKey("X_pca")
        .setCellType("memory B cell")
        .setCellTypeOntologyId("CL:0000787")
        .setDonorId("SAMP3")
        .setSex("female")
        .build();
  }

  static List<SpecificRecord> oneOfEach() {
    return List.of(
        cell(),
        CellLabel.newBuilder().setCellId("c1").setDatasetId("d").setEventTime(T0).setDonorId("SAMP1").setSex(null).build(),
        DonorPrediction.newBuilder()
            .setCellId("c1").setDatasetId("d").setEventTime(T0).setScoredAt(T0.plusMillis(5))
            .setModelName("vanilla").setModelVersion("3").setPredictedDonor("SAMP1")
            .setTopK(List.of(new DonorScore("SAMP1", 0.7f), new DonorScore("SAMP2", 0.2f)))
            .setConfidence(0.7f).setUnknownDonor(false).setLatent(List.of(1f, 2f))
            .setCellType("classical monocyte").setTrueDonorId("SAMP2").setSex("male").build(),
        QualityReport.newBuilder()
            .setModelName("vanilla").setModelVersion("3").setWindowStart(T0).setWindowEnd(T0.plusSeconds(60))
            .setNPredictions(100).setNLabeled(40).setAccuracy(0.61).setMacroF1(null)
            .setDriftDetected(true).setPerCellTypeAccuracy(Map.of("memory B cell", 0.5)).build(),
        RetrainRequest.newBuilder()
            .setRequestId("r1").setRequestedAt(T0).setReason("drift").setModelName("vanilla")
            .setModelVersion("3").setMetrics(Map.of("accuracy", 0.4)).setDataFrom(T0).setDataTo(null).build(),
        ModelUpdate.newBuilder()
            .setModelName("vanilla").setVersion("4").setArtifactUri("file:///models/vanilla/4")
            .setSha256("ab".repeat(32)).setCreatedAt(T0).setMetrics(Map.of()).build(),
        DeadLetter.newBuilder()
            .setRaw(ByteBuffer.wrap(new byte[] {1, 2, 3})).setRawKey(null).setReason("corrupt")
            .setDetail("bad header").setSourceTopic("cells").setSourcePartition(2).setSourceOffset(77L)
            .setFailedAt(T0).build());
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyRecordRoundTrips() {
    for (SpecificRecord record : oneOfEach()) {
      AvroSerde serde = AvroSerde.of(record.getClass());
      byte[] bytes = serde.serialize(record);
      assertThat(bytes[0] & 0xff).isEqualTo(0xC3);
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
      assertThat(serde.deserialize(bytes)).as(record.getClass().getSimpleName()).isEqualTo(record);
    }
  }

  @Test
  void emptyBytesAreEmpty() {
    assertFailure(new byte[0], DecodeFailure.EMPTY);
    assertFailure(null, DecodeFailure.EMPTY);
  }

  @Test
  void plainTextIsCorrupt() {
    assertFailure("{\"cell_id\": \"x\"}".getBytes(), DecodeFailure.CORRUPT);
  }

  @Test
  void damagedBodyIsCorrupt() {
    byte[] bytes = AvroSerde.of(CellEvent.class).serialize(cell());
    // The first body byte is the zig-zag length of cell_id; 0x01 decodes as length -1.
    bytes[10] = 0x01;
    assertFailure(bytes, DecodeFailure.CORRUPT);
  }

  @Test
  void trailingGarbageIsCorrupt() {
    byte[] bytes = AvroSerde.of(CellEvent.class).serialize(cell());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertFailure(longer, DecodeFailure.CORRUPT);
  }

  @Test
  void cutBodyIsTruncated() {
    byte[] bytes = AvroSerde.of(CellEvent.class).serialize(cell());
    assertFailure(Arrays.copyOf(bytes, bytes.length - 4), DecodeFailure.TRUNCATED);
    assertFailure(Arrays.copyOf(bytes, 6), DecodeFailure.TRUNCATED);
  }

  @Test
  void anotherRecordTypeIsForeign() {
    byte[] label = AvroSerde.of(CellLabel.class).serialize((CellLabel) oneOfEach().get(1));
    assertThatThrownBy(() -> AvroSerde.of(CellEvent.class).deserialize(label))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageContaining("fingerprint")
        .extracting(e -> ((RecordDecodeException) e).failure())
        .isEqualTo(DecodeFailure.FOREIGN_SCHEMA);
  }

  @Test
  void fingerprintsPrintAsJavaComputesThemNotInWireOrder() {
    long expected = org.apache.avro.SchemaNormalization.parsingFingerprint64(CellEvent.getClassSchema());
    assertThat(AvroSerde.of(CellEvent.class).fingerprint()).isEqualTo(String.format("%016x", expected));
    byte[] label = AvroSerde.of(CellLabel.class).serialize((CellLabel) oneOfEach().get(1));
    assertThatThrownBy(() -> AvroSerde.of(CellEvent.class).deserialize(label))
        .hasMessageContaining("fingerprint " + AvroSerde.of(CellLabel.class).fingerprint() + " is not CellEvent's ("
            + AvroSerde.of(CellEvent.class).fingerprint() + ")")
        .hasMessageContaining(AvroSerde.SCHEMAS_DOC);
  }

  @Test
  void olderReaderReadsNewerWriterWithAddedOptionalField() {
    Schema newer = newerCellEventSchema();
    GenericRecord rec = new GenericData.Record(newer);
    CellEvent expected = cell();
    for (Schema.Field f : CellEvent.getClassSchema().getFields()) {
      rec.put(f.name(), genericValue(expected.get(f.pos())));
    }
    rec.put("assay", "10x 3' v2");
    byte[] bytes;
    try {
      bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer).encode(rec).array();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }

    assertFailure(bytes, DecodeFailure.FOREIGN_SCHEMA);
    CellEvent read = AvroSerde.of(CellEvent.class).acceptingWriterSchema(newer).deserialize(bytes);
    assertThat(read).isEqualTo(expected);
  }

  private static Object genericValue(Object v) {
    return v instanceof Instant i ? i.toEpochMilli() : v;
  }

  private static Schema newerCellEventSchema() {
    String json = CellEvent.getClassSchema().toString();
    String added = ",{\"name\":\"assay\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    return new Schema.Parser().parse(json.substring(0, json.length() - 2) + added);
  }

  @Test
  void floatArraysReadAsPrimitiveArraysAndWriteTheSameBytesAsBoxedLists() {
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    byte[] boxed = serde.serialize(cell());
    CellEvent read = serde.deserialize(boxed);
    assertThat(read.getEmbedding()).isInstanceOf(FloatArray.class).containsExactly(0.5f, -1.25f, 3e-7f);
    assertThat(serde.serialize(read)).isEqualTo(boxed);
    assertThat(FloatArray.values(read.getEmbedding())).containsExactly(0.5f, -1.25f, 3e-7f);
  }

  @Test
  void anEmbeddingWrittenInManyBlocksReadsWholeAndTheFieldsAfterItStayInStep() throws Exception {
    // Other writers may split an array into blocks (Avro's blocking encoder does); the values are
    // read past the resolving decoder, so the fields after them must still come out right.
    float[] values = new float[300];
    for (int i = 0; i < values.length; i++) values[i] = i * 0.25f - 7;
    CellEvent e = cell();
    e.setEmbedding(FloatArray.wrap(values));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    out.write(serde.serialize(e), 0, 10);
    org.apache.avro.io.BinaryEncoder blocks = new org.apache.avro.io.EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null);
    new org.apache.avro.specific.SpecificDatumWriter<CellEvent>(CellEvent.class).write(e, blocks);
    blocks.flush();

    CellEvent read = serde.deserialize(out.toByteArray());
    assertThat(FloatArray.values(read.getEmbedding())).containsExactly(values);
    assertThat(read.getCellType()).isEqualTo(e.getCellType());
    assertThat(read.getDonorId()).isEqualTo(e.getDonorId());
    assertThat(read.getSex()).isEqualTo(e.getSex());
    assertThat(read).isEqualTo(e);
  }

  @Test
  void aHugeLengthClaimIsCorruptOrTruncatedNotAnAllocation() {
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    byte[] bytes = serde.serialize(cell());
    // The first body byte is the cell id's length (zig-zag varint): claim ~1 GB.
    byte[] liar = new byte[bytes.length + 4];
    System.arraycopy(bytes, 0, liar, 0, 10);
    liar[10] = (byte) 0xfe;
    liar[11] = (byte) 0xff;
    liar[12] = (byte) 0xff;
    liar[13] = (byte) 0xff;
    liar[14] = (byte) 0x07;
    System.arraycopy(bytes, 11, liar, 15, bytes.length - 11);
    assertThatThrownBy(() -> serde.deserialize(liar)).isInstanceOf(RecordDecodeException.class)
        .satisfies(e -> assertThat(((RecordDecodeException) e).failure()).isIn(DecodeFailure.CORRUPT, DecodeFailure.TRUNCATED));
  }

  private static void assertFailure(byte[] bytes, DecodeFailure expected) {
    assertThatThrownBy(() -> AvroSerde.of(CellEvent.class).deserialize(bytes))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageStartingWith(expected.code() + ":")
        .extracting(e -> ((RecordDecodeException) e).failure())
        .isEqualTo(expected);
  }
}
