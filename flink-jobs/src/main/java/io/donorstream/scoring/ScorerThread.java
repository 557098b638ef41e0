package io.donorstream.scoring;

import java.util.ArrayDeque;
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
 * thread reads, decodes and checks the next batches and writes the last ones' answers. A forward pass
 * that costs tens of microseconds a cell (the multimodal model) otherwise leaves the task thread's
 * own work (decoding 2 KB records, the duplicate check, encoding, the sink and its checkpoint flush)
 * in series with it. Answers are emitted on the task thread, in batch order: through the mailbox as
 * soon as a batch is scored, or at once by {@link #await}, which the operator calls before anything
 * that must not overlap a batch in flight (a checkpoint barrier, a model swap or withdrawal, the end
 * of input). At most {@code maxInFlight} batches are in flight (scored or waiting to be): with two,
 * the next batch is ready when the scorer finishes one, and the task thread blocks only when its
 * scorer is a whole batch behind. Blocking holds back the shared upstream task, so one subtask's
 * wait would otherwise starve the others' scorers as well.
 * A batch may also be scored on the calling thread ({@code handOver} false: a batch so cheap that the
 * hand-over would only add latency), as every batch is without a mailbox executor (the option off).
 */
final class ScorerThread<B> implements AutoCloseable {
  private final ExecutorService executor;
  private final MailboxExecutor mailbox;
  private final Consumer<B> emit;
  private final int maxInFlight;
  private final ArrayDeque<CompletableFuture<B>> inFlight = new ArrayDeque<>();

  /**
   * @param mailbox the task's mailbox (answers are emitted through it); null to score on the caller's thread
   * @param maxInFlight batches handed over and not yet emitted, at most (1 or more)
   * @param emit writes a scored batch's answers; always called on the task thread
   */
  ScorerThread(String name, MailboxExecutor mailbox, int maxInFlight, Consumer<B> emit) {
    if (maxInFlight < 1) throw new IllegalArgumentException("at least one batch in flight, got " + maxInFlight);
    this.mailbox = mailbox;
    this.maxInFlight = maxInFlight;
    this.emit = emit;
    this.executor = mailbox == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Scores a batch, on the scorer thread if {@code handOver} (and there is one), else here, once
   * the batches before it are emitted or there is room in flight; answers keep their order.
   */
  void submit(Supplier<B> batch, boolean handOver) {
    if (executor == null || !handOver) {
      await();
      emit.accept(batch.get());
      return;
    }
    while (inFlight.size() >= maxInFlight) emitOldest();
    CompletableFuture<B> f = CompletableFuture.supplyAsync(batch, executor);
    inFlight.addLast(f);
    f.whenComplete((done, failed) -> {
      try {
        mailbox.execute(this::emitScored, "emit scored batches");
      } catch (RejectedExecutionException taskEnding) {
        // The task is closing: whatever was in flight is either awaited or part of no checkpoint.
      }
    });
  }

  /** Waits for every batch in flight, and emits their answers in order. */
  void await() {
    while (!inFlight.isEmpty()) emitOldest();
  }

  /** Emits the batches at the head of the queue that are scored (the scorer finishes them in order). */
  private void emitScored() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) emitOldest();
  }

  private void emitOldest() {
    CompletableFuture<B> f = inFlight.pollFirst();
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

  /** Stops the thread, letting the batches in flight finish: their model may be closed only after. */
  @Override
  public void close() throws InterruptedException {
    if (executor == null) return;
    executor.shutdown();
    if (!executor.awaitTermination(1, TimeUnit.MINUTES)) executor.shutdownNow();
  }
}
