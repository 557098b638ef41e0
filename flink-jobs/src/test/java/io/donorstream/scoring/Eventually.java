package io.donorstream.scoring;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for an observable condition (records on a topic, a metric value) with a deadline. */
public final class Eventually {
  private Eventually() {}

  public static void await(String what, long timeoutMs, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
      LockSupport.parkNanos(200_000_000L);
    }
  }
}
