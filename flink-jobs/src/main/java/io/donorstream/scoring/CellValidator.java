package io.donorstream.scoring;

import io.donorstream.metrics.DeadLetterCounters;
import io.donorstream.kafka.RawRecord;
import io.donorstream.metrics.ScoringMetrics;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.schema.serde.RecordDecodeException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes and checks each record; anything unusable goes whole to the dead-letter side output with
 * its reason, so nothing is dropped and nothing fails the job.
 */
public final class CellValidator extends ProcessFunction<RawRecord, ValidCell> {
  private final int width;
  private final int maxBytes;
  private transient AvroSerde<CellEvent> serde;
  private transient DeadLetterCounters counters;
  private transient Counter recordsIn;

  public CellValidator(int width, int maxBytes) {
    this.width = width;
    this.maxBytes = maxBytes;
  }

  @Override
  public void open(OpenContext ctx) {
    serde = AvroSerde.of(CellEvent.class);
    MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(ScoringMetrics.GROUP);
    counters = new DeadLetterCounters(g);
    recordsIn = g.counter(ScoringMetrics.RECORDS_IN);
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<ValidCell> out) {
    recordsIn.inc();
    if (raw.value != null && raw.value.length > maxBytes) {
      reject(ctx, raw, DeadLetters.OVERSIZED, raw.value.length + " bytes exceed the limit of " + maxBytes);
      return;
    }
    CellEvent e;
    try {
      e = serde.deserialize(raw.value);
    } catch (RecordDecodeException ex) {
      reject(ctx, raw, ex.failure().code(), ex.getMessage());
      return;
    }
    float[] v = FloatArray.values(e.getEmbedding());
    if (v.length != width) {
      reject(ctx, raw, DeadLetters.WRONG_WIDTH, "embedding has " + v.length + " values, the model takes " + width);
      return;
    }
    for (int j = 0; j < width; j++) {
      if (!Float.isFinite(v[j])) {
        reject(ctx, raw, DeadLetters.NON_FINITE, "embedding value " + j + " is " + v[j]);
        return;
      }
    }
    ValidCell c = new ValidCell();
    c.cellId = e.getCellId();
    c.datasetId = e.getDatasetId();
    c.eventTime = e.getEventTime().toEpochMilli();
    c.embedding = v;
    c.cellType = e.getCellType();
    c.donorId = e.getDonorId();
    c.sex = e.getSex();
    c.raw = raw;
    out.collect(c);
  }

  private void reject(Context ctx, RawRecord raw, String reason, String detail) {
    counters.inc(reason);
    ctx.output(DeadLetters.TAG, DeadLetters.of(raw, reason, detail));
  }
}
