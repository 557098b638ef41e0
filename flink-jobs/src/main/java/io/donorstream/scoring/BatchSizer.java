package io.donorstream.scoring;

/**
 * How many cells make a full micro-batch for the model serving now: as many as it scores in
 * {@code scoring.batch.target-millis}, learned from the batches it scored, between {@link #MIN}
 * and {@code scoring.batch.size}. A batch that takes long to score stalls its subtask's input
 * (the network buffers in front of it hold a few hundred cells), so cheap cells (vanilla, ~1.5 µs)
 * fill the largest batch while expensive ones (the multimodal model, ~60 µs) are scored a couple of
 * hundred at a time and reading overlaps scoring. A new model starts again from the largest.
 */
final class BatchSizer {
  /** Fewer cells per call would pay the call's fixed cost too often. */
  static final int MIN = 32;
  /** Weight of the newest batch in the running cost per cell. */
  private static final double NEWEST = 0.2;
  /** A batch counts at most this many times the running cost per cell. */
  private static final double OUTLIER = 4;

  private final int max;
  private final long targetNanos;
  private String version;
  private boolean warm;
  private double nanosPerCell;
  /** Kept up to date by {@link #observe}: read for every cell, learned once per batch. */
  private int capacity;

  /** @param targetMillis 0 for batches of {@code max} cells whatever they cost */
  BatchSizer(int max, long targetMillis) {
    this.max = max;
    this.targetNanos = targetMillis * 1_000_000L;
    this.capacity = max;
  }

  /** A batch of {@code cells} scored by model {@code modelVersion} in {@code nanos}. */
  void observe(String modelVersion, int cells, long nanos) {
    if (!modelVersion.equals(version)) {
      version = modelVersion;
      warm = false;
      nanosPerCell = 0;
      capacity = max;
    }
    // A model's first batch pays its warm-up (libtorch's first call of each op): not a cell's cost.
    if (!warm) {
      warm = true;
      return;
    }
    double cost = (double) nanos / cells;
    // A batch caught by a pause (a GC, the machine busy elsewhere) measures the pause, not the model:
    // counted at most OUTLIER times the running cost, a real change still shows within a few batches.
    if (nanosPerCell > 0) cost = Math.min(cost, OUTLIER * nanosPerCell);
    nanosPerCell = nanosPerCell == 0 ? cost : (1 - NEWEST) * nanosPerCell + NEWEST * cost;
    if (targetNanos > 0 && nanosPerCell > 0) {
      capacity = (int) Math.min(max, Math.max(Math.min(MIN, max), (long) (targetNanos / nanosPerCell)));
    }
  }

  /**
   * What {@code cells} cells are expected to cost model {@code modelVersion}, from its batches so far;
   * 0 while that is not known (a new model, or only its warm-up batch seen).
   */
  long expectedNanos(String modelVersion, int cells) {
    return modelVersion.equals(version) ? (long) (nanosPerCell * cells) : 0;
  }

  /** Cells that make a full batch now. */
  int capacity() {
    return capacity;
  }
}
