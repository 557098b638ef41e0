package io.donorstream.loop;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * Publishes the loop's cells (labels on every cell unless told otherwise) at a steady rate in chunks of about a second,
 * telling the {@link LoopObserver} each cell's phase before it is sent and calling {@code
 * betweenChunks} after each chunk (for progress lines). While {@code hold} says so it sends nothing.
 */
final class LoopPublisher {
  private final String bootstrap;
  private final double rate;
  private final LoopObserver observer;
  private final Runnable betweenChunks;
  private final BooleanSupplier hold;
  private double labelsFraction = 1.0;
  private long seed;
  private long published;

  LoopPublisher(String bootstrap, double rate, LoopObserver observer, Runnable betweenChunks, BooleanSupplier hold) {
    this.bootstrap = bootstrap;
    this.rate = rate;
    this.observer = observer;
    this.betweenChunks = betweenChunks;
    this.hold = hold;
  }

  /** Labels on this share of the cells from now on (the rest carry none: scored, never learned from). */
  LoopPublisher labelling(double fraction) {
    labelsFraction = fraction;
    return this;
  }

  /**
   * Publishes cells from {@code next} (asked for a chunk at a time) until {@code done} says so,
   * {@code maxCells} went out, or {@code next} has none left; returns how many went out.
   */
  long stream(Phase phase, IntFunction<CellTable> next, BooleanSupplier done, long maxCells) throws InterruptedException {
    int chunk = (int) Math.max(1, Math.round(rate));
    long sent = 0;
    while (sent < maxCells && !done.getAsBoolean()) {
      if (hold.getAsBoolean()) {
        Thread.sleep(200);
        betweenChunks.run();
        continue;
      }
      CellTable part = next.apply((int) Math.min(chunk, maxCells - sent));
      if (part.size() == 0) break;
      for (String id : part.cellIds()) observer.expect(id, phase);
      CellPublisher.publish(part, new PublishOptions(bootstrap, ProjectTopics.CELLS, rate, labelsFraction, 0, false, ++seed, false));
      sent += part.size();
      published += part.size();
      betweenChunks.run();
    }
    return sent;
  }

  long published() {
    return published;
  }
}
