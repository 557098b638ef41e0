package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A loss summed over steps inside libtorch and read back every few steps, not every step: a
 * read-back copies to Java and synchronises, which at batch 32 cost a tenth of a step. A loss that
 * is no longer a number stays NaN or infinite in the sum, so divergence is still caught, at the
 * next read-back.
 */
final class RunningLoss {
  private final NDArray sum;
  private double readSoFar;
  private int stepsSoFar;
  private int stepsAtLastRead;
  private double lastWindowMean = Double.NaN;

  RunningLoss(NDManager manager) {
    sum = manager.zeros(new Shape(), DataType.FLOAT32);
  }

  /** Adds a step's loss (its value only; no gradient flows through the sum). */
  void add(NDArray loss) {
    try (NDArray value = loss.stopGradient()) {
      sum.addi(value);
    }
    stepsSoFar++;
  }

  /** Reads the sum back; false if the loss stopped being a finite number since the last read. */
  boolean readFinite() {
    double total = sum.getFloat();
    if (!Double.isFinite(total)) return false;
    int window = stepsSoFar - stepsAtLastRead;
    lastWindowMean = window == 0 ? Double.NaN : (total - readSoFar) / window;
    readSoFar = total;
    stepsAtLastRead = stepsSoFar;
    return true;
  }

  /** Mean loss over the steps between the last two reads. */
  double windowMean() {
    return lastWindowMean;
  }

  /** Mean loss over all steps, as of the last read. */
  double mean() {
    return stepsAtLastRead == 0 ? Double.NaN : readSoFar / stepsAtLastRead;
  }

  int stepsAtLastRead() {
    return stepsAtLastRead;
  }
}
