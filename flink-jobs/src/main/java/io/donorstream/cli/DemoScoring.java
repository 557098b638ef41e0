package io.donorstream.cli;

import io.donorstream.kafka.TopicReader;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scorer.CellScore;
import io.donorstream.scorer.DonorScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The demo's stand-in for the ScoringJob until it lands: consume a topic, score in batches. */
final class DemoScoring {
  private static final int BATCH = 1024;

  record Result(long cells, long heldOutLabelled, double heldOutAccuracy, double cellsPerSecond) {}

  private DemoScoring() {}

  static Result scoreTopic(String bootstrap, String topic, Path modelDir, Set<String> heldOut) {
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    List<CellEvent> batch = new ArrayList<>();
    long[] counts = new long[3];
    long t0 = System.nanoTime();
    try (DonorScorer scorer = DonorScorer.load(modelDir)) {
      TopicReader.readToEnd(bootstrap, topic, 120_000, r -> {
        batch.add(serde.deserialize(r.value()));
        if (batch.size() == BATCH) score(scorer, batch, heldOut, counts);
      });
      score(scorer, batch, heldOut, counts);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(counts[0], counts[1], counts[1] == 0 ? 0 : (double) counts[2] / counts[1], counts[0] / seconds);
  }

  private static void score(DonorScorer scorer, List<CellEvent> batch, Set<String> heldOut, long[] counts) {
    if (batch.isEmpty()) return;
    int w = scorer.inputWidth();
    float[] x = new float[batch.size() * w];
    String[] types = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      List<Float> e = batch.get(i).getEmbedding();
      for (int j = 0; j < w; j++) x[i * w + j] = e.get(j);
      types[i] = batch.get(i).getCellType();
    }
    List<CellScore> scores = scorer.score(x, types, 3);
    for (int i = 0; i < batch.size(); i++) {
      CellEvent e = batch.get(i);
      counts[0]++;
      if (e.getDonorId() != null && heldOut.contains(e.getCellId())) {
        counts[1]++;
        if (scores.get(i).predictedDonor().equals(e.getDonorId())) counts[2]++;
      }
    }
    batch.clear();
  }
}
