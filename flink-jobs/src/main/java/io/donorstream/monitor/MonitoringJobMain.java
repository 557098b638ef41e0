package io.donorstream.monitor;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.config.KnownArguments;
import io.donorstream.config.MonitorOptions;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.quality.ModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the cluster job jar for the monitor: {@code flink run -c
 * io.donorstream.monitor.MonitoringJobMain donorstream-cluster.jar --bootstrap H:P
 * [--kafka-config client.properties] [--monitor.window-millis 60000 ...]}. Every {@link MonitorOptions} key is accepted as
 * {@code --<key> <value>} and read from the cluster's configuration otherwise; {@code --model
 * DIR[,DIR]} names artifacts served from a path (not announced on model-updates); {@code --archive
 * URI} writes labelled cells there for the next model's training.
 */
public final class MonitoringJobMain {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringJobMain.class);

  /** Everything the main accepts; any other argument is refused, naming the nearest known one. */
  public static final KnownArguments ARGUMENTS = new KnownArguments(List.of("bootstrap", KafkaEndpoint.CONFIG_ARGUMENT, "group-id", "model", "archive",
      io.donorstream.config.JobCheckpoints.INTERVAL_ARGUMENT), MonitorOptions.ALL);

  private MonitoringJobMain() {}

  public static void main(String[] args) throws Exception {
    ParameterTool p = ParameterTool.fromArgs(args);
    ARGUMENTS.check(p.toMap());
    KafkaEndpoint kafka = KafkaEndpoint.fromJobArguments(p.toMap());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    io.donorstream.config.JobCheckpoints.configure(env, p, LOG);
    MonitorOptions options = MonitorOptions.from(p.toMap(), env.getConfiguration());
    LOG.info("monitor options: {}", options.describe());
    List<ModelInfo> models = new ArrayList<>();
    if (p.has("model")) {
      for (String dir : p.get("model").split(",")) models.add(ModelInfo.of(ModelArtifact.readVerified(Path.of(dir.trim()))));
    }
    KafkaMonitoringJob.onProjectTopics(kafka, p.get("group-id", "donorstream-monitoring"), false).job(options, models, p.get("archive", null)).build(env);
    env.execute("donorstream-monitoring");
  }
}
