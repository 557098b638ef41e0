package io.donorstream.quality;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * A light donor classifier learned from the labelled stream: each donor's mean latent, compared in standardised coordinates,
 * and a cell goes to the nearest mean. It learns a donor from its first labelled cells, including
 * donors the served model never saw, and is scored prequentially (tested before it learns), so its
 * accuracy beside the champion's answers "would a model updated on recent data do better?".
 */
public final class NearestMeanChallenger implements Serializable {
  private final RunningScale scale;
  private final Map<String, double[]> sums = new HashMap<>();
  private final Map<String, Long> counts = new HashMap<>();
  private final FadingRate accuracy;

  public NearestMeanChallenger(int latentDim, double fadingFactor) {
    scale = new RunningScale(latentDim);
    accuracy = new FadingRate(fadingFactor);
  }

  /** Tests, then learns from, one labelled cell; returns the donor it answered (null before any donor is known). */
  public String observe(float[] latent, String donor) {
    if (latent.length != scale.dim()) return null;
    scale.observe(latent);
    String answer = predict(latent);
    accuracy.add(donor.equals(answer));
    // Raw sums, standardised when compared: the scale keeps moving, and old cells must follow it.
    double[] sum = sums.computeIfAbsent(donor, d -> new double[latent.length]);
    for (int j = 0; j < latent.length; j++) sum[j] += latent[j];
    counts.merge(donor, 1L, Long::sum);
    return answer;
  }

  public Double accuracy() {
    return accuracy.rate();
  }

  /** The donor whose mean is nearest in standardised coordinates: ((x - mean_d) / sd)^2 summed; the global mean cancels. */
  private String predict(float[] x) {
    double[] inv = scale.inverseSd();
    String best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      double[] sum = e.getValue();
      double n = counts.get(e.getKey());
      double d = 0;
      for (int j = 0; j < x.length && d < bestDistance; j++) {
        double diff = (x[j] - sum[j] / n) * inv[j];
        d += diff * diff;
      }
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getKey();
      }
    }
    return best;
  }

}
