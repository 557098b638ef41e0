package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;

/** Small NDArray helpers shared by the blocks. */
final class Nd {
  private Nd() {}

  /**
   * Moves an array derived from a parameter into the batch's manager. DJL attaches an op's result
   * to its first operand's manager, so without this, arrays computed from parameters would live
   * on the model's long-lived manager and leak one copy per step.
   */
  static NDArray scoped(NDArray a, NDManager batch) {
    a.attach(batch);
    return a;
  }

  static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
    return block.forward(ps, new NDList(x), training).singletonOrThrow();
  }

  /** Rows scaled to unit L2 norm. */
  static NDArray l2Normalise(NDArray x) {
    return x.div(x.square().sum(new int[] {-1}, true).add(1e-12f).sqrt());
  }
}
