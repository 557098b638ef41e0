package io.donorstream.scoring;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.operators.MailboxExecutor;

/**
 * Scores a subtask's micro-batches on a thread of its own, one batch at a time, while the task
 * thread reads, decodes and checks the next batch and writes the last one's answers. A forward pass
 * that costs tens of microseconds a cell (the multimodal model) otherwise leaves the task thread's
 * own work (decoding 2 KB records, the duplicate check, encoding, the sink and its checkpoint flush)
 * in series with it. Answers are emitted on the task thread, in batch order: through the mailbox as
 * soon as a batch is scored, or at once by {@link #await}, which the operator calls before anything
 * that must not overlap a batch in flight (the next batch, a checkpoint barrier, a model swap or
 * withdrawal, the end of input). At most one batch is in flight, so a checkpoint waits for one batch.
 * A batch may also be scored on the calling thread ({@code handOver} false: a batch so cheap that the
 * hand-over would only add latency), as every batch is without a mailbox executor (the option off).
 */
final class ScorerThread implements AutoCloseable {
  private final ExecutorService executor;
  private final MailboxExecutor mailbox;
  private final Consumer<ScoredBatch> emit;
  private CompletableFuture<ScoredBatch> inFlight;

  /**
   * @param mailbox the task's mailbox (answers are emitted through it); null to score on the caller's thread
   * @param emit writes a scored batch's answers; always called on the task thread
   */
  ScorerThread(String name, MailboxExecutor mailbox, Consumer<ScoredBatch> emit) {
    this.mailbox = mailbox;
    this.emit = emit;
    this.executor = mailbox == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Scores a batch, on the scorer thread if {@code handOver} (and there is one), else here; after the
   * one in flight has been emitted, so answers keep their order.
   */
  void submit(Supplier<ScoredBatch> batch, boolean handOver) {
    await();
    if (executor == null || !handOver) {
      emit.accept(batch.get());
      return;
    }
    CompletableFuture<ScoredBatch> f = CompletableFuture.supplyAsync(batch, executor);
    inFlight = f;
    f.whenComplete((done, failed) -> {
      try {
        mailbox.execute(() -> emitIfInFlight(f), "emit a scored batch");
      } catch (RejectedExecutionException taskEnding) {
        // The task is closing: whatever was in flight is either awaited or part of no checkpoint.
      }
    });
  }

  /** Waits for the batch in flight, if any, and emits its answers. */
  void await() {
    CompletableFuture<ScoredBatch> f = inFlight;
    if (f == null) return;
    inFlight = null;
    try {
      emit.accept(f.get());
    } catch (InterruptedException e) {
      // The task is being cancelled: its output after the last checkpoint is discarded anyway.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a batch was being scored", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException("scoring a batch failed", e.getCause());
    }
  }

  private void emitIfInFlight(CompletableFuture<ScoredBatch> f) {
    if (inFlight == f) await();
  }

  /** Stops the thread, letting a batch in flight finish: its model may be closed only after. */
  @Override
  public void close() throws InterruptedException {
    if (executor == null) return;
    executor.shutdown();
    if (!executor.awaitTermination(1, TimeUnit.MINUTES)) executor.shutdownNow();
  }
}
