package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A training batch on the device: the network's inputs and the targets of its losses.
 *
 * @param typeRow each cell's row of {@code typeTable} as shown to the network (the unknown row
 *     where the type is unknown or hidden)
 * @param weight per-cell loss weights, or null when all cells count equally
 */
record StepBatch(NDArray gene, NDArray typeRow, NDArray typeTable, NDArray donor, NDArray weight, NDArray female, NDArray sexKnown,
    NDArray trueType) {

  NDList inputs() {
    return new NDList(gene, typeRow, typeTable);
  }

  int size() {
    return (int) gene.getShape().get(0);
  }
}
