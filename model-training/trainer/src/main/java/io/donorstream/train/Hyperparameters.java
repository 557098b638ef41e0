package io.donorstream.train;

import io.donorstream.model.ModelSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tunable settings of a donor model, each null when left at the model's default: what `tune`
 * searches and writes to best.json, and what `train --params` reads back.
 */
public record Hyperparameters(Float learningRate, Float weightDecay, Float dropout, Integer hidden, Integer latents, Integer heads,
    Float inputNoise, Float lambda) {
  public static final String LEARNING_RATE = "learning_rate";
  public static final String WEIGHT_DECAY = "weight_decay";
  public static final String DROPOUT = "dropout";
  public static final String HIDDEN = "hidden";
  public static final String LATENTS = "latents";
  public static final String HEADS = "heads";
  public static final String INPUT_NOISE = "input_noise";
  public static final String LAMBDA = "lambda";

  public static final Hyperparameters DEFAULTS = new Hyperparameters(null, null, null, null, null, null, null, null);

  /** From named values (as a tuner's trial or best.json holds them); unknown names are an error. */
  public static Hyperparameters of(Map<String, ? extends Number> values) {
    for (String k : values.keySet()) {
      if (!java.util.List.of(LEARNING_RATE, WEIGHT_DECAY, DROPOUT, HIDDEN, LATENTS, HEADS, INPUT_NOISE, LAMBDA).contains(k)) {
        throw new IllegalArgumentException("unknown hyper-parameter '" + k + "'; known: learning_rate, weight_decay, dropout, hidden, latents, heads,"
            + " input_noise, lambda");
      }
    }
    return new Hyperparameters(f(values.get(LEARNING_RATE)), f(values.get(WEIGHT_DECAY)), f(values.get(DROPOUT)), i(values.get(HIDDEN)),
        i(values.get(LATENTS)), i(values.get(HEADS)), f(values.get(INPUT_NOISE)), f(values.get(LAMBDA)));
  }

  public TrainSettings applyTo(TrainSettings s) {
    TrainSettings.Builder b = s.toBuilder();
    if (learningRate != null) b.learningRate(learningRate);
    if (weightDecay != null) b.weightDecay(weightDecay);
    if (inputNoise != null) b.inputNoise(inputNoise);
    if (lambda != null) b.lambda(lambda);
    return b.build();
  }

  public ModelSpec applyTo(ModelSpec spec) {
    return spec.withHiddenAndDropout(hidden, dropout).withAttention(latents, heads);
  }

  /** The values that are set, by name. */
  public Map<String, Number> toMap() {
    Map<String, Number> m = new LinkedHashMap<>();
    put(m, LEARNING_RATE, learningRate);
    put(m, WEIGHT_DECAY, weightDecay);
    put(m, DROPOUT, dropout);
    put(m, HIDDEN, hidden);
    put(m, LATENTS, latents);
    put(m, HEADS, heads);
    put(m, INPUT_NOISE, inputNoise);
    put(m, LAMBDA, lambda);
    return m;
  }

  private static void put(Map<String, Number> m, String k, Number v) {
    if (v != null) m.put(k, v);
  }

  private static Float f(Number n) {
    return n == null ? null : n.floatValue();
  }

  private static Integer i(Number n) {
    return n == null ? null : (int) Math.round(n.doubleValue());
  }
}
