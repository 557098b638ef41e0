package io.donorstream.train;

import io.donorstream.data.Shuffle;
import io.donorstream.inference.Batches;
import io.donorstream.inference.EncodedCells;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The training cells uploaded to the model's device once: standardised embeddings, the type table,
 * and each cell's type, donor and sex. A step then gathers its rows inside libtorch instead of
 * building Java arrays and copying them across (which cost more than the step's arithmetic at
 * batch 32).
 */
final class ResidentCells implements AutoCloseable {
  private final NDManager manager;
  private final EncodedCells cells;
  private final NDArray gene;
  private final NDArray textTable;
  private final int unknownRow;
  private final float[] classWeights;
  /** Embedding rows gathered at once per chunk of steps (bounded so large batches stay in memory). */
  private static final long CHUNK_BYTES = 32L << 20;

  /**
   * @param classWeights per-donor loss weights, or null for plain averaging
   */
  ResidentCells(Batches batches, NDManager parent, float[] classWeights) {
    manager = parent.newSubManager();
    cells = batches.cells();
    this.classWeights = classWeights;
    gene = manager.create(cells.gene(), new Shape(cells.size(), cells.width()));
    unknownRow = batches.textTable().length;
    textTable = batches.table(manager);
  }

  int size() {
    return cells.size();
  }

  EncodedCells cells() {
    return cells;
  }

  /**
   * One epoch's order: the cells shuffled with {@code rng}, a share {@code hideTypeRate} of them
   * shown as "unknown type" (drawn from {@code rng} too, so the epoch is reproducible from the
   * seed alone), cut into batches of {@code batchSize}; batches of fewer than two cells are
   * dropped (a batch statistic needs two).
   */
  EpochOrder epoch(SplittableRandom rng, double hideTypeRate, int batchSize, NDManager epochManager) {
    int n = cells.size();
    int[] order = Shuffle.permutation(n, rng);
    long[] rows = new long[n];
    long[] shownType = new long[n];
    long[] trueType = new long[n];
    long[] donor = new long[n];
    float[] weight = new float[n];
    float[] female = new float[n];
    float[] sexKnown = new float[n];
    for (int k = 0; k < n; k++) {
      int r = order[k];
      rows[k] = r;
      int t = cells.typeIndex()[r];
      boolean hide = t < 0 || (hideTypeRate > 0 && rng.nextDouble() < hideTypeRate);
      shownType[k] = hide ? unknownRow : t;
      trueType[k] = t;
      donor[k] = cells.donor()[r];
      weight[k] = classWeights == null ? 1f : classWeights[cells.donor()[r]];
      int s = cells.sex()[r];
      female[k] = s == 1 ? 1f : 0f;
      sexKnown[k] = s >= 0 ? 1f : 0f;
    }
    int steps = n / batchSize + (n % batchSize >= 2 ? 1 : 0);
    long[] cuts = new long[Math.max(0, steps - 1)];
    for (int i = 0; i < cuts.length; i++) cuts[i] = (long) (i + 1) * batchSize;
    NDManager m = epochManager;
    int used = Math.min(n, steps * batchSize);
    NDArray rowsOnDevice = m.create(java.util.Arrays.copyOf(rows, used));
    int stepsPerChunk = (int) Math.max(1, Math.min(steps, CHUNK_BYTES / ((long) batchSize * cells.width() * Float.BYTES)));
    return new EpochOrder(steps, batchSize, stepsPerChunk, rowsOnDevice,
        split(m.create(shownType), used, cuts),
        split(m.create(trueType), used, cuts),
        split(m.create(donor).reshape(-1, 1), used, cuts),
        classWeights == null ? null : split(m.create(weight), used, cuts),
        split(m.create(female), used, cuts),
        split(m.create(sexKnown), used, cuts));
  }

  /**
   * Batch {@code step} of an epoch (steps are taken in order), on the device. The step's arrays
   * move to the step's manager {@code m}, so everything computed from them is freed with the step.
   */
  StepBatch batch(EpochOrder epoch, int step, NDManager m) {
    return new StepBatch(epoch.gene(gene, step, m), epoch.shownType(step, m), textTable, epoch.donor(step, m), epoch.weight(step, m),
        epoch.female(step, m), epoch.sexKnown(step, m), epoch.trueType(step, m));
  }

  /** The first {@code used} entries cut into views at {@code cuts} (one native call per epoch). */
  private static NDList split(NDArray all, int used, long[] cuts) {
    NDArray head = used == all.getShape().get(0) ? all : all.get(new NDIndex().addSliceDim(0, used));
    return cuts.length == 0 ? new NDList(head) : head.split(cuts, 0);
  }

  @Override
  public void close() {
    manager.close();
  }
}
