package io.donorstream.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells waiting to be scored together: up to {@code capacity} of them. Held in operator state
 * at a checkpoint (only when no model could score them before the barrier).
 */
final class MicroBatch {
  private final int capacity;
  private final List<ValidCell> cells = new ArrayList<>();

  MicroBatch(int capacity) {
    this.capacity = capacity;
  }

  void add(ValidCell c) {
    cells.add(c);
  }

  boolean isFull() {
    return cells.size() >= capacity;
  }

  boolean isEmpty() {
    return cells.isEmpty();
  }

  int size() {
    return cells.size();
  }

  /** The waiting cells, for a checkpoint. */
  List<ValidCell> snapshot() {
    return new ArrayList<>(cells);
  }

  /** Takes every waiting cell out. */
  List<ValidCell> drain() {
    List<ValidCell> out = new ArrayList<>(cells);
    cells.clear();
    return out;
  }
}
