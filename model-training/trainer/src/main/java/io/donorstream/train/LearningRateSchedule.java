package io.donorstream.train;

/**
 * Linear warm-up from 1% of the base rate, then cosine decay to 1% over the remaining steps, sized
 * from the real number of steps (the original hard-coded its cosine length).
 */
record LearningRateSchedule(float base, int warmupSteps, int totalSteps) {

  static LearningRateSchedule of(float base, float warmupFraction, int totalSteps) {
    return new LearningRateSchedule(base, Math.max(1, Math.round(totalSteps * warmupFraction)), totalSteps);
  }

  float at(int step) {
    float low = base * 0.01f;
    if (step < warmupSteps) return low + (base - low) * step / warmupSteps;
    int decaySteps = Math.max(1, totalSteps - warmupSteps);
    double p = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return (float) (low + (base - low) * 0.5 * (1 + Math.cos(Math.PI * p)));
  }
}
