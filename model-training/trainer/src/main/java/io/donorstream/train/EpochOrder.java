package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * One epoch's batches, as views on arrays uploaded once per epoch: which type each cell shows (the
 * unknown row when hidden), its true type (for alignment positives), donor, loss weight (null
 * without class weights), sex (1 female) and whether sex is known. The embedding rows are gathered
 * in chunks of several steps (one native gather per chunk rather than per step).
 */
final class EpochOrder {
  private final int steps;
  private final int batchSize;
  private final int stepsPerChunk;
  private final NDArray rows;
  private final NDList shownType;
  private final NDList trueType;
  private final NDList donor;
  private final NDList weight;
  private final NDList female;
  private final NDList sexKnown;
  private int chunkFrom = -1;
  private NDArray chunk;
  private NDList chunkRows;

  EpochOrder(int steps, int batchSize, int stepsPerChunk, NDArray rows, NDList shownType, NDList trueType, NDList donor, NDList weight,
      NDList female, NDList sexKnown) {
    this.steps = steps;
    this.batchSize = batchSize;
    this.stepsPerChunk = stepsPerChunk;
    this.rows = rows;
    this.shownType = shownType;
    this.trueType = trueType;
    this.donor = donor;
    this.weight = weight;
    this.female = female;
    this.sexKnown = sexKnown;
  }

  int steps() {
    return steps;
  }

  /** Step {@code step}'s rows of {@code gene} (steps are taken in order), moved to the step's manager. */
  NDArray gene(NDArray gene, int step, NDManager m) {
    if (chunkFrom < 0 || step >= chunkFrom + stepsPerChunk) {
      if (chunk != null) chunk.close();
      chunkFrom = step;
      int last = Math.min(steps, step + stepsPerChunk);
      long from = (long) step * batchSize;
      long to = Math.min(rows.getShape().get(0), (long) last * batchSize);
      try (NDArray index = rows.get(new NDIndex().addSliceDim(from, to))) {
        chunk = gene.get(new NDIndex("{}", index));
      }
      chunk.attach(rows.getManager());
      long[] cuts = new long[last - step - 1];
      for (int i = 0; i < cuts.length; i++) cuts[i] = (long) (i + 1) * batchSize;
      chunkRows = cuts.length == 0 ? new NDList(chunk) : chunk.split(cuts, 0);
    }
    return at(chunkRows, step - chunkFrom, m);
  }

  NDArray shownType(int step, NDManager m) {
    return at(shownType, step, m);
  }

  NDArray trueType(int step, NDManager m) {
    return at(trueType, step, m);
  }

  NDArray donor(int step, NDManager m) {
    return at(donor, step, m);
  }

  /** Null without class weights. */
  NDArray weight(int step, NDManager m) {
    return weight == null ? null : at(weight, step, m);
  }

  NDArray female(int step, NDManager m) {
    return at(female, step, m);
  }

  NDArray sexKnown(int step, NDManager m) {
    return at(sexKnown, step, m);
  }

  /** A step's view, moved to the step's manager: each is used by one step only. */
  private static NDArray at(NDList views, int i, NDManager m) {
    NDArray a = views.get(i);
    a.attach(m);
    return a;
  }
}
