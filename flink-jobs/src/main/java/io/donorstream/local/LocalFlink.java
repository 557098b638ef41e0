package io.donorstream.local;

import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A local Flink (MiniCluster) set up as the architecture asks: RocksDB, checkpoints, web UI, Prometheus. */
public final class LocalFlink {
  private LocalFlink() {}

  /**
   * @param prometheusPorts e.g. "9249-9259"; null for no reporter
   * @param webUiPort 0 for no web UI
   */
  public static StreamExecutionEnvironment environment(Path checkpointDir, long checkpointMillis, int parallelism, int webUiPort,
      String prometheusPorts) {
    return environment(checkpointDir, checkpointMillis, parallelism, webUiPort, prometheusPorts, new Configuration());
  }

  /** @param extra further cluster settings (e.g. {@code state.backend.rocksdb.localdir}), over these defaults */
  public static StreamExecutionEnvironment environment(Path checkpointDir, long checkpointMillis, int parallelism, int webUiPort,
      String prometheusPorts, Configuration extra) {
    Configuration c = configuration(checkpointDir, parallelism, prometheusPorts);
    c.addAll(extra);
    StreamExecutionEnvironment env;
    if (webUiPort > 0) {
      c.setString("rest.port", String.valueOf(webUiPort));
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(c);
    } else {
      env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
    }
    return configure(env, checkpointMillis, parallelism);
  }

  /** RocksDB, checkpoints in {@code checkpointDir}, restarts, slots and (with ports) the Prometheus reporter. */
  static Configuration configuration(Path checkpointDir, int slots, String prometheusPorts) {
    Configuration c = new Configuration();
    c.setString("state.backend.type", "rocksdb");
    c.setString("execution.checkpointing.dir", checkpointDir.toAbsolutePath().toUri().toString());
    c.setString("restart-strategy.type", "fixed-delay");
    c.setString("restart-strategy.fixed-delay.attempts", "10");
    c.setString("restart-strategy.fixed-delay.delay", "2 s");
    c.setString("taskmanager.numberOfTaskSlots", String.valueOf(slots));
    if (prometheusPorts != null) {
      c.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
      c.setString("metrics.reporter.prom.port", prometheusPorts);
    }
    return c;
  }

  static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, long checkpointMillis, int parallelism) {
    env.setParallelism(parallelism);
    env.enableCheckpointing(checkpointMillis);
    // Operators here never keep or mutate a record after passing it on.
    env.getConfig().enableObjectReuse();
    return env;
  }
}
