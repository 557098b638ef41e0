package io.donorstream.cli;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.config.ScoringOptions;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalFlink;
import io.donorstream.publish.CellPublisher;
import io.donorstream.scoring.KafkaScoringJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ScoringJob on a local Flink (MiniCluster, RocksDB, checkpoints, web UI, Prometheus).",
      "Cells from Kafka are validated (bad ones to cells-dlq with a reason), scored in micro-batches",
      "with DJL, and written exactly once to predictions; models announced on model-updates are",
      "swapped in without a restart."
    },
    footer = {"", "Example:",
      "  ./donorstream score --bootstrap 127.0.0.1:9092 --model runs/vanilla --until-idle 30",
      "", "On a Flink cluster: see README, 'Run on a Flink cluster'."})
public final class ScoreCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  KafkaOptions kafka;

  @Option(names = "--model", description = "Artifact directory to start with (else wait for one on model-updates; then --embedding-width is needed).")
  Path model;

  @Option(names = "--embedding-width", defaultValue = "0", description = "Embedding width, when no --model is given.")
  int width;

  @Option(names = "--parallelism", defaultValue = "2", description = "Parallel scoring subtasks (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--batch-size", defaultValue = "1024", description = "Cells per DJL call at most (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--batch-millis", defaultValue = "20", description = "Longest wait for a batch to fill, ms (default ${DEFAULT-VALUE}).")
  long batchMillis;

  @Option(names = "--allow-unknown-cell-types", description = "Score cells of types the model has not seen (default: dead-letter them).")
  boolean allowUnknownTypes;

  @Option(names = "--checkpoint-interval", defaultValue = "2000", description = "Checkpoint (and transaction commit) interval, ms (default ${DEFAULT-VALUE}).")
  long checkpointMillis;

  @Option(names = "--checkpoint-dir", defaultValue = "runs/checkpoints", description = "Checkpoint directory (default ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(names = "--web-ui-port", defaultValue = "8081", description = "Flink web UI port, 0 = none (default ${DEFAULT-VALUE}).")
  int webUiPort;

  @Option(names = "--prometheus-ports", defaultValue = "9249-9259", description = "Prometheus reporter port range (default ${DEFAULT-VALUE}).")
  String prometheusPorts;

  @Option(names = "--max-cells", defaultValue = "0", description = "Stop after this many cells were answered (predictions + dead letters); 0 = run until stopped.")
  long maxCells;

  @Option(names = "--until-idle", defaultValue = "0", description = "Stop after this many seconds without output (once some arrived); 0 = never.")
  long untilIdle;

  @Option(names = "--group-id", defaultValue = "donorstream-scoring", description = "Kafka consumer group (default ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--print-cluster-command", description = "Print the `flink run` line for a Flink cluster instead of running locally.")
  boolean printClusterCommand;

  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "Any scoring option (e.g. -D scoring.top-k=5, -D scoring.duplicates.window-millis=60000); see README, 'score'.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (printClusterCommand) {
      StringBuilder extra = new StringBuilder();
      settings.forEach((k, v) -> extra.append(" --").append(k).append(' ').append(v));
      System.out.println("flink run -c io.donorstream.scoring.ScoringJobMain flink-jobs/target/flink-jobs-0.1.0-SNAPSHOT-cluster.jar"
          + kafka.jobArguments() + (model != null ? " --model " + model.toAbsolutePath() : " --embedding-width " + width)
          + " --batch-size " + batchSize + " --batch-millis " + batchMillis + (allowUnknownTypes ? " --scoring.unknown-cell-type.dead-letter false" : "")
          + extra + " --checkpoint-interval " + checkpointMillis);
      System.out.println("(DJL's jars must be in lib/ of every JobManager and TaskManager: see README, 'Run on a Flink cluster')");
      return 0;
    }
    int w = width;
    if (model != null) {
      ModelManifest m = ModelArtifact.readVerified(model);
      w = m.input_width;
      System.out.println("initial model " + m.name + " v" + m.version + " (" + m.spec.architecture() + ", " + w + "-d input) from " + model);
    } else if (w <= 0) {
      throw new UserError("give --model DIR, or --embedding-width N to wait for a model on " + ProjectTopics.MODEL_UPDATES);
    }
    Map<String, String> set = new LinkedHashMap<>(settings);
    if (model != null) set.put(ScoringOptions.MODEL_PATH.key(), model.toAbsolutePath().toString());
    set.putIfAbsent(ScoringOptions.BATCH_SIZE.key(), String.valueOf(batchSize));
    set.putIfAbsent(ScoringOptions.BATCH_MILLIS.key(), String.valueOf(batchMillis));
    if (allowUnknownTypes) set.put(ScoringOptions.UNKNOWN_TYPE_DEAD_LETTER.key(), "false");
    for (String key : settings.keySet()) {
      if (ScoringOptions.ALL.stream().noneMatch(o -> o.key().equals(key))) {
        throw new UserError("-D " + key + ": not a scoring option; the options are " + ScoringOptions.ALL.stream().map(o -> o.key()).toList());
      }
    }
    ScoringOptions options = ScoringOptions.from(ScoringOptions.fromArguments(set), new Configuration(), w);
    KafkaEndpoint endpoint = kafka.endpoint();
    for (String topic : List.of(ProjectTopics.CELLS, ProjectTopics.MODEL_UPDATES, ProjectTopics.PREDICTIONS, ProjectTopics.PREDICTIONS_SHADOW,
        ProjectTopics.CELLS_DLQ)) {
      CellPublisher.checkTopicExists(endpoint, topic);
    }
    StreamExecutionEnvironment env = LocalFlink.environment(checkpointDir, checkpointMillis, parallelism, webUiPort, prometheusPorts);
    KafkaScoringJob.onProjectTopics(endpoint, groupId, false).job(options).build(env);
    try (OutputWatcher watcher = new OutputWatcher(endpoint, List.of(ProjectTopics.PREDICTIONS, ProjectTopics.CELLS_DLQ))) {
      JobClient job = env.executeAsync("donorstream-scoring");
      System.out.println("ScoringJob " + job.getJobID() + " running: " + ProjectTopics.CELLS + " -> " + ProjectTopics.PREDICTIONS
          + " / " + ProjectTopics.CELLS_DLQ + (webUiPort > 0 ? "; web UI http://127.0.0.1:" + webUiPort : "")
          + "; Prometheus on a port in " + prometheusPorts + "; Ctrl-C to stop");
      var result = job.getJobExecutionResult();
      try (CancelOnExit ignored = new CancelOnExit(job, result, "cancel-scoring")) {
        long last = -1;
        while (!result.isDone()) {
          long n = watcher.poll(500);
          if (n != last && n > 0) {
            System.out.println("answered " + n + " cells (predictions + dead letters)");
            last = n;
          }
          boolean enough = maxCells > 0 && n >= maxCells;
          boolean idle = untilIdle > 0 && n > 0 && watcher.millisSinceLastArrival() > untilIdle * 1000;
          if (enough || idle) {
            System.out.println(enough ? "reached --max-cells " + maxCells : "no output for " + untilIdle + " s");
            job.cancel().get();
            break;
          }
        }
      }
      System.out.println("ScoringJob stopped after answering " + watcher.count() + " cells");
    }
    return 0;
  }
}
