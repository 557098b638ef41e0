package io.donorstream.tune;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The TPE density of a CHOICE dimension: weighted counts of the observed choices plus a prior weight of 1
 * per choice. The prior keeps unseen choices possible, so neither l nor g is ever zero.
 */
final class CategoricalEstimator {
  private final double[] probabilities;

  private CategoricalEstimator(double[] probabilities) { this.probabilities = probabilities; }

  static CategoricalEstimator fit(int[] observedIndices, double[] weights, int choices) {
    double[] mass = new double[choices];
    Arrays.fill(mass, 1.0);
    for (int i = 0; i < observedIndices.length; i++) mass[observedIndices[i]] += weights[i];
    double total = Arrays.stream(mass).sum();
    for (int c = 0; c < choices; c++) mass[c] /= total;
    return new CategoricalEstimator(mass);
  }

  int sample(RandomGenerator rng) {
    double u = rng.nextDouble();
    double acc = 0;
    for (int c = 0; c < probabilities.length - 1; c++) {
      acc += probabilities[c];
      if (u < acc) return c;
    }
    return probabilities.length - 1;
  }

  double logPmf(int index) { return Math.log(probabilities[index]); }
}
