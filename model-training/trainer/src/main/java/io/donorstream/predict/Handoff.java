package io.donorstream.predict;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue between two stages of a pipeline that never waits on a stage that died: while
 * it waits it checks the other side's task and rethrows what ended it, so a failing reader or
 * writer surfaces as its own exception instead of a hang.
 */
final class Handoff<T> {
  private static final Object END = new Object();
  private final ArrayBlockingQueue<Object> queue;

  Handoff(int capacity) {
    queue = new ArrayBlockingQueue<>(capacity);
  }

  /** @param consumer the task taking from this queue, or null when the caller's own thread takes */
  void put(T item, Future<?> consumer) throws InterruptedException {
    while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) checkAlive(consumer);
  }

  void end(Future<?> consumer) throws InterruptedException {
    while (!queue.offer(END, 50, TimeUnit.MILLISECONDS)) checkAlive(consumer);
  }

  /** The next item, or null once the producer has ended. */
  @SuppressWarnings("unchecked")
  T take(Future<?> producer) throws InterruptedException {
    Object o;
    while ((o = queue.poll(50, TimeUnit.MILLISECONDS)) == null) checkAlive(producer);
    return o == END ? null : (T) o;
  }

  private static void checkAlive(Future<?> other) {
    if (other == null || !other.isDone()) return;
    rethrow(other);
    throw new IllegalStateException("a pipeline stage ended without finishing its queue");
  }

  /** Rethrows what ended {@code task}, unwrapped, if it failed. */
  static void rethrow(Future<?> task) {
    try {
      if (task.isCancelled()) throw new IllegalStateException("a pipeline stage was cancelled");
      task.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
