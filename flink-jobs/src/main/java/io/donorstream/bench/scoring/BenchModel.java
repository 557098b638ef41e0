package io.donorstream.bench.scoring;

import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.TextEncoder;
import io.donorstream.train.TrainSettings;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;

/**
 * What every scoring bench starts from: {@code cells} synthetic 50-d cells to stream and a vanilla
 * model trained on 20,000 others of the same set, in {@code work/model}.
 */
record BenchModel(CellTable stream, Path model) {
  private static final int TRAINING_CELLS = 20_000;

  static BenchModel prepare(int cells, String name, TextEncoder encoder, Path work) {
    CellTable all = SyntheticDataGenerator.generate(SyntheticSpec.generic(cells + TRAINING_CELLS, 20, 8, 50, "X_emb", 2.0, 1.5, 9), name).table();
    CellTable train = all.select(ScoringBenchmark.range(cells, cells + TRAINING_CELLS));
    Path model = work.resolve("model");
    new TrainingPipeline(m -> {}).run(TrainRequest.of(train, "vanilla", TrainSettings.defaults("vanilla", 1).withEpochs(5), model, encoder).build());
    return new BenchModel(all.select(ScoringBenchmark.range(0, cells)), model);
  }

  /** The job's options: this model, batches of {@code batchSize}. */
  Configuration options(int batchSize) {
    Configuration c = new Configuration();
    c.set(ScoringOptions.MODEL_PATH, model.toString());
    c.set(ScoringOptions.BATCH_SIZE, batchSize);
    return c;
  }
}
