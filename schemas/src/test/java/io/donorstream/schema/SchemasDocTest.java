package io.donorstream.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.schema.serde.AvroSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Clients in other languages check their fingerprints against docs/schemas.md: it must list today's. */
class SchemasDocTest {
  private static final List<Class<? extends SpecificRecord>> RECORDS = List.of(CellEvent.class, CellLabel.class, DonorPrediction.class,
      DeadLetter.class, ModelUpdate.class, QualityReport.class, RetrainRequest.class);

  @Test
  void theDocumentListsEveryRecordWithItsCurrentFingerprint() throws Exception {
    String doc = Files.readString(Path.of("..").resolve(AvroSerde.SCHEMAS_DOC));
    for (Class<? extends SpecificRecord> type : RECORDS) {
      String row = "| " + type.getSimpleName() + " | `schemas/src/main/avro/" + type.getSimpleName() + ".avsc` |";
      assertThat(doc).as("a row for %s", type.getSimpleName()).contains(row);
      String line = doc.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
      assertThat(line).as("%s's fingerprint", type.getSimpleName()).endsWith("| `" + AvroSerde.of(type).fingerprint() + "` |");
    }
  }
}
