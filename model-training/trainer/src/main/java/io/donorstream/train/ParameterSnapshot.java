package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a block's parameters (the best epoch so far), kept inside libtorch and written back in
 * place. A round trip through Java arrays would make DJL's {@code set(Buffer)} point the parameters
 * at Java-owned memory and print libtorch's deprecation warning.
 */
final class ParameterSnapshot implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();

  ParameterSnapshot(Block block, NDManager parent) {
    manager = parent.newSubManager();
    for (Pair<String, Parameter> p : block.getParameters()) {
      try (NDArray detached = p.getValue().getArray().stopGradient()) {
        NDArray copy = detached.duplicate();
        copy.attach(manager);
        arrays.put(p.getKey(), copy);
      }
    }
  }

  /** Writes the copies back into the block's parameters (outside gradient recording). */
  void restoreInto(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      p.getValue().getArray().set(new NDIndex("..."), arrays.get(p.getKey()));
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
