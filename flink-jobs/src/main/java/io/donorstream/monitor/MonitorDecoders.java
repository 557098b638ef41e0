package io.donorstream.monitor;

import io.donorstream.flink.DeadLetters;
import io.donorstream.flink.RawRecord;
import io.donorstream.metrics.ProjectMetricGroup;
import io.donorstream.quality.Outcome;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.CellLabel;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Reads the monitor's inputs off their Avro bytes. A record that is not what its topic promises
 * goes to the dead-letter side output with the reason, as the ScoringJob does with bad cells.
 */
public final class MonitorDecoders {
  private MonitorDecoders() {}

  /** predictions → outcomes (labelled when the prediction carries its donor). */
  public static final class Predictions extends ProcessFunction<RawRecord, Outcome> {
    private final boolean shadow;
    private transient AvroSerde<DonorPrediction> serde;

    public Predictions() {
      this(false);
    }

    /** @param shadow the records are a shadow model's answers */
    public Predictions(boolean shadow) {
      this.shadow = shadow;
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Outcome> out) {
      if (serde == null) serde = AvroSerde.of(DonorPrediction.class);
      DonorPrediction p = DeadLetters.decodeOrDeadLetter(serde, raw, d -> ctx.output(DeadLetters.TAG, d));
      if (p == null) return;
      out.collect(new Outcome(p.getCellId(), p.getModelName(), p.getModelVersion(), p.getEventTime().toEpochMilli(), p.getPredictedDonor(),
          p.getConfidence(), p.getUnknownDonor(), p.getCellType(), FloatArray.values(p.getLatent()), p.getTrueDonorId(), p.getSex(), true, shadow,
          p.getNovelty() == null ? Float.NaN : p.getNovelty()));
    }
  }

  /**
   * cells → cell events, for the training archive. A bad record is counted and skipped here: the
   * ScoringJob reads the same topic and dead-letters it on cells-dlq with its reason.
   */
  public static final class Cells extends ProcessFunction<RawRecord, CellEvent> {
    public static final String SKIPPED = "archiveSkippedRecords";
    private transient AvroSerde<CellEvent> serde;
    private transient org.apache.flink.metrics.Counter skipped;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      serde = AvroSerde.of(CellEvent.class);
      skipped = getRuntimeContext().getMetricGroup().addGroup(ProjectMetricGroup.NAME).counter(SKIPPED);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<CellEvent> out) {
      CellEvent e = DeadLetters.decodeOrDeadLetter(serde, raw, d -> skipped.inc());
      if (e != null) out.collect(e);
    }
  }

  /** labels → label events. */
  public static final class Labels extends ProcessFunction<RawRecord, LabelEvent> {
    private transient AvroSerde<CellLabel> serde;

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<LabelEvent> out) {
      if (serde == null) serde = AvroSerde.of(CellLabel.class);
      CellLabel l = DeadLetters.decodeOrDeadLetter(serde, raw, d -> ctx.output(DeadLetters.TAG, d));
      if (l == null) return;
      out.collect(new LabelEvent(l.getCellId(), l.getDonorId(), l.getSex(), l.getEventTime().toEpochMilli()));
    }
  }
}
