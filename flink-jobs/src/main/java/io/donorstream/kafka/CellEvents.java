package io.donorstream.kafka;

import io.donorstream.data.CellTable;
import io.donorstream.schema.CellEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns rows of a {@link CellTable} into {@link CellEvent}s. */
public final class CellEvents {
  private CellEvents() {}

  public static CellEvent of(CellTable t, int row, Instant eventTime, boolean withLabels) {
    int w = t.width();
    float[] emb = t.embedding();
    List<Float> values = new ArrayList<>(w);
    for (int j = row * w; j < (row + 1) * w; j++) {
      values.add(emb[j]);
    }
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
