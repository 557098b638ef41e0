package io.donorstream.schema.serde;

import io.donorstream.schema.CellEvent;
import java.io.IOException;
import java.time.Instant;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;

/** {@link CellEvent}'s body, read once per cell by the scoring job and written per cell by the publisher. */
final class CellEventCodec extends DirectCodec<CellEvent> {
  CellEventCodec() {
    super("cell_id", "dataset_id", "event_time", "embedding", "embedding_key", "cell_type", "cell_type_ontology_id", "donor_id", "sex");
  }

  @Override
  void write(CellEvent e, BinaryEncoder out) throws IOException {
    writeRequired(out, e.getCellId(), "CellEvent.cell_id");
    writeRepeated(out, e.getDatasetId(), "CellEvent.dataset_id");
    out.writeLong(e.getEventTime().toEpochMilli());
    writeFloats(out, e.getEmbedding());
    writeRepeated(out, e.getEmbeddingKey(), "CellEvent.embedding_key");
    writeRepeated(out, e.getCellType(), "CellEvent.cell_type");
    writeOptional(out, e.getCellTypeOntologyId());
    writeOptional(out, e.getDonorId());
    writeOptional(out, e.getSex());
  }

  @Override
  CellEvent read(BinaryDecoder in) throws IOException {
    CellEvent e = new CellEvent();
    e.setCellId(in.readString());
    e.setDatasetId(readRepeated(in));
    e.setEventTime(Instant.ofEpochMilli(in.readLong()));
    e.setEmbedding(readFloats(in));
    e.setEmbeddingKey(readRepeated(in));
    e.setCellType(readRepeated(in));
    e.setCellTypeOntologyId(readOptional(in, "cell_type_ontology_id"));
    e.setDonorId(readOptional(in, "donor_id"));
    e.setSex(readOptional(in, "sex"));
    return e;
  }
}
