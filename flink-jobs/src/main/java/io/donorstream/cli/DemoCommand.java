package io.donorstream.cli;

import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.kafka.CellPublisher;
import io.donorstream.kafka.LocalKafkaBroker;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.PublishOptions;
import io.donorstream.kafka.PublishSummary;
import io.donorstream.model.ModelSpec;
import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import io.donorstream.train.DataSplit;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.train.TrainSettings;
import io.donorstream.pipeline.TrainingPipeline;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole loop on one machine. This version runs the stages built so far: the data (OneK1K when
 * {@code ../shared} is beside the project, generated otherwise), training a vanilla model, a local
 * broker, publishing, and the ScoringJob on a local MiniCluster; monitoring and retraining join as
 * they land.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run donorstream end to end on one machine.",
      "Stages built so far: data (OneK1K if ../shared/data is present, else a generated set), train",
      "a vanilla model, local Kafka broker, publish, score every cell with the Flink ScoringJob, monitor",
      "the predictions with the MonitoringJob (quality, leakage, drift, an archive of labelled cells)."
    })
public final class DemoCommand implements Callable<Integer> {
  static final Path SHARED_ONEK1K = Path.of("..", "shared", "data", "onek1k", "onek1k-a.h5ad");

  @Option(names = "--work-dir", defaultValue = "runs/demo", description = "Where the demo keeps its broker data and files (default ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--loop", description = "The closed loop instead (first version, issue 16): drift to new donors, retrain request, retraining on the archive, promotion, swap, summary line.")
  boolean loop;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(workDir);
    CellTable cells = demoData();
    if (loop) {
      try (TextEncoder encoder = TransformerTextEncoder.miniLm(TextOptions.cacheDir())) {
        return DemoLoop.run(cells, workDir, encoder);
      }
    }
    System.out.printf("[1/5] data: %,d cells x %d, %d donors (%s)%n", cells.size(), cells.width(), cells.donors().size(), cells.datasetId());
    Path modelDir = workDir.resolve("models").resolve("vanilla").resolve("1");
    Map<String, Object> metrics;
    try (TextEncoder encoder = TransformerTextEncoder.miniLm(TextOptions.cacheDir())) {
      TrainSettings settings = TrainSettings.defaults(ModelSpec.VANILLA, 42);
      metrics = new TrainingPipeline(msg -> {}).run(TrainRequest.of(cells, ModelSpec.VANILLA, settings, modelDir, encoder).ontology(CellOntology.loadDefault(null)).build());
    }
    Object probe = metrics.get("sex_probe_group_balanced_accuracy");
    System.out.printf("[2/5] trained vanilla -> %s: test accuracy %.3f (logistic regression %.3f, majority %.3f);"
        + " sex probe on held-out donors %s%n", modelDir, metrics.get("accuracy"), metrics.get("baseline_logreg_accuracy"),
        metrics.get("baseline_majority_accuracy"), probe == null ? "not available" : String.format("%.3f", (Double) probe));
    Path kafkaDir = Files.createTempDirectory(workDir.toAbsolutePath(), "kafka-");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
      broker.createTopics(ProjectTopics.all(2));
      System.out.println("[3/5] Kafka broker up at " + broker.bootstrap() + ", project topics created");
      PublishSummary sent = CellPublisher.publish(cells,
          new PublishOptions(broker.bootstrap(), ProjectTopics.CELLS, 0, 0.5, 0, true, 7, true));
      System.out.println("      " + sent);
      DemoScoring.Result scored = DemoScoring.scoreTopic(broker.bootstrap(), modelDir, cells.width(), heldOut(cells),
          workDir.resolve("checkpoints"));
      System.out.printf("[4/5] ScoringJob (Flink MiniCluster, RocksDB, exactly-once Kafka sink) answered %,d of %,d cells in %.1f s:"
          + " %,d predictions, %,d dead letters; accuracy on %,d held-out labelled cells %.3f%n", scored.predictions() + scored.deadLetters(),
          sent.cells(), scored.seconds(), scored.predictions(), scored.deadLetters(), scored.heldOutLabelled(), scored.heldOutAccuracy());
      Path archive = workDir.resolve("archive");
      if (Files.exists(archive)) LocalKafkaBroker.deleteData(archive); // this run's cells only
      DemoMonitoring.Result monitored = DemoMonitoring.monitorTopics(broker.bootstrap(), modelDir, archive, workDir.resolve("checkpoints-monitor"));
      System.out.println("[5/5] " + DemoMonitoring.describe(monitored, archive));
      System.out.println("the closed loop (drift, retraining, promotion, swap): ./donorstream demo --loop");
      return scored.predictions() + scored.deadLetters() == sent.cells() && monitored.archived() == sent.labeled() ? 0 : 1;
    } finally {
      LocalKafkaBroker.deleteData(kafkaDir);
    }
  }

  /** The cell ids the model never trained on: the test split, recomputed with the same seed. */
  private static Set<String> heldOut(CellTable cells) {
    DataSplit split = DataSplit.stratifiedByDonor(cells.donorIds(), TrainingPipeline.VALIDATION_FRACTION, TrainingPipeline.TEST_FRACTION, 42);
    Set<String> ids = new HashSet<>();
    for (int r : split.test()) ids.add(cells.cellIds()[r]);
    return ids;
  }

  private CellTable demoData() {
    if (Files.exists(SHARED_ONEK1K)) {
      return CellTableReader.read(SHARED_ONEK1K, H5adReadOptions.of("X_pca"));
    }
    System.out.println("(../shared/data not found: using a generated data set)");
    return SyntheticDataGenerator.generate(SyntheticSpec.generic(5000, 12, 8, 50, "X_emb", 2.0, 1.5, 42), "synthetic").table();
  }
}
