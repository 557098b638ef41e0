package io.donorstream.loop;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.CellPublisher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.PublishOptions;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Publishes the loop's cells (labels on every cell) at a steady rate in chunks of about a second,
 * telling the {@link LoopObserver} each cell's phase before it is sent and calling {@code
 * betweenChunks} after each chunk (for progress lines).
 */
final class LoopPublisher {
  private final String bootstrap;
  private final CellTable cells;
  private final double rate;
  private final LoopObserver observer;
  private final Runnable betweenChunks;
  private long seed;
  private long published;

  LoopPublisher(String bootstrap, CellTable cells, double rate, LoopObserver observer, Runnable betweenChunks) {
    this.bootstrap = bootstrap;
    this.cells = cells;
    this.rate = rate;
    this.observer = observer;
    this.betweenChunks = betweenChunks;
  }

  /** Publishes {@code rows} once, in order. */
  long publish(int[] rows, Phase phase) {
    return cycle(rows, phase, () -> false, rows.length);
  }

  /**
   * Publishes {@code rows} over and over until {@code stop} says so or {@code maxCells} went out; a
   * cell sent again gets a new id ({@code <id>~<round>}), as a new cell of the same donor would.
   */
  long cycle(int[] rows, Phase phase, BooleanSupplier stop, long maxCells) {
    if (rows.length == 0) return 0;
    int chunk = (int) Math.max(1, Math.round(rate));
    long sent = 0;
    while (sent < maxCells && !stop.getAsBoolean()) {
      int from = (int) (sent % rows.length);
      int round = (int) (sent / rows.length);
      int to = (int) Math.min(rows.length, Math.min(from + chunk, from + (maxCells - sent)));
      CellTable part = renamed(cells.select(Arrays.copyOfRange(rows, from, to)), round);
      for (String id : part.cellIds()) observer.expect(id, phase);
      CellPublisher.publish(part, new PublishOptions(bootstrap, ProjectTopics.CELLS, rate, 1.0, 0, false, ++seed, false));
      sent += to - from;
      published += to - from;
      betweenChunks.run();
    }
    return sent;
  }

  long published() {
    return published;
  }

  private static CellTable renamed(CellTable t, int round) {
    if (round == 0) return t;
    String[] ids = Arrays.stream(t.cellIds()).map(id -> id + "~" + (round + 1)).toArray(String[]::new);
    return new CellTable(t.datasetId(), t.embeddingKey(), t.width(), ids, t.embedding(), t.cellTypes(), t.cellTypeOntologyIds(), t.donorIds(),
        t.sexes(), t.droppedNonFinite());
  }
}
