package io.donorstream.bench.training;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.Map;

/**
 * Counts the native resources (arrays, sub-managers) still attached under a manager: if the count
 * is the same after every epoch, no array outlived its training step.
 */
public final class LiveArrays {
  private LiveArrays() {}

  public static int count(NDManager manager) {
    if (!(manager instanceof BaseNDManager)) return -1;
    try {
      Field f = BaseNDManager.class.getDeclaredField("resources");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<String, AutoCloseable> resources = (Map<String, AutoCloseable>) f.get(manager);
      int n = 0;
      for (AutoCloseable r : resources.values()) {
        n += r instanceof NDManager sub ? 1 + Math.max(0, count(sub)) : 1;
      }
      return n;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}
