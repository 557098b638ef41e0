package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (decoupled weight decay) with element-wise gradient clipping, one fused libtorch update
 * per weight tensor (with {@link FlatParameters}, one for the whole model). DJL's own Trainer path
 * copies each gradient once more and clips only from above ({@code clamp_max}); this clips from
 * below first, so with the fused update's own clamp both ways, as {@code clip_grad_value_} does.
 */
final class AdamW implements AutoCloseable {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final NDManager state;
  private final List<NDArray> weights = new ArrayList<>();
  private final List<NDArray> means = new ArrayList<>();
  private final List<NDArray> variances = new ArrayList<>();
  private final LearningRateSchedule schedule;
  private final float weightDecay;
  private final float clip;
  private final NDArray lowest;
  private int updates;

  AdamW(List<NDArray> trained, NDManager parent, LearningRateSchedule schedule, float weightDecay, float clip) {
    state = parent.newSubManager();
    this.schedule = schedule;
    this.weightDecay = weightDecay;
    this.clip = clip;
    // DJL's clip(min, max) leaves two scalars on the array's manager per call; a bound made once does not.
    lowest = state.full(new Shape(), -clip, DataType.FLOAT32);
    for (NDArray w : trained) {
      weights.add(w);
      means.add(attached(w.zerosLike()));
      variances.add(attached(w.zerosLike()));
    }
  }

  private NDArray attached(NDArray a) {
    a.attach(state);
    return a;
  }

  /** The learning rate the next update will use. */
  float learningRate() {
    return schedule.at(updates);
  }

  /** One update of each weight from its gradient ({@code gradients} in the weights' order). */
  void step(List<NDArray> gradients) {
    float lr = schedule.at(updates);
    updates++;
    double biasCorrection = Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates));
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i);
      NDArray grad = gradients.get(i);
      try (NDArray floored = clip > 0 ? grad.maximum(lowest) : null) {
        // The fused update clamps from above itself.
        w.getNDArrayInternal().adamUpdate(new NDList(w, floored != null ? floored : grad, means.get(i), variances.get(i)),
            new NDList(w), lr, (float) (lr * biasCorrection), weightDecay, 1f, clip > 0 ? clip : -1f, BETA1, BETA2, EPSILON, true,
            true);
      }
    }
  }

  @Override
  public void close() {
    state.close();
  }
}
