package io.donorstream.cli;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.config.MonitorOptions;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalFlink;
import io.donorstream.monitor.KafkaMonitoringJob;
import io.donorstream.publish.CellPublisher;
import io.donorstream.quality.ModelInfo;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Run the MonitoringJob on a local Flink (MiniCluster, RocksDB, checkpoints, Prometheus).",
      "Predictions are joined with their labels (in the prediction or later on labels); per model",
      "version it reports windowed accuracy, macro F1, calibration, label-free estimated accuracy,",
      "per-sex accuracy, sex leakage from an online probe, an online challenger and ADWIN drift on",
      "quality, and asks for a new model on retrain-requests when its rules fire."
    },
    footer = {"", "Example:",
      "  ./donorstream monitor --bootstrap 127.0.0.1:9092 -D monitor.window-millis=30000",
      "", "Options for -D (see README, 'monitor'): " + "monitor.window-millis, monitor.slide-millis, monitor.fading-factor,",
      "monitor.label-wait-millis, monitor.out-of-orderness-millis, monitor.idle-millis, monitor.rules.* (NaN switches a rule off)."})
public final class MonitorCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin
  KafkaOptions kafka;

  @Option(names = "--model", description = "An artifact served from a path (score --model), so its donors, calibration and training mix are known; repeatable.")
  List<Path> models = new ArrayList<>();

  @Option(names = "--archive", description = "Write labelled cells (from cells, labels inside or joined from labels) here, by event day, for `train --data DIR`.")
  Path archive;

  @Option(names = "--parallelism", defaultValue = "2", description = "Parallel decode and join subtasks (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--bounded", description = "Read what the topics hold now, report every window, and stop.")
  boolean bounded;

  @Option(names = "--until-idle", defaultValue = "0", description = "Stop after this many seconds without a report (once one arrived); 0 = never.")
  long untilIdle;

  @Option(names = "--checkpoint-interval", defaultValue = "2000", description = "Checkpoint interval, ms (default ${DEFAULT-VALUE}).")
  long checkpointMillis;

  @Option(names = "--checkpoint-dir", defaultValue = "runs/checkpoints-monitor", description = "Checkpoint directory (default ${DEFAULT-VALUE}).")
  Path checkpointDir;

  @Option(names = "--web-ui-port", defaultValue = "8082", description = "Flink web UI port, 0 = none (default ${DEFAULT-VALUE}; score uses 8081).")
  int webUiPort;

  @Option(names = "--prometheus-ports", defaultValue = "9249-9259", description = "Prometheus reporter port range (default ${DEFAULT-VALUE}).")
  String prometheusPorts;

  @Option(names = "--group-id", defaultValue = "donorstream-monitoring", description = "Kafka consumer group (default ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--print-cluster-command", description = "Print the `flink run` line for a Flink cluster instead of running locally.")
  boolean printClusterCommand;

  @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "", description = "Any monitor option, e.g. -D monitor.rules.accuracy-floor=0.5.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    for (String key : settings.keySet()) {
      if (MonitorOptions.ALL.stream().noneMatch(o -> o.key().equals(key))) {
        throw new UserError("-D " + key + ": not a monitor option; the options are " + MonitorOptions.ALL.stream().map(o -> o.key()).toList());
      }
    }
    MonitorOptions options;
    try {
      options = MonitorOptions.from(settings, new Configuration());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (printClusterCommand) {
      StringBuilder extra = new StringBuilder();
      settings.forEach((k, v) -> extra.append(" --").append(k).append(' ').append(v));
      System.out.println("flink run -c io.donorstream.monitor.MonitoringJobMain flink-jobs/target/flink-jobs-0.1.0-SNAPSHOT-cluster.jar"
          + kafka.jobArguments() + (models.isEmpty() ? "" : " --model " + String.join(",", models.stream().map(m -> m.toAbsolutePath().toString()).toList()))
          + (archive == null ? "" : " --archive " + archive.toAbsolutePath().toUri()) + extra + " --checkpoint-interval " + checkpointMillis);
      return 0;
    }
    KafkaEndpoint endpoint = kafka.endpoint();
    for (String topic : List.of(ProjectTopics.PREDICTIONS, ProjectTopics.PREDICTIONS_SHADOW, ProjectTopics.LABELS, ProjectTopics.QUALITY,
        ProjectTopics.RETRAIN_REQUESTS,
        ProjectTopics.MONITOR_DLQ, ProjectTopics.CELLS)) {
      CellPublisher.checkTopicExists(endpoint, topic);
    }
    System.out.println("monitor options: " + options.describe());
    StreamExecutionEnvironment env = LocalFlink.environment(checkpointDir, checkpointMillis, parallelism, webUiPort, prometheusPorts);
    List<ModelInfo> given = new ArrayList<>();
    for (Path m : models) given.add(ModelInfo.of(ModelArtifact.readVerified(m)));
    KafkaMonitoringJob.onProjectTopics(endpoint, groupId, bounded).job(options, given, archive == null ? null : archive.toAbsolutePath().toUri().toString()).build(env);
    AvroSerde<QualityReport> reports = AvroSerde.of(QualityReport.class);
    AvroSerde<RetrainRequest> requests = AvroSerde.of(RetrainRequest.class);
    try (OutputWatcher watcher = new OutputWatcher(endpoint, List.of(ProjectTopics.QUALITY, ProjectTopics.RETRAIN_REQUESTS))) {
      JobClient job = env.executeAsync("donorstream-monitoring");
      System.out.println("MonitoringJob " + job.getJobID() + " running: " + ProjectTopics.PREDICTIONS + " + " + ProjectTopics.LABELS + " -> "
          + ProjectTopics.QUALITY + " / " + ProjectTopics.RETRAIN_REQUESTS + (webUiPort > 0 ? "; web UI http://127.0.0.1:" + webUiPort : "")
          + "; Prometheus on a port in " + prometheusPorts + (bounded ? "" : "; Ctrl-C to stop"));
      // A bounded job's local cluster shuts down with it: watch the result, not the cluster.
      var result = job.getJobExecutionResult();
      try (CancelOnExit ignored = new CancelOnExit(job, result, "cancel-monitoring")) {
        while (!result.isDone()) {
          watcher.poll(500, r -> System.out.println(describe(r, reports, requests)));
          if (untilIdle > 0 && watcher.count() > 0 && watcher.millisSinceLastArrival() > untilIdle * 1000) {
            System.out.println("no report for " + untilIdle + " s");
            job.cancel().get();
            break;
          }
        }
      }
      // Reports committed with the job's last checkpoint may still be on their way.
      for (int i = 0; i < 6; i++) watcher.poll(500, r -> System.out.println(describe(r, reports, requests)));
      System.out.println("MonitoringJob stopped after " + watcher.count() + " reports and requests");
    }
    return 0;
  }

  static String describe(ConsumerRecord<String, byte[]> r, AvroSerde<QualityReport> reports, AvroSerde<RetrainRequest> requests) {
    if (r.topic().equals(ProjectTopics.RETRAIN_REQUESTS)) {
      RetrainRequest q = requests.deserialize(r.value());
      return "RETRAIN REQUEST model " + q.getModelName() + " v" + q.getModelVersion() + ": " + q.getReason();
    }
    QualityReport q = reports.deserialize(r.value());
    return String.format("v%s window ..%s: %d predictions, %d labelled; accuracy %s (estimated %s), macro F1 %s, ECE %s;"
        + " sex leakage %s (held-out donors %s), sex gap %s; challenger %s; drift %s",
        q.getModelVersion(), q.getWindowEnd(), q.getNPredictions(), q.getNLabeled(), f(q.getAccuracy()), f(q.getEstimatedAccuracy()),
        f(q.getMacroF1()), f(q.getEce()), f(q.getSexLeakage()), f(q.getSexLeakageGrouped()), f(q.getSexAccuracyGap()),
        f(q.getChallengerAccuracy()), q.getDriftDetected() ? "DETECTED" : "no");
  }

  private static String f(Double v) {
    return v == null ? "n/a" : String.format("%.3f", v);
  }
}
