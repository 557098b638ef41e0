package io.donorstream.config;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;

/**
 * Checkpointing for the cluster mains. The jobs' Kafka sinks are transactional: their records become
 * visible when a checkpoint completes, and a transaction left open longer than its timeout is aborted
 * by the broker, which fences the sink and fails the job. So a job never runs without checkpoints:
 * {@code --checkpoint-interval MS}, else the cluster's {@code execution.checkpointing.interval},
 * else {@link #DEFAULT_INTERVAL_MS}.
 */
public final class JobCheckpoints {
  public static final long DEFAULT_INTERVAL_MS = 10_000;
  /** The main's argument for the interval, {@code --checkpoint-interval MS}. */
  public static final String INTERVAL_ARGUMENT = "checkpoint-interval";

  private JobCheckpoints() {}

  public static void configure(StreamExecutionEnvironment env, ParameterTool p, Logger log) {
    if (p.has(INTERVAL_ARGUMENT)) {
      env.enableCheckpointing(p.getLong(INTERVAL_ARGUMENT));
    } else if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
      env.enableCheckpointing(DEFAULT_INTERVAL_MS);
      log.info("checkpointing was not configured; every {} ms (--checkpoint-interval or execution.checkpointing.interval to choose):"
          + " the Kafka sinks commit on checkpoints", DEFAULT_INTERVAL_MS);
    }
  }
}
