package io.donorstream.scoring;

import io.donorstream.kafka.KeyedBytes;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.DonorScore;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.schema.serde.FloatArray;
import io.donorstream.scorer.CellScore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A scored cell as the {@code predictions} record, keyed by cell id. Not thread-safe (its codec buffers are reused). */
final class PredictionEncoder {
  private final AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);

  KeyedBytes encode(ValidCell c, CellScore s, ServingModelRef model, long scoredAt) {
    List<DonorScore> top = new ArrayList<>(s.topDonors().length);
    for (int k = 0; k < s.topDonors().length; k++) top.add(new DonorScore(s.topDonors()[k], s.topProbabilities()[k]));
    DonorPrediction p = DonorPrediction.newBuilder()
        .setCellId(c.cellId)
        .setDatasetId(c.datasetId)
        .setEventTime(Instant.ofEpochMilli(c.eventTime))
        .setScoredAt(Instant.ofEpochMilli(scoredAt))
        .setModelName(model.name())
        .setModelVersion(model.version())
        .setPredictedDonor(s.predictedDonor())
        .setTopK(top)
        .setConfidence(s.confidence())
        .setUnknownDonor(s.unknownDonor())
        .setLatent(FloatArray.wrap(s.latent()))
        .setCellType(c.cellType)
        .setTrueDonorId(c.donorId)
        .setSex(c.sex)
        .build();
    return new KeyedBytes(c.cellId.getBytes(StandardCharsets.UTF_8), serde.serialize(p));
  }
}
