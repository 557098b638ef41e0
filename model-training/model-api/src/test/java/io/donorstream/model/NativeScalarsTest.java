package io.donorstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The gradient through an operation with a constant must not depend on the garbage collector.
 * Each case frees every unreachable Java direct buffer between the forward and the backward pass
 * and refills freed memory with NaN: with DJL's {@code x.mul(3f)} (a scalar in a Java buffer,
 * closed as soon as the op returns) the backward pass then reads NaN or allocator bookkeeping.
 */
class NativeScalarsTest {
  private static final float[] X = {0.5f, -2f, 4f, 1.5f};

  @Test
  void aProductsGradientSurvivesACollectionBeforeBackward() {
    assertThat(gradientAfterCollection(x -> NativeScalars.times(x, 3f))).containsExactly(3f, 3f, 3f, 3f);
  }

  @Test
  void aQuotientsGradientSurvivesACollectionBeforeBackward() {
    assertThat(gradientAfterCollection(x -> NativeScalars.dividedBy(x, 4f))).containsExactly(0.25f, 0.25f, 0.25f, 0.25f);
  }

  @Test
  void aBoundsGradientSurvivesACollectionBeforeBackward() {
    // max(x, 1): the gradient passes where x is above the floor.
    assertThat(gradientAfterCollection(x -> NativeScalars.atLeast(x, 1f))).containsExactly(0f, 0f, 1f, 1f);
    assertThat(gradientAfterCollection(x -> NativeScalars.atMost(x, 1f))).containsExactly(1f, 1f, 0f, 0f);
  }

  @Test
  void gradientReversalIsTheExactIdentityForwardAndScalesByMinusLambdaBackward() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(new float[] {0.1f, 1f / 3, -7.77f, 1e-8f});
      assertThat(GradientReversal.apply(x, 0.3f).toFloatArray()).containsExactly(x.toFloatArray());
    }
    assertThat(gradientAfterCollection(x -> GradientReversal.apply(x, 0.5f))).containsExactly(-0.5f, -0.5f, -0.5f, -0.5f);
  }

  /** d sum(op(x)) / dx, with every collectable direct buffer freed and overwritten before backward. */
  private static float[] gradientAfterCollection(UnaryOperator<NDArray> op) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray x = m.create(X);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        long before = directBuffers();
        NDArray loss = op.apply(x).sum();
        freeUnreachableDirectBuffers(before);
        gc.backward(loss);
      }
      return x.getGradient().toFloatArray();
    }
  }

  /**
   * Collects until the count of live direct buffers is back to {@code target} (the count before
   * the forward pass; buffers allocated by the forward pass and already released are then freed),
   * then allocates small buffers full of NaN so freed memory is reused.
   */
  private static void freeUnreachableDirectBuffers(long target) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    do {
      System.gc();
    } while (directBuffers() > target && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted());
    List<ByteBuffer> filler = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      b.putFloat(0, Float.NaN);
      filler.add(b);
    }
    assertThat(filler).hasSize(64);
  }

  private static long directBuffers() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) return pool.getCount();
    }
    throw new IllegalStateException("no direct buffer pool");
  }
}
