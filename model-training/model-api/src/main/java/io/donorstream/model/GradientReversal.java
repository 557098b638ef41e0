package io.donorstream.model;

import ai.djl.ndarray.NDArray;

/**
 * The gradient-reversal layer of DANN (Ganin &amp; Lempitsky 2015): the identity forward, the
 * incoming gradient multiplied by {@code -lambda} backward.
 *
 * <p>Written as {@code stop(x) + (s·x − stop(s·x))} with {@code s = −λ}: the bracket is exactly
 * zero forward, so the output equals {@code x} bit for bit (DJL's {@code scaleGradient} computes
 * {@code s·x + (1−s)·stop(x)}, which rounds), and only the bracket's first term carries a
 * gradient, {@code s} times the incoming one. The constant is libtorch-owned (see {@link
 * NativeScalars}).
 */
public final class GradientReversal {
  private GradientReversal() {}

  public static NDArray apply(NDArray x, float lambda) {
    NDArray scaled = NativeScalars.times(x, -lambda);
    return x.stopGradient().add(scaled.sub(scaled.stopGradient()));
  }
}
