package io.donorstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant whose memory belongs to libtorch.
 *
 * <p>DJL's PyTorch {@code x.mul(2f)}, {@code div}, {@code maximum} and {@code pow} with a Java
 * number wrap the number in a tensor that points into a Java direct buffer ({@code from_blob}) and
 * close it as soon as the op returns. Autograd keeps that tensor for the backward pass ({@code mul}
 * needs the other factor for its gradient), so when the JVM collects the buffer in between, the
 * backward pass reads freed memory: gradients become garbage or NaN at random steps, and a seeded
 * run gives different numbers depending on when the garbage collector ran. A constant made by
 * {@code full} is owned by libtorch and reference-counted by the graph, so it lives as long as the
 * graph needs it. Every differentiable product, quotient or bound with a constant goes through here.
 */
public final class NativeScalars {
  private NativeScalars() {}

  /** A 0-d constant on the same manager, device and type as {@code like}, owned by libtorch. */
  public static NDArray constant(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }

  public static NDArray times(NDArray x, float factor) {
    return x.mul(constant(x, factor));
  }

  public static NDArray dividedBy(NDArray x, float divisor) {
    return x.div(constant(x, divisor));
  }

  /** Element-wise {@code max(x, floor)}. */
  public static NDArray atLeast(NDArray x, float floor) {
    return x.maximum(constant(x, floor));
  }

  /** Element-wise {@code min(x, ceiling)}. */
  public static NDArray atMost(NDArray x, float ceiling) {
    return x.minimum(constant(x, ceiling));
  }
}
