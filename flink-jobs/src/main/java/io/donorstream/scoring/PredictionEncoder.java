package io.donorstream.scoring;

import io.donorstream.flink.KeyedBytes;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.DonorScore;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.servable.CellScore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A scored cell as the {@code predictions} record, keyed by cell id. The latent (most of a record's
 * bytes) travels only where the monitor uses it: with labelled cells, and with a fixed sample of the
 * others (chosen by a hash of the cell id, so a label that comes later for a sampled cell finds its
 * latent). The novelty goes with it: computed only there, it costs as much as the rest of scoring a
 * cell. Not thread-safe (its codec buffers are reused).
 */
final class PredictionEncoder {
  private static final float[] NO_LATENT = new float[0];
  private final AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
  private final long sampleBelow;

  /** @param unlabelledShare share of unlabelled cells whose prediction carries the latent */
  PredictionEncoder(double unlabelledShare) {
    this.sampleBelow = (long) Math.floor(unlabelledShare * (1L << 32));
  }

  boolean carriesLatent(ValidCell c) {
    if (c.donorId != null) return true;
    // MurmurHash3's finaliser over String.hashCode (specified by Java, so the same in every JVM):
    // well spread for sequential ids, and nothing allocated per cell.
    int h = c.cellId.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return (h & 0xffffffffL) < sampleBelow;
  }

  KeyedBytes encode(ValidCell c, CellScore s, ServingModelRef model, long scoredAt) {
    List<DonorScore> top = new ArrayList<>(s.topDonors().length);
    for (int k = 0; k < s.topDonors().length; k++) top.add(new DonorScore(s.topDonors()[k], s.topProbabilities()[k]));
    // Setters on a new record, not the builder: the builder validates every field against the schema
    // per cell (a twentieth of the job's time); the writer still refuses a missing required field.
    DonorPrediction p = new DonorPrediction();
    p.setCellId(c.cellId);
    p.setDatasetId(c.datasetId);
    p.setEventTime(Instant.ofEpochMilli(c.eventTime));
    p.setScoredAt(Instant.ofEpochMilli(scoredAt));
    p.setModelName(model.name());
    p.setModelVersion(model.version());
    p.setPredictedDonor(s.predictedDonor());
    p.setTopK(top);
    p.setConfidence(s.confidence());
    p.setUnknownDonor(s.unknownDonor());
    boolean monitored = carriesLatent(c);
    p.setLatent(FloatArray.wrap(monitored ? s.latent() : NO_LATENT));
    p.setCellType(c.cellType);
    p.setTrueDonorId(c.donorId);
    p.setSex(c.sex);
    float novelty = monitored ? s.novelty() : Float.NaN;
    p.setNovelty(Float.isNaN(novelty) ? null : novelty);
    // The cell's record key is its id's bytes (the decoder checked): no need to encode it again.
    return new KeyedBytes(c.raw.key, serde.serialize(p));
  }
}
