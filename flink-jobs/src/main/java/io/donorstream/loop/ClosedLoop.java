package io.donorstream.loop;

import io.donorstream.config.MonitorOptions;
import io.donorstream.config.ScoringOptions;
import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalCluster;
import io.donorstream.monitor.KafkaMonitoringJob;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.retrain.Retrainer;
import io.donorstream.retrain.service.PromotionRule;
import io.donorstream.retrain.service.RetrainService;
import io.donorstream.scoring.KafkaScoringJob;
import io.donorstream.text.TextEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The closed loop's moving parts on one machine, on the project topics of a broker it is given: one
 * local Flink cluster running the ScoringJob (champion + shadow) and the MonitoringJob (quality,
 * retrain requests, the training archive) as two jobs, and the retrain service (retrain, shadow,
 * promote or retire, announce) on a thread of its own. The model to start with is whatever is
 * announced on {@code model-updates}.
 */
public final class ClosedLoop implements AutoCloseable {
  /**
   * @param monitor the MonitoringJob's options (windows, rules)
   * @param base data every candidate also trains on; null for the archive alone
   */
  public record Settings(int parallelism, long checkpointMillis, String webUiPorts, String prometheusPorts, Configuration monitor,
      long settleMillis, Retrainer retrainer, PromotionRule promotion, CellTable base) {}

  private final LocalCluster cluster;
  private final JobClient scoring;
  private final JobClient monitoring;
  private final Thread service;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Path archive;
  private final RetrainService retrain;

  private ClosedLoop(LocalCluster cluster, JobClient scoring, JobClient monitoring, Thread service, Path archive, RetrainService retrain) {
    this.cluster = cluster;
    this.scoring = scoring;
    this.monitoring = monitoring;
    this.service = service;
    this.archive = archive;
    this.retrain = retrain;
  }

  /**
   * @param width the embedding width the ScoringJob takes
   * @param log where the retrain service's lines go (from its thread)
   */
  public static ClosedLoop start(String bootstrap, Path dir, ModelRegistry registry, int width, TextEncoder encoder, Settings s,
      Consumer<String> log) throws Exception {
    LocalCluster cluster = LocalCluster.start(dir.resolve("checkpoints"), 2 * s.parallelism(), s.webUiPorts(), s.prometheusPorts());
    try {
      String run = UUID.randomUUID().toString().substring(0, 8);
      StreamExecutionEnvironment scoringEnv = cluster.environment(s.checkpointMillis(), s.parallelism());
      KafkaScoringJob.onProjectTopics(KafkaEndpoint.of(bootstrap), "loop-scoring-" + run, false).job(new ScoringOptions(new Configuration(), width)).build(scoringEnv);
      JobClient scoring = scoringEnv.executeAsync("donorstream-scoring");
      Path archive = dir.resolve("archive");
      StreamExecutionEnvironment monitorEnv = cluster.environment(s.checkpointMillis(), s.parallelism());
      KafkaMonitoringJob.onProjectTopics(KafkaEndpoint.of(bootstrap), "loop-monitor-" + run, false)
          .job(new MonitorOptions(s.monitor()), List.of(), archive.toAbsolutePath().toUri().toString()).build(monitorEnv);
      JobClient monitoring = monitorEnv.executeAsync("donorstream-monitoring");
      ClosedLoop[] self = new ClosedLoop[1];
      RetrainService retrain = new RetrainService(KafkaEndpoint.of(bootstrap), "loop-retrain-" + run, ProjectTopics.RETRAIN_REQUESTS, ProjectTopics.MODEL_UPDATES,
          registry, archive, s.base(), s.retrainer(), encoder, log).settle(s.settleMillis()).judgeShadows(ProjectTopics.QUALITY, s.promotion());
      Thread service = new Thread(() -> {
        try (retrain) {
          while (!self[0].stop.get()) retrain.pollOnce(300);
        }
      }, "retrain-service");
      self[0] = new ClosedLoop(cluster, scoring, monitoring, service, archive, retrain);
      service.start();
      return self[0];
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  public JobClient scoringJob() {
    return scoring;
  }

  public JobClient monitoringJob() {
    return monitoring;
  }

  public LocalCluster cluster() {
    return cluster;
  }

  public Path archive() {
    return archive;
  }

  /** The retrain service (it runs on a thread of its own). */
  public RetrainService service() {
    return retrain;
  }

  @Override
  public void close() throws Exception {
    stop.set(true);
    service.join(120_000);
    try {
      for (JobClient job : List.of(scoring, monitoring)) job.cancel().get();
      // Until the tasks are gone (their Kafka clients closed), before the cluster goes.
      for (JobClient job : List.of(scoring, monitoring)) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!job.getJobStatus().get().isGloballyTerminalState() && System.currentTimeMillis() < deadline) Thread.sleep(100);
      }
    } finally {
      cluster.close();
    }
  }
}
