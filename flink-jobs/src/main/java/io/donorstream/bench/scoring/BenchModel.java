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
 * What every scoring bench starts from: {@code cells} synthetic cells to stream and a model trained
 * on others of the same set, in {@code work/model}. Vanilla: 50-d cells of 20 donors, trained on
 * 20,000. Multimodal: the original project's shape (14 donors, 16 cell types, 512-d "geneformer"),
 * trained briefly on 6,000 (its weights do not change what a cell costs).
 */
record BenchModel(CellTable stream, Path model, String architecture) {
  static BenchModel prepare(int cells, String name, TextEncoder encoder, Path work) {
    return prepare(cells, name, "vanilla", 50, encoder, work);
  }

  static BenchModel prepare(int cells, String name, String architecture, int width, TextEncoder encoder, Path work) {
    boolean multimodal = architecture.equals("multimodal");
    int training = multimodal ? 6_000 : 20_000;
    SyntheticSpec spec = multimodal
        ? SyntheticSpec.generic(cells + training, 14, 16, width, "geneformer", 2.0, 1.5, 9)
        : SyntheticSpec.generic(cells + training, 20, 8, width, "X_emb", 2.0, 1.5, 9);
    CellTable all = SyntheticDataGenerator.generate(spec, name).table();
    CellTable train = all.select(ScoringBenchmark.range(cells, cells + training));
    Path model = work.resolve("model");
    TrainSettings settings = TrainSettings.defaults(architecture, 1).withEpochs(multimodal ? 2 : 5);
    new TrainingPipeline(m -> {}).run(TrainRequest.of(train, architecture, settings, model, encoder).build());
    return new BenchModel(all.select(ScoringBenchmark.range(0, cells)), model, architecture);
  }

  /** The job's options: this model, batches of {@code batchSize}. */
  Configuration options(int batchSize) {
    Configuration c = new Configuration();
    c.set(ScoringOptions.MODEL_PATH, model.toString());
    c.set(ScoringOptions.BATCH_SIZE, batchSize);
    return c;
  }
}
