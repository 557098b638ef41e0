package io.donorstream.publish;

import io.donorstream.data.CellTable;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.FloatArray;
import java.time.Instant;
import java.util.Arrays;

/** Turns rows of a {@link CellTable} into {@link CellEvent}s. */
public final class CellEvents {
  private CellEvents() {}

  public static CellEvent of(CellTable t, int row, Instant eventTime, boolean withLabels) {
    int w = t.width();
    FloatArray values = FloatArray.wrap(Arrays.copyOfRange(t.embedding(), row * w, (row + 1) * w));
    return CellEvent.newBuilder()
        .setCellId(t.cellIds()[row])
        .setDatasetId(t.datasetId())
        .setEventTime(eventTime)
        .setEmbedding(values)
        .setEmbeddingKey(t.embeddingKey())
        .setCellType(t.cellTypes()[row])
        .setCellTypeOntologyId(t.cellTypeOntologyIds() == null ? null : t.cellTypeOntologyIds()[row])
        .setDonorId(withLabels && t.hasDonors() ? t.donorIds()[row] : null)
        .setSex(withLabels && t.hasSex() ? t.sexes()[row] : null)
        .build();
  }
}
