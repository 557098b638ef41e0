package io.donorstream.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/**
 * Cancels a running job when the JVM is stopped under it (Ctrl-C), and only then: closing it on a
 * normal end removes the hook, so a finished run does not try to cancel its job again on a local
 * cluster that is already shutting down (which printed "MiniCluster is not yet running or has
 * already been shut down" after every bounded run).
 */
final class CancelOnExit implements AutoCloseable {
  private final Thread hook;

  CancelOnExit(JobClient job, CompletableFuture<?> result, String name) {
    hook = new Thread(() -> {
      if (result.isDone()) return;
      try {
        job.cancel().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // The local cluster is going down with the JVM: nothing is left to cancel.
      }
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already stopping: the hook runs, and finds the job done.
    }
  }
}
