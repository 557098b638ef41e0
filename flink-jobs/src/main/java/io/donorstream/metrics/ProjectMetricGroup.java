package io.donorstream.metrics;

/**
 * The group every donorstream metric is registered under, in both jobs: the Prometheus reporter
 * turns it into the {@code flink_taskmanager_job_task_operator_donorstream_} prefix the dashboards
 * and alert rules in {@code deploy/} query.
 */
public final class ProjectMetricGroup {
  public static final String NAME = "donorstream";

  private ProjectMetricGroup() {}
}
