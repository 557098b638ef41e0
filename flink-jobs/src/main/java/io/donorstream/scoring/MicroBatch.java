package io.donorstream.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * The cells waiting to be scored together (how many make a full batch is {@link BatchSizer}'s
 * call). Held in operator state at a checkpoint (only when no model could score them before the
 * barrier).
 */
final class MicroBatch {
  private final List<ValidCell> cells = new ArrayList<>();

  void add(ValidCell c) {
    cells.add(c);
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
