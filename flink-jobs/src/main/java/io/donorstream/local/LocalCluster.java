package io.donorstream.local;

import java.net.URI;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One local Flink cluster (a MiniCluster with its web UI and REST endpoint) that several jobs are
 * submitted to, as they would be to a session cluster: the ScoringJob and the MonitoringJob side by
 * side, one web UI and one Prometheus endpoint for both.
 */
public final class LocalCluster implements AutoCloseable {
  private final MiniCluster cluster;
  private final Configuration config;
  private final URI rest;

  private LocalCluster(MiniCluster cluster, Configuration config, URI rest) {
    this.cluster = cluster;
    this.config = config;
    this.rest = rest;
  }

  /**
   * @param slots task slots (each job takes as many as its parallelism)
   * @param webUiPorts e.g. "8081-8089" (the first free one); "0" for any
   * @param prometheusPorts e.g. "9249-9259"; null for no reporter
   */
  public static LocalCluster start(Path checkpointDir, int slots, String webUiPorts, String prometheusPorts) throws Exception {
    Configuration c = LocalFlink.configuration(checkpointDir, slots, prometheusPorts);
    c.setString("rest.bind-port", webUiPorts);
    c.setString("rest.address", "127.0.0.1");
    c.setString("rest.bind-address", "127.0.0.1");
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(c).setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(slots).build());
    cluster.start();
    return new LocalCluster(cluster, c, cluster.getRestAddress().get());
  }

  /** The web UI and REST endpoint. */
  public URI restAddress() {
    return rest;
  }

  /** An environment whose {@code executeAsync} submits to this cluster (RocksDB, checkpoints, object reuse). */
  public StreamExecutionEnvironment environment(long checkpointMillis, int parallelism) {
    Configuration c = new Configuration(config);
    return LocalFlink.configure(StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), c), checkpointMillis,
        parallelism);
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
