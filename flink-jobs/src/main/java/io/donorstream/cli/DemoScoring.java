package io.donorstream.cli;

import io.donorstream.config.ScoringOptions;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scoring.LocalFlink;
import io.donorstream.scoring.KafkaScoringJob;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The demo's scoring stage: the ScoringJob, bounded to what is on the topic, then its predictions read back. */
final class DemoScoring {
  record Result(long predictions, long deadLetters, long heldOutLabelled, double heldOutAccuracy, double seconds) {}

  private DemoScoring() {}

  static Result scoreTopic(String bootstrap, Path modelDir, int width, Set<String> heldOut, Path checkpoints) throws Exception {
    Configuration c = new Configuration();
    c.set(ScoringOptions.MODEL_PATH, modelDir.toAbsolutePath().toString());
    StreamExecutionEnvironment env = LocalFlink.environment(checkpoints, 1000, 2, 0, null);
    KafkaScoringJob.onProjectTopics(bootstrap, "demo-" + UUID.randomUUID(), true).job(new ScoringOptions(c, width)).build(env);
    long t0 = System.nanoTime();
    env.execute("donorstream-demo-scoring");
    double seconds = (System.nanoTime() - t0) / 1e9;
    AvroSerde<DonorPrediction> serde = AvroSerde.of(DonorPrediction.class);
    long[] n = new long[3];
    TopicReader.readToEnd(bootstrap, ProjectTopics.PREDICTIONS, 60_000, r -> {
      DonorPrediction p = serde.deserialize(r.value());
      n[0]++;
      if (p.getTrueDonorId() != null && heldOut.contains(p.getCellId())) {
        n[1]++;
        if (p.getPredictedDonor().equals(p.getTrueDonorId())) n[2]++;
      }
    });
    long dead = TopicReader.readAll(bootstrap, ProjectTopics.CELLS_DLQ, 60_000).size();
    return new Result(n[0], dead, n[1], n[1] == 0 ? 0 : (double) n[2] / n[1], seconds);
  }
}
